/**
 * What is under the cursor in the syntax tree: the chain of nodes down to it, and, when it is a
 * reference, what it refers to: a `Ref` / `Fn::GetAtt` target, a `Fn::Sub` variable, a condition, a
 * `DependsOn` entry, a Serverless `${self:...}` path or `${file(...)}`. Hover and go to definition share this.
 */
import type { MapNode, Node, Pair, ScalarNode, Span } from '../core/tree';
import { get, getPair, intrinsicName, isMap, str } from '../core/tree';

export interface Step {
  node: Node;
  /** The pair whose value `node` is. */
  pair?: Pair;
  index?: number;
}

export interface Chain {
  steps: Step[];
  /** Set when the cursor is on a key: the pair of that key (its map is the last step). */
  key?: Pair;
}

/** The nodes from the root down to the deepest one containing `offset` (ends inclusive). */
export function chainAt(root: Node, offset: number): Chain {
  const steps: Step[] = [{ node: root }];
  for (let guard = 0; guard < 10_000; guard++) {
    const cur = steps[steps.length - 1]!.node;
    let next: Step | undefined;
    if (cur.kind === 'map') {
      for (const pair of cur.pairs) {
        if (offset >= pair.key.start && offset <= pair.key.end && pair.key.end > pair.key.start) return { steps, key: pair };
        if (offset >= pair.value.start && offset <= pair.value.end && pair.value.end > pair.value.start) next = { node: pair.value, pair };
      }
    } else if (cur.kind === 'seq') {
      cur.items.forEach((item, index) => {
        if (offset >= item.start && offset <= item.end) next = { node: item, index };
      });
    }
    if (!next || next.node === cur) break;
    steps.push(next);
  }
  return { steps };
}

/** The keys and indices of the chain, from the root. */
export function chainPath(chain: Chain): (string | number)[] {
  const out: (string | number)[] = [];
  for (const step of chain.steps.slice(1)) {
    if (step.pair) out.push(String(step.pair.key.value));
    else if (step.index !== undefined) out.push(step.index);
  }
  if (chain.key) out.push(String(chain.key.key.value));
  return out;
}

export type Target =
  | { kind: 'ref'; name: string; span: Span; intrinsic: MapNode }
  | { kind: 'getatt'; name: string; attr?: string; span: Span; intrinsic: MapNode }
  | { kind: 'sub'; name: string; span: Span; intrinsic: MapNode; variables?: MapNode }
  | { kind: 'condition'; name: string; span: Span }
  | { kind: 'depends-on'; name: string; span: Span }
  | { kind: 'self'; path: string; expression: string; span: Span; scalar: ScalarNode }
  | { kind: 'file'; file: string; address?: string; expression: string; span: Span };

function spanOf(n: { start: number; end: number }): Span {
  return { start: n.start, end: n.end };
}

/** The reference at the cursor, if there is one. */
export function targetAt(root: Node, text: string, offset: number, serverless: boolean): Target | undefined {
  const chain = chainAt(root, offset);
  const steps = chain.steps;
  const last = steps[steps.length - 1]!;
  // On the key of an intrinsic (`!Ref`, `"Ref":`): the intrinsic map is the last step.
  if (chain.key) {
    const map = last.node as MapNode;
    const fn = intrinsicName(map);
    if (fn) return intrinsicTarget(map, fn, text, offset, true);
    return undefined;
  }
  for (let i = steps.length - 1; i >= 1; i--) {
    const step = steps[i]!;
    const parent = steps[i - 1]!.node;
    const fn = intrinsicName(parent);
    if (fn) {
      const t = intrinsicTarget(parent as MapNode, fn, text, offset, false, steps[i + 1]?.node);
      if (t) return t;
    }
    // `Condition: Name` on a resource or output; `DependsOn: X` / `[X, Y]`.
    const pairKey = step.pair ? str(step.pair.key) : undefined;
    const grand = steps[i - 1];
    if (step.node.kind === 'scalar' && pairKey === 'Condition' && steps.length >= 3) {
      const name = str(step.node);
      if (name) return { kind: 'condition', name, span: spanOf(step.node) };
    }
    if (step.node.kind === 'scalar' && (pairKey === 'DependsOn' || (step.index !== undefined && grand?.pair && str(grand.pair.key) === 'DependsOn'))) {
      const name = str(step.node);
      if (name) return { kind: 'depends-on', name, span: spanOf(step.node) };
    }
  }
  if (serverless && last.node.kind === 'scalar' && typeof last.node.value === 'string') {
    return serverlessTarget(last.node, text, offset);
  }
  return undefined;
}

/**
 * The target of an intrinsic the cursor is in. `onKey`: the cursor is on the function's name (`!Ref`);
 * `inner`: the item of a list argument the cursor is in (`Fn::Sub`'s template, `Fn::If`'s condition).
 */
