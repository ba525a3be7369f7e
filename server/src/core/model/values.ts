/**
 * Evaluates template values: literals, parameters, intrinsic functions and Serverless variables, to a
 * small algebra of values that keep their state (known / assumed / unknown) and source span. `Fn::If`
 * stays a choice between both branches; `alternatives()` expands it where a rule needs the branches.
 */
import type { LiveStack } from '../live';
import { deployedLabel } from '../live';
import type { MapNode, Node, Span } from '../tree';
import { get, intrinsicName, isMap, str } from '../tree';

export type Val =
  | { t: 'lit'; v: string | number | boolean; span: Span; param?: string; partial?: boolean }
  | { t: 'list'; items: Val[]; span: Span; param?: string }
  | { t: 'map'; node: MapNode; span: Span }
  | { t: 'ref'; id: string; attr?: string; span: Span }
  | { t: 'unknown'; reason: string; span: Span; list?: boolean }
  | { t: 'if'; cond: string; then: Val; else: Val; span: Span }
  | { t: 'azs'; span: Span }
  | { t: 'az'; index: number; span: Span; param?: string }
  | { t: 'none'; span: Span };

export interface ParameterInfo {
  type: string;
  default?: Node;
  span: Span;
}

/** What the evaluator needs to know about the template it evaluates in. */
export interface Scope {
  region: string;
  parameters: Map<string, ParameterInfo>;
  /** Values given by the user (`--param`): known. */
  paramValues: Record<string, string>;
  resourceIds: Set<string>;
  resourceTypes?: Map<string, string>;
  mappings: Node | undefined;
  /** Serverless variables, when the dialect has them. */
  serverless?: (text: string, span: Span, depth: number) => Val | undefined;
  /** Export values and SSM parameters read from the account (live facts), when the host looked them up. */
  live?: {
    exports: Record<string, string>;
    ssm: Record<string, { value: string; type: string }>;
    /** The template's deployed stack and the stacks read (`DescribeStacks`). */
    stackName?: string;
    stacks?: Record<string, LiveStack>;
  };
  /** Export and SSM parameter names, stacks and nested stacks met that only the account can resolve, for a live lookup. */
  wanted?: { exports: Set<string>; ssm: Set<string>; stacks?: Set<string>; nested?: Set<string> };
  /** Values taken from a deployed stack, each with where it came from (`live, from stack app-prod parameter SubnetIds`). */
  sources?: Map<string, string>;
}

const MAX_DEPTH = 64;
const PSEUDO_UNKNOWN = new Set(['AWS::AccountId', 'AWS::StackId', 'AWS::StackName', 'AWS::NotificationARNs', 'AWS::URLSuffix']);

export function evaluate(node: Node | undefined, scope: Scope, depth = 0): Val {
  if (!node) return { t: 'none', span: { start: 0, end: 0 } };
  const span: Span = { start: node.start, end: node.end };
  if (depth > MAX_DEPTH) return { t: 'unknown', reason: 'the value nests too deeply to resolve', span };
  if (node.kind === 'scalar') {
    if (node.value === null) return { t: 'none', span };
    if (typeof node.value === 'string') {
      if (node.value.includes('{{resolve:')) {
        const resolved = resolveDynamicReferences(node.value, scope);
        if (resolved === undefined) return { t: 'unknown', reason: `the dynamic reference ${node.value}`, span };
        return { t: 'lit', v: resolved, span };
      }
      if (scope.serverless && node.value.includes('${')) {
        const v = scope.serverless(node.value, span, depth + 1);
        if (v) return v;
      }
    }
    return { t: 'lit', v: node.value, span };
  }
  if (node.kind === 'seq') return { t: 'list', items: node.items.map((item) => evaluate(item, scope, depth + 1)), span };
  const fn = intrinsicName(node);
  if (!fn) return { t: 'map', node, span };
  const arg = node.pairs[0]!.value;
  switch (fn) {
    case 'Ref':
      return evalRef(str(arg) ?? '', span, scope);
    case 'Fn::GetAtt':
      return evalGetAtt(arg, span, scope, depth);
    case 'Fn::Sub':
      return evalSub(arg, span, scope, depth);
    case 'Fn::Join':
      return evalJoin(arg, span, scope, depth);
    case 'Fn::Select':
      return evalSelect(arg, span, scope, depth);
    case 'Fn::Split':
      return evalSplit(arg, span, scope, depth);
    case 'Fn::If': {
      if (arg.kind !== 'seq' || arg.items.length !== 3) return { t: 'unknown', reason: 'a malformed Fn::If', span };
      return {
        t: 'if',
        cond: str(arg.items[0]) ?? '?',
        then: evaluate(arg.items[1], scope, depth + 1),
        else: evaluate(arg.items[2], scope, depth + 1),
        span,
      };
    }
    case 'Fn::GetAZs':
      return { t: 'azs', span };
    case 'Fn::FindInMap':
      return evalFindInMap(arg, span, scope, depth);
    case 'Fn::ImportValue': {
      const name = litString(evaluate(arg, scope, depth + 1));
      if (name !== undefined) {
        const value = scope.live?.exports[name];
        if (value !== undefined) return { t: 'lit', v: value, span };
        scope.wanted?.exports.add(name);
      }
      return { t: 'unknown', reason: 'Fn::ImportValue (another stack)', span };
    }
    default:
      return { t: 'unknown', reason: fn, span };
  }
}

