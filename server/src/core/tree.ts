/**
 * The syntax tree every dialect and both formats are parsed into. YAML short-form tags are already
 * normalised to their long `Fn::` form here, so nothing downstream knows whether a template was
 * written as YAML or JSON. Offsets are UTF-16 indices into the source text.
 */

export interface Span {
  start: number;
  end: number;
}

export type Node = MapNode | SeqNode | ScalarNode;

interface NodeBase extends Span {
  /** The short-form tag this node was written with (`!Ref`), when it was. */
  tag?: string;
}

export interface Pair {
  key: ScalarNode;
  value: Node;
}

export interface MapNode extends NodeBase {
  kind: 'map';
  pairs: Pair[];
  /** True when written in YAML flow style (`{ a: 1 }`) or JSON. */
  flow: boolean;
}

export interface SeqNode extends NodeBase {
  kind: 'seq';
  items: Node[];
  flow: boolean;
}

export interface ScalarNode extends NodeBase {
  kind: 'scalar';
  value: string | number | boolean | null;
  /** True when the scalar was quoted in the source (a quoted `'true'` is a string). */
  quoted?: boolean;
}

export function get(node: Node | undefined, key: string): Node | undefined {
  if (!node || node.kind !== 'map') return undefined;
  // Last key wins, as in CloudFormation's own parser.
  for (let i = node.pairs.length - 1; i >= 0; i--) {
    const pair = node.pairs[i]!;
    if (pair.key.value === key) return pair.value;
  }
  return undefined;
}

export function getPair(node: Node | undefined, key: string): Pair | undefined {
  if (!node || node.kind !== 'map') return undefined;
  for (let i = node.pairs.length - 1; i >= 0; i--) {
    const pair = node.pairs[i]!;
    if (pair.key.value === key) return pair;
  }
  return undefined;
}

export function getPath(node: Node | undefined, path: readonly string[]): Node | undefined {
  let cur = node;
  for (const key of path) cur = get(cur, key);
  return cur;
}

export function isMap(node: Node | undefined): node is MapNode {
  return node?.kind === 'map';
}

export function isSeq(node: Node | undefined): node is SeqNode {
  return node?.kind === 'seq';
}

export function isNull(node: Node | undefined): boolean {
  return !node || (node.kind === 'scalar' && node.value === null);
}

export function str(node: Node | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  return String(node.value);
}

/** The single key of an intrinsic function map (`{ "Fn::If": [...] }`), or undefined. */
export function intrinsicName(node: Node | undefined): string | undefined {
  if (!node || node.kind !== 'map' || node.pairs.length !== 1) return undefined;
  const key = node.pairs[0]!.key.value;
  if (typeof key !== 'string') return undefined;
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? key : undefined;
}

/** The path of keys and indices from the root to a node, or undefined when it is not in the tree. */
export function pathTo(root: Node, target: Span): (string | number)[] | undefined {
  const path: (string | number)[] = [];
  let node: Node = root;
  for (;;) {
    if (node.start === target.start && node.end === target.end) return path;
    if (node.start > target.start || node.end < target.end) return undefined;
    if (node.kind === 'map') {
      const i = containing(node.pairs, (p) => p.key.start, (p) => Math.max(p.key.end, p.value.end), target);
      if (i < 0) return undefined;
      const pair = node.pairs[i]!;
      path.push(String(pair.key.value));
      if (pair.key.start === target.start && pair.key.end === target.end) return path;
      node = pair.value;
    } else if (node.kind === 'seq') {
      const i = containing(node.items, (n) => n.start, (n) => n.end, target);
      if (i < 0) return undefined;
      path.push(i);
      node = node.items[i]!;
    } else return undefined;
  }
}

/**
 * The index of the child whose range holds the target: a binary search, since children come in
 * source order; a linear scan where they do not (YAML merge keys bring pairs from elsewhere).
 */
function containing<T>(items: readonly T[], start: (t: T) => number, end: (t: T) => number, target: Span): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const item = items[mid]!;
    if (start(item) <= target.start && end(item) >= target.end) return mid;
    if (start(item) > target.start) hi = mid - 1;
    else lo = mid + 1;
  }
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (start(item) <= target.start && end(item) >= target.end) return i;
  }
  return -1;
}
