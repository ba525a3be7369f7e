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
  const visit = (node: Node): boolean => {
    if (node.start === target.start && node.end === target.end) return true;
    if (node.start > target.start || node.end < target.end) return false;
    if (node.kind === 'map') {
      for (const pair of node.pairs) {
        if (pair.key.start === target.start && pair.key.end === target.end) {
          path.push(String(pair.key.value));
          return true;
        }
        path.push(String(pair.key.value));
        if (visit(pair.value)) return true;
        path.pop();
      }
    } else if (node.kind === 'seq') {
      for (let i = 0; i < node.items.length; i++) {
        path.push(i);
        if (visit(node.items[i]!)) return true;
        path.pop();
      }
    }
    return false;
  };
  return visit(root) ? path : undefined;
}
