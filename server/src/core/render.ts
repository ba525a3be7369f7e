/**
 * Template values as messages show them: the way a user writes them in a YAML template, short-form tags
 * included (`!Ref Subnet1`, `!GetAtt Sg.GroupId`, `!Select [0, !GetAZs '']`), whether the template is
 * YAML or JSON, never as JSON (`{ "Ref": "Subnet1" }`). Long values are cut short.
 */
import type { Node, Span } from './tree';

const MAX_LENGTH = 60;

/** A scalar as YAML would show it: quoted when it would otherwise read as something else. */
function scalar(value: string | number | boolean | null, quoted: boolean | undefined): string {
  if (typeof value !== 'string') return String(value);
  const plain = value !== '' && !/^[\s!&*?|>'"%@`#,[\]{}-]|[:#]\s|:$|\s$|^(true|false|null|~|yes|no|on|off|[-+.\d][\d.eE+-]*)$/i.test(value);
  if (plain && !(quoted && /^[-+.\d]|^(true|false|null)$/i.test(value))) return value;
  return `'${value.replace(/'/g, "''")}'`;
}

function render(node: Node): string {
  if (node.kind === 'scalar') return scalar(node.value, node.quoted);
  if (node.kind === 'seq') return `[${node.items.map(render).join(', ')}]`;
  if (node.pairs.length === 1) {
    const { key, value } = node.pairs[0]!;
    const name = String(key.value);
    if (name === 'Ref') return `!Ref ${render(value)}`;
    if (name === 'Fn::GetAtt' && value.kind === 'seq' && value.items.every((i) => i.kind === 'scalar')) return `!GetAtt ${value.items.map(render).join('.')}`;
    if (name.startsWith('Fn::')) return `!${name.slice(4)} ${render(value)}`;
    if (name === 'Condition') return `!Condition ${render(value)}`;
  }
  return `{ ${node.pairs.map((p) => `${render(p.key)}: ${render(p.value)}`).join(', ')} }`;
}

/** A node the way a user writes it in YAML, at most about 60 characters. */
export function renderValue(node: Node): string {
  const text = render(node);
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 3)}...` : text;
}

/** The innermost node of the tree that covers exactly this span, if any. */
export function nodeAt(root: Node | undefined, span: Span): Node | undefined {
  let node = root;
  while (node) {
    if (node.start === span.start && node.end === span.end) return node;
    const children: Node[] = node.kind === 'map' ? node.pairs.flatMap((p) => [p.key, p.value]) : node.kind === 'seq' ? node.items : [];
    node = children.find((c) => c.start <= span.start && span.end <= c.end);
  }
  return undefined;
}

/** The value written at this span, rendered; undefined when no node covers it exactly. */
export function renderAt(root: Node | undefined, span: Span): string | undefined {
  const node = nodeAt(root, span);
  return node ? renderValue(node) : undefined;
}
