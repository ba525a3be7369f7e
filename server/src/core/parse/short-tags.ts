/**
 * The CloudFormation short-form tags and how a tagged node becomes its long form (`!Ref X` is
 * `{ Ref: X }`), shared by both YAML readers so that they cannot disagree on the shape or the spans.
 */
import type { MapNode, Node, ScalarNode } from '../tree';

/** Short tag name (without `!`) to the long-form key. */
export const SHORT_TAGS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
};
for (const name of [
  'GetAtt', 'Sub', 'Join', 'Select', 'Split', 'GetAZs', 'If', 'Equals', 'And', 'Or', 'Not', 'FindInMap',
  'Base64', 'Cidr', 'ImportValue', 'Transform', 'Length', 'ToJsonString',
]) {
  SHORT_TAGS[name] = `Fn::${name}`;
}

/** Where a tagged node starts: at its tag, when the tag is found shortly before the value. */
export function tagStart(text: string, tag: string, valueStart: number): number {
  const idx = text.lastIndexOf(tag, valueStart);
  return idx >= 0 && valueStart - idx < 200 ? idx : valueStart;
}

/** The long form of a node written with a short tag; a node with a tag we do not know is left alone. */
export function longForm(name: string, node: Node, start: number): Node {
  const long = SHORT_TAGS[name];
  if (!long) return node;
  let inner: Node = node;
  if (long === 'Fn::GetAZs' && node.kind === 'scalar' && node.value === null) {
    inner = { kind: 'scalar', value: '', start: node.start, end: node.end };
  }
  const key: ScalarNode = { kind: 'scalar', value: long, start, end: start + name.length + 1 };
  const map: MapNode = { kind: 'map', pairs: [{ key, value: inner }], flow: true, start, end: Math.max(node.end, key.end), tag: `!${name}` };
  return map;
}