function evalRef(name: string, span: Span, scope: Scope): Val {
  if (name === 'AWS::NoValue') return { t: 'none', span };
  if (name === 'AWS::Region') return { t: 'lit', v: scope.region, span };
  if (name === 'AWS::Partition') return { t: 'lit', v: partitionOf(scope.region), span };
  if (PSEUDO_UNKNOWN.has(name)) return { t: 'unknown', reason: name, span };
  if (scope.resourceIds.has(name)) return { t: 'ref', id: name, span };
  const param = scope.parameters.get(name);
  if (param) return evalParameter(name, param, span, scope);
  return { t: 'unknown', reason: `'${name}' is not defined in this template`, span };
}

function evalParameter(name: string, param: ParameterInfo, span: Span, scope: Scope): Val {
  const ssm = /^AWS::SSM::Parameter::Value<(.+)>$/.exec(param.type);
  if (ssm) {
    const live = ssmParameterValue(name, param, ssm[1]!, span, scope);
    if (live) return live;
  }
  const isList = param.type.startsWith('List<') || param.type === 'CommaDelimitedList';
  const given = scope.paramValues[name] ?? deployedParameter(name, scope);
  if (given === HIDDEN) return { t: 'unknown', reason: `parameter '${name}' is NoEcho in stack ${scope.live?.stackName}: its deployed value is not shown`, span, list: isList };
  if (given !== undefined) {
    if (isList) return { t: 'list', items: splitList(given).map((v) => ({ t: 'lit', v, span })), span };
    return { t: 'lit', v: given, span };
  }
  if (param.default === undefined || (param.default.kind === 'scalar' && param.default.value === null)) {
    return { t: 'unknown', reason: `parameter '${name}' has no default`, span, list: isList };
  }
  const d = param.default;
  if (d.kind === 'seq') {
    return { t: 'list', items: d.items.map((item) => ({ t: 'lit', v: String(str(item) ?? ''), span, param: name })), span, param: name };
  }
  const value = str(d);
  if (value === undefined) return { t: 'unknown', reason: `parameter '${name}' has a default that is not a value`, span, list: isList };
  if (isList) return { t: 'list', items: splitList(value).map((v) => ({ t: 'lit', v, span, param: name })), span, param: name };
  return { t: 'lit', v: value, span, param: name };
}

/**
 * A parameter of type `AWS::SSM::Parameter::Value<...>` holds the name of an SSM parameter; its value is
 * that parameter's, when the host read it from the account. Resting on the name in the parameter's
 * `Default`, the value is assumed.
 */