function intrinsicTarget(map: MapNode, fn: string, text: string, offset: number, onKey: boolean, inner?: Node): Target | undefined {
  const argOf = map.pairs[0]!.value;
  switch (fn) {
    case 'Ref': {
      const name = str(argOf);
      return name ? { kind: 'ref', name, span: spanOf(argOf), intrinsic: map } : undefined;
    }
    case 'Fn::GetAtt': {
      if (argOf.kind === 'scalar') {
        const s = str(argOf) ?? '';
        const dot = s.indexOf('.');
        return { kind: 'getatt', name: dot < 0 ? s : s.slice(0, dot), attr: dot < 0 ? undefined : s.slice(dot + 1), span: spanOf(argOf), intrinsic: map };
      }
      if (argOf.kind === 'seq') {
        const name = str(argOf.items[0]);
        return name ? { kind: 'getatt', name, attr: str(argOf.items[1]), span: spanOf(argOf), intrinsic: map } : undefined;
      }
      return undefined;
    }
    case 'Fn::Sub': {
      const template = argOf.kind === 'seq' ? argOf.items[0] : argOf;
      const variables = argOf.kind === 'seq' && isMap(argOf.items[1]) ? (argOf.items[1] as MapNode) : undefined;
      if (onKey || template?.kind !== 'scalar') return undefined;
      if (argOf.kind === 'seq' && inner !== template) return undefined;
      const v = variableAt(text, template, offset);
      if (!v || v.name.startsWith('!')) return undefined;
      const t: Target = { kind: 'sub', name: v.name, span: v.span, intrinsic: map };
      if (variables) t.variables = variables;
      return t;
    }
    case 'Condition': {
      const name = str(argOf);
      return name ? { kind: 'condition', name, span: spanOf(argOf) } : undefined;
    }
    case 'Fn::If': {
      if (argOf.kind === 'seq' && argOf.items[0] && inner === argOf.items[0]) {
        const name = str(argOf.items[0]);
        return name ? { kind: 'condition', name, span: spanOf(argOf.items[0]) } : undefined;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The `${...}` around the offset inside a scalar's source text. */
export function variableAt(text: string, scalar: Node, offset: number): { name: string; span: Span } | undefined {
  const raw = text.slice(scalar.start, scalar.end);
  const at = offset - scalar.start;
  const open = raw.lastIndexOf('${', Math.max(0, at === raw.length ? at - 1 : at));
  // The cursor may sit on the `$` itself.
  if (open < 0 || open > at) return undefined;
  let depth = 0;
  for (let i = open; i < raw.length; i++) {
    if (raw[i] === '$' && raw[i + 1] === '{') {
      depth++;
      i++;
    } else if (raw[i] === '}') {
      depth--;
      if (depth === 0) {
        if (at > i + 1) return undefined;
        return { name: raw.slice(open + 2, i).trim(), span: { start: scalar.start + open, end: scalar.start + i + 1 } };
      }
    }
  }
  return undefined;
}

function serverlessTarget(scalar: ScalarNode, text: string, offset: number): Target | undefined {
  const raw = text.slice(scalar.start, scalar.end);
  const at = offset - scalar.start;
  // The innermost `${...}` that contains the cursor.
  let best: { start: number; end: number } | undefined;
  const stack: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '$' && raw[i + 1] === '{') {
      stack.push(i);
      i++;
    } else if (raw[i] === '}' && stack.length) {
      const start = stack.pop()!;
      if (at >= start && at <= i + 1 && (!best || start >= best.start)) best = { start, end: i + 1 };
    }
  }
  if (!best) return undefined;
  const expression = raw.slice(best.start + 2, best.end - 1).trim();
  const span = { start: scalar.start + best.start, end: scalar.start + best.end };
  const first = expression.split(/,(?![^(]*\))/)[0]!.trim();
  if (first.startsWith('self:')) return { kind: 'self', path: first.slice(5), expression, span, scalar };
  const file = /^file\(([^)]+)\)(?::(.*))?$/.exec(first);
  if (file) {
    const t: Target = { kind: 'file', file: file[1]!.trim().replace(/^['"]|['"]$/g, ''), expression, span };
    if (file[2]) t.address = file[2].trim();
    return t;
  }
  return undefined;
}

/** The node (and the pair whose value it is) at a dotted path like Serverless' `${self:custom.vpc.subnets}`. */
export function nodeAtPath(root: Node, path: string): { node: Node; pair?: Pair } | undefined {
  let cur: Node | undefined = root;
  let pair: Pair | undefined;
  for (const key of path.split('.')) {
    if (key === '') continue;
    if (cur?.kind === 'seq' && /^\d+$/.test(key)) {
      cur = cur.items[Number(key)];
      pair = undefined;
    } else if (isMap(cur)) {
      pair = getPair(cur, key);
      cur = pair?.value;
    } else return undefined;
    if (!cur) return undefined;
  }
  return cur ? { node: cur, pair } : undefined;
}

export { get };
