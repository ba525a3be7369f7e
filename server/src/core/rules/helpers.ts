/** Small pieces several rules share: iterating attached functions, labels, related information. */
import type { FunctionVariant, LambdaFunction, Model, ResourceRef, VpcAttachment } from '../model/types';
import type { Span } from '../tree';
import type { Related } from '../types';

export interface AttachedVariant {
  fn: LambdaFunction;
  variant: FunctionVariant;
  vpc: VpcAttachment;
}

/** Every (function, VPC-attached variant) pair. */
export function* attachedVariants(model: Model): Generator<AttachedVariant> {
  for (const fn of model.functions) {
    for (const variant of fn.variants) {
      if (variant.vpc) yield { fn, variant, vpc: variant.vpc };
    }
  }
}

/** The related entry pointing at where settings were inherited from (SAM Globals, provider.vpc). */
export function inheritedRelated(vpc: VpcAttachment): Related[] {
  return vpc.inheritedFrom ? [{ message: 'VPC settings inherited from here', span: vpc.inheritedFrom }] : [];
}

export function refName(ref: ResourceRef): string {
  if (ref.id) return ref.id;
  if (ref.literal) return ref.literal;
  return 'an unresolved value';
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The node's span when it lies in the function's own text, else the function's anchor (inherited settings). */
export function ownSpan(fn: LambdaFunction, node: Span | undefined): Span {
  if (node && node.start >= fn.node.start && node.end <= fn.node.end && node.end > node.start) return { start: node.start, end: node.end };
  return fn.anchor;
}

export interface ListBranch {
  items: ResourceRef[];
  /** The `Fn::If` branches inside the list that select these items. */
  conditions: string[];
}

/**
 * The lists a reference list can be once its inner `Fn::If`s are decided: one entry per distinct
 * selection of items. Empty when too many conditions are involved to enumerate.
 */
export function listBranches(items: ResourceRef[], maxConditions = 6): ListBranch[] {
  const names = [...new Set(items.flatMap((i) => (i.conditions ?? []).map((c) => c.replace(/^!/, ''))))];
  if (names.length === 0) return [{ items, conditions: [] }];
  if (names.length > maxConditions) return [];
  const out: ListBranch[] = [];
  const seen = new Set<string>();
  for (let mask = 0; mask < 1 << names.length; mask++) {
    const truth = new Map(names.map((n, i) => [n, ((mask >> i) & 1) === 1]));
    const holds = (c: string) => (c.startsWith('!') ? !truth.get(c.slice(1)) : truth.get(c) === true);
    const chosen = items.filter((i) => (i.conditions ?? []).every(holds));
    const key = chosen.map((i) => `${i.span.start}:${i.span.end}`).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ items: chosen, conditions: names.map((n) => (truth.get(n) ? n : `!${n}`)) });
  }
  return out;
}

/** Related entries pointing at functions (where each names the shared resource, else its key). */
export function functionsRelated(fns: { fn: LambdaFunction; span?: Span }[], message: (fn: LambdaFunction) => string): Related[] {
  return fns.map(({ fn, span }) => ({ message: message(fn), span: span ?? fn.anchor }));
}