function ssmParameterValue(name: string, param: ParameterInfo, inner: string, span: Span, scope: Scope): Val | undefined {
  const deployed = scope.paramValues[name] ?? deployedParameter(name, scope);
  const given = deployed === HIDDEN ? undefined : deployed;
  const ssmName = given ?? (param.default ? str(param.default) : undefined);
  if (!ssmName) return undefined;
  const found = scope.live?.ssm[ssmName];
  if (!found) {
    scope.wanted?.ssm.add(ssmName);
    return undefined;
  }
  const assumed = given === undefined ? name : undefined;
  const lit = (v: string): Val => (assumed ? { t: 'lit', v, span, param: assumed } : { t: 'lit', v, span });
  if (inner.startsWith('List<') || inner === 'CommaDelimitedList') {
    const list: Val = { t: 'list', items: splitList(found.value).map(lit), span };
    if (assumed) list.param = assumed;
    return list;
  }
  return lit(found.value);
}

/** A deployed parameter whose value the API hides (`NoEcho`). */
const HIDDEN = '\u0000hidden';

/**
 * A parameter's value in the template's deployed stack (live facts), noted with its source; `HIDDEN` for a
 * `NoEcho` parameter. Undefined when there is no deployed stack, or it has no such parameter; a stack not
 * read yet is asked for.
 */
function deployedParameter(name: string, scope: Scope): string | undefined {
  const stackName = scope.live?.stackName;
  if (!stackName) return undefined;
  const stack = scope.live?.stacks?.[stackName];
  if (!stack) {
    scope.wanted?.stacks?.add(stackName);
    return undefined;
  }
  if (stack.hidden.includes(name)) return HIDDEN;
  const value = stack.parameters[name];
  if (value !== undefined) noteSource(scope, value, deployedLabel(stack.name, 'parameter', name));
  return value;
}

/** A stack's output (`${cf:stack.Output}`, `Fn::GetAtt Child.Outputs.X`), noted with its source. */
export function deployedOutput(stackName: string, key: string, scope: Scope): string | undefined {
  const stack = scope.live?.stacks?.[stackName];
  if (!stack) {
    if (scope.live) scope.wanted?.stacks?.add(stackName);
    return undefined;
  }
  const value = stack.outputs[key];
  if (value !== undefined) noteSource(scope, value, deployedLabel(stack.name, 'output', key));
  return value;
}

/** Resource ids (`subnet-0abc...`, `sg-...`, `vpce-...`): only these are named with their source, never words like `prod`. */
const RESOURCE_ID = /^[a-z]{2,8}-[0-9a-f]{8,17}$/;

function noteSource(scope: Scope, value: string, label: string): void {
  if (!scope.sources) return;
  for (const token of splitList(value)) if (RESOURCE_ID.test(token) && !scope.sources.has(token)) scope.sources.set(token, label);
}

/**
 * `Fn::GetAtt Child.Outputs.X` of a nested stack (`AWS::CloudFormation::Stack`, `AWS::Serverless::Application`)
 * of the template's deployed stack: the child's output, once the host found the child and read it.
 */
function nestedOutput(id: string, attr: string | undefined, span: Span, scope: Scope): Val | undefined {
  const stackName = scope.live?.stackName;
  const type = scope.resourceTypes?.get(id);
  if (!stackName || !attr?.startsWith('Outputs.') || (type !== 'AWS::CloudFormation::Stack' && type !== 'AWS::Serverless::Application')) return undefined;
  const parent = scope.live?.stacks?.[stackName];
  if (!parent) scope.wanted?.stacks?.add(stackName);
  const child = parent?.nested[id];
  if (child === undefined) {
    scope.wanted?.nested?.add(`${stackName}/${id}`);
    return undefined;
  }
  if (child === null) return undefined;
  const value = deployedOutput(child, attr.slice('Outputs.'.length), scope);
  return value === undefined ? undefined : { t: 'lit', v: value, span };
}

/**
 * Replaces `{{resolve:ssm:name}}` (and `{{resolve:ssm:name:version}}`) with the values the host read;
 * undefined when one of them is not known, or is another kind (`ssm-secure`, `secretsmanager`: never read).
 */
function resolveDynamicReferences(text: string, scope: Scope): string | undefined {
  let complete = true;
  const out = text.replace(/\{\{resolve:([a-z-]+):([^}]*)\}\}/g, (whole, service: string, name: string) => {
    if (service !== 'ssm' || name === '') {
      complete = false;
      return whole;
    }
    const found = scope.live?.ssm[name];
    if (!found) {
      scope.wanted?.ssm.add(name);
      complete = false;
      return whole;
    }
    return found.value;
  });
  return complete && !out.includes('{{resolve:') ? out : undefined;
}

