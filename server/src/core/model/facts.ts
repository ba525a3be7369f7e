/** Turning evaluated values into the model's facts: single facts, resource references, reference lists. */
import type { Node, Span } from '../tree';
import type { Fact, RefList, ResourceRef } from './types';
import type { Scope, Val } from './values';
import { alternatives, evaluate, litBool } from './values';
import { ASSUMED_TEMPLATE } from './workspace-types';

/**
 * A value left to replace (`sg-CHANGEME`, `subnet-CHANGEME1`): the form the product's own fixes write in
 * plain text where no real resource can be named. It is unknown, never a present id. Upper case only:
 * `sqs:ChangeMessageVisibility` is an action, not a placeholder.
 */
const PLACEHOLDER = /CHANGEME/;

export function isPlaceholder(value: string | number | boolean): boolean {
  return typeof value === 'string' && PLACEHOLDER.test(value);
}

function placeholderReason(value: string): string {
  return `'${value}' is a placeholder to replace`;
}

export function factOf<T>(v: Val, convert: (raw: string | number | boolean) => T | undefined): Fact<T> {
  if (v.t === 'lit' && !v.partial) {
    if (isPlaceholder(v.v)) return { state: 'unknown', span: v.span, reason: placeholderReason(String(v.v)) };
    const value = convert(v.v);
    if (value === undefined) return { state: 'unknown', span: v.span, reason: `'${String(v.v)}' is not a valid value here` };
    return v.param ? { state: 'assumed', value, span: v.span, param: v.param } : { state: 'known', value, span: v.span };
  }
  if (v.t === 'none') return { state: 'known', span: v.span };
  if (v.t === 'unknown') return { state: 'unknown', span: v.span, reason: v.reason };
  if (v.t === 'if') return { state: 'unknown', span: v.span, reason: `it depends on condition '${v.cond}'` };
  return { state: 'unknown', span: v.span, reason: 'it is not a literal value' };
}

export const asString = (raw: string | number | boolean) => String(raw);
export const asNumber = (raw: string | number | boolean) => {
  const n = typeof raw === 'number' ? raw : Number(raw);
  return Number.isFinite(n) ? n : undefined;
};
export const asBool = (raw: string | number | boolean) => litBool({ t: 'lit', v: raw, span: { start: 0, end: 0 } });

export function stringFact(node: Node | undefined, scope: Scope): Fact<string> {
  if (!node) return { state: 'known' };
  return factOf(evaluate(node, scope), asString);
}

export function numberFact(node: Node | undefined, scope: Scope): Fact<number> {
  if (!node) return { state: 'known' };
  return factOf(evaluate(node, scope), asNumber);
}

export function boolFact(node: Node | undefined, scope: Scope): Fact<boolean> {
  if (!node) return { state: 'known' };
  return factOf(evaluate(node, scope), asBool);
}

/** The references one value stands for (two when it is an `Fn::If`; none for `AWS::NoValue`). */
export function refsOf(v: Val, conditions: string[] = []): ResourceRef[] {
  const out: ResourceRef[] = [];
  for (const alt of alternatives(v, conditions)) {
    const value = alt.value;
    const conds = alt.conditions.length ? alt.conditions : undefined;
    switch (value.t) {
      case 'none':
        break;
      case 'ref':
        out.push(withConds(value.param ? { state: 'assumed', id: value.id, attr: value.attr, span: value.span, param: value.param } : { state: 'known', id: value.id, attr: value.attr, span: value.span }, conds));
        break;
      case 'lit':
        if (isPlaceholder(value.v)) out.push(withConds({ state: 'unknown', span: value.span, placeholder: String(value.v), reason: placeholderReason(String(value.v)) }, conds));
        else if (value.partial) out.push(withConds({ state: 'unknown', span: value.span, reason: 'it is built from values that cannot be resolved' }, conds));
        else out.push(withConds({ state: value.param ? 'assumed' : 'known', literal: String(value.v), span: value.span, param: value.param }, conds));
        break;
      case 'unknown':
        out.push(withConds(value.missing ? { state: 'unknown', span: value.span, reason: value.reason, missing: true } : { state: 'unknown', span: value.span, reason: value.reason }, conds));
        break;
      case 'list':
        for (const item of value.items) out.push(...refsOf(item, alt.conditions));
        break;
      default:
        out.push(withConds({ state: 'unknown', span: value.span, reason: 'it is not a reference' }, conds));
    }
  }
  return out;
}

function withConds(ref: ResourceRef, conditions: string[] | undefined): ResourceRef {
  if (conditions) ref.conditions = conditions;
  return ref;
}

export function refOf(node: Node | undefined, scope: Scope): ResourceRef | undefined {
  if (!node) return undefined;
  const refs = refsOf(evaluate(node, scope));
  return refs[0];
}

/** A list of references; unknown when its length cannot be known. */
export function refListOf(v: Val | undefined): RefList {
  if (!v || v.t === 'none') return { state: 'known', items: [] };
  if (v.t === 'unknown') return { state: 'unknown', items: [], span: v.span, reason: v.reason };
  if (v.t === 'list') {
    const items: ResourceRef[] = [];
    let unknownLength: Val | undefined;
    for (const item of v.items) {
      if (item.t === 'unknown' && item.list) unknownLength = item;
      if (item.t === 'list') unknownLength ??= item;
      items.push(...refsOf(item));
    }
    if (unknownLength) {
      return { state: 'unknown', items, span: v.span, reason: unknownLength.t === 'unknown' ? unknownLength.reason : 'a nested list' };
    }
    // A list that holds an import matched by wildcard rests on the template it matched, like its items.
    const param = v.param ?? items.find((i) => i.param?.startsWith(ASSUMED_TEMPLATE))?.param;
    const list: RefList = { state: param ? 'assumed' : 'known', items, span: v.span };
    if (param) list.param = param;
    return list;
  }
  if (v.t === 'ref' || v.t === 'lit') {
    // One value where a list belongs: a comma-separated string or a single id.
    return { state: 'unknown', items: refsOf(v), span: v.span, reason: 'a single value where a list belongs' };
  }
  return { state: 'unknown', items: refsOf(v), span: v.span, reason: 'the list cannot be resolved' };
}

export function spanOf(node: Node | undefined, fallback: Span): Span {
  return node ? { start: node.start, end: node.end } : fallback;
}
