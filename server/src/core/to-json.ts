/**
 * Writes a syntax tree as a JSON template: YAML short-form tags come out in their long `Fn::` form.
 * Used to check that the JSON and YAML forms of a template give the same findings.
 */
import type { Node } from './tree';

export function toPlain(node: Node | undefined): unknown {
  if (!node) return null;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const pair of node.pairs) out[String(pair.key.value)] = toPlain(pair.value);
  return out;
}

export function toJsonText(node: Node | undefined, indent = 2): string {
  return `${JSON.stringify(toPlain(node), null, indent)}\n`;
}