function splitList(value: string): string[] {
  return value === '' ? [] : value.split(',').map((s) => s.trim());
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function evalGetAtt(arg: Node, span: Span, scope: Scope, depth: number): Val {
  let id: string | undefined;
  let attr: string | undefined;
  if (arg.kind === 'scalar') {
    const s = str(arg) ?? '';
    const dot = s.indexOf('.');
    id = dot < 0 ? s : s.slice(0, dot);
    attr = dot < 0 ? undefined : s.slice(dot + 1);
  } else if (arg.kind === 'seq') {
    id = str(arg.items[0]);
    const a = evaluate(arg.items[1], scope, depth + 1);
    attr = a.t === 'lit' ? String(a.v) : undefined;
  }
  if (id && scope.resourceIds.has(id)) return nestedOutput(id, attr, span, scope) ?? { t: 'ref', id, attr, span };
  return { t: 'unknown', reason: `Fn::GetAtt of '${id ?? '?'}', which is not in this template`, span };
}

/** The pieces of a `Fn::Sub` string: literal text and `${...}` variable names. */
export function subParts(text: string): { lit: string; name?: string }[] {
  const parts: { lit: string; name?: string }[] = [];
  let i = 0;
  let lit = '';
  while (i < text.length) {
    const open = text.indexOf('${', i);
    if (open < 0) {
      lit += text.slice(i);
      break;
    }
    lit += text.slice(i, open);
    if (text[open + 2] === '!') {
      const close = text.indexOf('}', open);
      lit += close < 0 ? text.slice(open) : '${' + text.slice(open + 3, close + 1);
      i = close < 0 ? text.length : close + 1;
      continue;
    }
    const close = text.indexOf('}', open);
    if (close < 0) {
      lit += text.slice(open);
      break;
    }
    parts.push({ lit });
    lit = '';
    parts.push({ lit: '', name: text.slice(open + 2, close).trim() });
    i = close + 1;
  }
  if (lit) parts.push({ lit });
  return parts;
}

function evalSub(arg: Node, span: Span, scope: Scope, depth: number): Val {
  let template: string | undefined;
  let vars: Node | undefined;
  if (arg.kind === 'scalar') template = str(arg);
  else if (arg.kind === 'seq') {
    template = str(arg.items[0]);
    vars = arg.items[1];
  }
  if (template === undefined) return { t: 'unknown', reason: 'a malformed Fn::Sub', span };
  if (template.includes('{{resolve:')) {
    template = resolveDynamicReferences(template, scope);
    if (template === undefined) return { t: 'unknown', reason: 'a dynamic reference', span };
  }
  const parts = subParts(template);
  const values: Val[] = [];
  for (const part of parts) {
    if (part.name === undefined) {
      values.push({ t: 'lit', v: part.lit, span });
      continue;
    }
    const name = part.name;
    const local = isMap(vars) ? get(vars, name) : undefined;
    if (local) values.push(evaluate(local, scope, depth + 1));
    else if (name.includes('.') && !name.startsWith('AWS::')) {
      const dot = name.indexOf('.');
      const id = name.slice(0, dot);
      values.push(scope.resourceIds.has(id) ? { t: 'ref', id, attr: name.slice(dot + 1), span } : { t: 'unknown', reason: name, span });
    } else values.push(evalRef(name, span, scope));
  }
  if (values.length === 1 && values[0]!.t === 'ref') return values[0]!;
  return concat(values, span);
}

/** Joins values into one string; pieces that are not literal make the result partial. */
function concat(values: Val[], span: Span, separator = ''): Val {
  let out = '';
  let partial = false;
  let param: string | undefined;
  let first = true;
  for (const v of values) {
    if (v.t === 'none') continue;
    if (!first) out += separator;
    first = false;
    if (v.t === 'lit') {
      out += String(v.v);
      if (v.partial) partial = true;
      param ??= v.param;
    } else if (v.t === 'az') {
      out += `<az-${v.index}>`;
      partial = true;
    } else {
      out += '\u0000';
      partial = true;
    }
  }
  const result: Val = { t: 'lit', v: out, span };
  if (partial) result.partial = true;
  if (param) result.param = param;
  return result;
}

function evalJoin(arg: Node, span: Span, scope: Scope, depth: number): Val {
  if (arg.kind !== 'seq' || arg.items.length !== 2) return { t: 'unknown', reason: 'a malformed Fn::Join', span };
  const sep = str(arg.items[0]) ?? '';
  const list = evaluate(arg.items[1], scope, depth + 1);
  if (list.t !== 'list') return { t: 'unknown', reason: 'Fn::Join of a list that cannot be resolved', span };
  return concat(list.items, span, sep);
}

function evalSelect(arg: Node, span: Span, scope: Scope, depth: number): Val {
  if (arg.kind !== 'seq' || arg.items.length !== 2) return { t: 'unknown', reason: 'a malformed Fn::Select', span };
  const index = evaluate(arg.items[0], scope, depth + 1);
  const list = evaluate(arg.items[1], scope, depth + 1);
  const i = index.t === 'lit' ? Number(index.v) : NaN;
  if (!Number.isInteger(i)) return { t: 'unknown', reason: 'Fn::Select with an index that cannot be resolved', span };
  if (list.t === 'azs') return { t: 'az', index: i, span, param: index.t === 'lit' ? index.param : undefined };
  if (list.t === 'list') {
    const item = list.items[i];
    return item ?? { t: 'unknown', reason: 'Fn::Select past the end of the list', span };
  }
  return { t: 'unknown', reason: 'Fn::Select from a list that cannot be resolved', span };
}

function evalSplit(arg: Node, span: Span, scope: Scope, depth: number): Val {
  if (arg.kind !== 'seq' || arg.items.length !== 2) return { t: 'unknown', reason: 'a malformed Fn::Split', span, list: true };
  const sep = str(arg.items[0]) ?? ',';
  const source = evaluate(arg.items[1], scope, depth + 1);
  if (source.t === 'lit' && !source.partial) {
    return { t: 'list', items: String(source.v).split(sep).map((v) => ({ t: 'lit', v, span, param: source.param })), span, param: source.param };
  }
  return { t: 'unknown', reason: 'Fn::Split of a value that cannot be resolved', span, list: true };
}

function evalFindInMap(arg: Node, span: Span, scope: Scope, depth: number): Val {
  if (arg.kind !== 'seq' || arg.items.length < 3) return { t: 'unknown', reason: 'a malformed Fn::FindInMap', span };
  const keys = arg.items.slice(0, 3).map((item) => evaluate(item, scope, depth + 1));
  if (!keys.every((k) => k.t === 'lit' && !k.partial)) return { t: 'unknown', reason: 'Fn::FindInMap with keys that cannot be resolved', span };
  const names = keys.map((k) => String((k as { v: unknown }).v));
  const found = get(get(get(scope.mappings, names[0]!), names[1]!), names[2]!);
  if (!found) return { t: 'unknown', reason: `Fn::FindInMap: no entry ${names.join('.')}`, span };
  const v = evaluate(found, scope, depth + 1);
  const param = keys.map((k) => (k as { param?: string }).param).find((p) => p);
  return param ? withParam(v, param) : v;
}

function withParam(v: Val, param: string): Val {
  if (v.t === 'lit' || v.t === 'list' || v.t === 'az') return { ...v, param: v.param ?? param };
  return v;
}

/** One value per combination of `Fn::If` branches (at the top of the value), with the conditions taken. */
export function alternatives(v: Val, conditions: string[] = [], limit = 16): { value: Val; conditions: string[] }[] {
  if (v.t !== 'if') return [{ value: v, conditions }];
  const out = [
    ...alternatives(v.then, [...conditions, v.cond], limit),
    ...alternatives(v.else, [...conditions, `!${v.cond}`], limit),
  ];
  return out.slice(0, limit);
}

/** A literal string value, when the value is one and fully known. */
export function litString(v: Val | undefined): string | undefined {
  return v?.t === 'lit' && !v.partial ? String(v.v) : undefined;
}

export function litBool(v: Val | undefined): boolean | undefined {
  if (v?.t !== 'lit' || v.partial) return undefined;
  if (typeof v.v === 'boolean') return v.v;
  const s = String(v.v).toLowerCase();
  return s === 'true' ? true : s === 'false' ? false : undefined;
}
