/**
 * Evaluates template values: literals, parameters, intrinsic functions and Serverless variables, to a
 * small algebra of values that keep their state (known / assumed / unknown) and source span. `Fn::If`
 * stays a choice between both branches; `alternatives()` expands it where a rule needs the branches.
 */
import type { LiveStack } from '../live';
import { deployedLabel } from '../live';
import type { MapNode, Node, Span } from '../tree';
import { get, intrinsicName, isMap, str } from '../tree';
import type { ManagedPolicyLookup } from './managed-policies';
import type { ConditionValue } from './types';

export type { ConditionValue };

export type Val =
  | { t: 'lit'; v: string | number | boolean; span: Span; param?: string; partial?: boolean; parts?: Joined }
  | { t: 'list'; items: Val[]; span: Span; param?: string }
  | { t: 'map'; node: MapNode; span: Span }
  | { t: 'ref'; id: string; attr?: string; span: Span; param?: string }
  | { t: 'unknown'; reason: string; span: Span; list?: boolean; missing?: boolean }
  | { t: 'if'; cond: string; then: Val; else: Val; span: Span }
  | { t: 'azs'; span: Span }
  | { t: 'az'; index: number; span: Span; param?: string }
  | { t: 'none'; span: Span };

/** The items an `Fn::Join` put together, so that an `Fn::Split` on the same separator takes them apart again. */
export interface Joined {
  separator: string;
  items: Val[];
}

/**
 * What a template's values can reach beyond it: the other templates of the workspace (exports, nested
 * stacks, a parent stack's parameters, Serverless `${cf:}`). `model/workspace.ts` implements it.
 */
export interface CrossTemplate {
  /** `Fn::ImportValue` of a name. */
  importValue(name: string, span: Span): Val;
  /** `!GetAtt Child.Outputs.Name` of a nested stack or SAM application; undefined when `id` is neither. */
  stackOutput(id: string, output: string, span: Span): Val | undefined;
  /** Serverless `${cf:stack.Output}`. */
  cfOutput(stack: string, output: string, span: Span): Val;
  /** A parameter's value given by the parent stack that nests this template. */
  parameter(name: string, span: Span): Val | undefined;
}

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
  /** The deployed stack name (`AWS::StackName`), when known. */
  stackName?: string;
  /** Maps a logical id to the model's id (templates of the workspace other than the analysed one qualify theirs). */
  qualify?: (id: string) => string;
  /** The other templates of the workspace. */
  crossTemplate?: CrossTemplate;
  /** AWS managed policies beyond the bundled ones, from the host. */
  managedPolicies?: ManagedPolicyLookup;
  /** The template's conditions that evaluate from the values at hand (see `evaluateConditions`). */
  conditions?: Map<string, ConditionValue>;
  /** Whether a logical id the template does not define may be generated (SAM, Serverless, a macro). */
  generated?: (id: string) => boolean;
  /** The region is the fallback (us-east-1), not one the user or the template gave: conditions do not decide on it. */
  regionAssumed?: boolean;
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
      const decided = scope.conditions?.get(str(arg.items[0]) ?? '');
      // A condition of known values takes only that value: the other branch is never deployed.
      if (decided && !decided.assumed) return evaluate(arg.items[decided.value ? 1 : 2], scope, depth + 1);
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
      let fromWorkspace: Val | undefined;
      if (name !== undefined) {
        fromWorkspace = scope.crossTemplate?.importValue(name, span);
        if (fromWorkspace && fromWorkspace.t !== 'unknown') return fromWorkspace;
        const value = scope.live?.exports[name];
        if (value !== undefined) return { t: 'lit', v: value, span };
        scope.wanted?.exports.add(name);
      }
      return fromWorkspace ?? { t: 'unknown', reason: 'Fn::ImportValue (another stack)', span };
    }
    default:
      return { t: 'unknown', reason: fn, span };
  }
}

function evalRef(name: string, span: Span, scope: Scope): Val {
  if (name === 'AWS::NoValue') return { t: 'none', span };
  if ((name === 'AWS::Region' || name === 'AWS::Partition') && scope.regionAssumed) return { t: 'unknown', reason: `${name} (no region given)`, span };
  if (name === 'AWS::Region') return { t: 'lit', v: scope.region, span };
  if (name === 'AWS::Partition') return { t: 'lit', v: partitionOf(scope.region), span };
  if (name === 'AWS::StackName' && scope.stackName !== undefined) return { t: 'lit', v: scope.stackName, span };
  if (PSEUDO_UNKNOWN.has(name)) return { t: 'unknown', reason: name, span };
  if (scope.resourceIds.has(name)) return { t: 'ref', id: qualified(scope, name), span };
  const param = scope.parameters.get(name);
  if (param) return evalParameter(name, param, span, scope);
  return undefinedId(name, span, scope);
}

/**
 * A reference to an id the template does not define: unknown and `missing` (it never satisfies a check), unless
 * the id may be generated at deploy time, or is not a logical id at all (a Serverless variable left over).
 */
function undefinedId(name: string, span: Span, scope: Scope, reason = `'${name}' is not defined in this template`): Val {
  const missing = /^[A-Za-z0-9]+$/.test(name) && scope.generated !== undefined && !scope.generated(name);
  return missing ? { t: 'unknown', reason, span, missing } : { t: 'unknown', reason, span };
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
  const fromParent = scope.crossTemplate?.parameter(name, span);
  if (fromParent) return isList ? asList(fromParent, ',', span) : fromParent;
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
  if (id && scope.resourceIds.has(id)) {
    // A nested stack's output: the workspace's template when it resolves it, else the deployed stack (live facts).
    const output = attr?.startsWith('Outputs.') ? scope.crossTemplate?.stackOutput(id, attr.slice('Outputs.'.length), span) : undefined;
    if (output && output.t !== 'unknown') return output;
    return nestedOutput(id, attr, span, scope) ?? output ?? { t: 'ref', id: qualified(scope, id), attr, span };
  }
  return undefinedId(id ?? '', span, scope, `Fn::GetAtt of '${id ?? '?'}', which is not in this template`);
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
  const values = subValues(arg, span, scope, depth);
  if (!Array.isArray(values)) return values;
  if (values.length === 1 && values[0]!.t === 'ref') return values[0]!;
  return concat(values, span);
}

/** The pieces of a `Fn::Sub`, evaluated in order: literal text and each variable's value. */
function subValues(arg: Node, span: Span, scope: Scope, depth: number): Val[] | Val {
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
      const attr = name.slice(dot + 1);
      const output = scope.resourceIds.has(id) && attr.startsWith('Outputs.') ? scope.crossTemplate?.stackOutput(id, attr.slice('Outputs.'.length), span) : undefined;
      values.push(output ?? (scope.resourceIds.has(id) ? { t: 'ref', id: qualified(scope, id), attr, span } : undefinedId(id, span, scope, name)));
    } else values.push(evalRef(name, span, scope));
  }
  return values;
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
  if (separator !== '') result.parts = { separator, items: values.filter((v) => v.t !== 'none') };
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
  const pieces = sep === '' ? undefined : piecesOf(arg.items[1]!, scope, depth + 1);
  if (pieces) return splitPieces(pieces, sep, span);
  return asList(evaluate(arg.items[1], scope, depth + 1), sep, span);
}

/**
 * A string value taken apart as `Fn::Split` does; one that an `Fn::Join` on the same separator built
 * gives back the joined items themselves, so references keep their identity (`!Split` of an imported
 * `!Join [",", [!Ref SubnetA, !Ref SubnetB]]` is those two subnets).
 */
function asList(source: Val, sep: string, span: Span): Val {
  if (source.t === 'list') return source;
  if (source.t === 'lit' && source.parts?.separator === sep && source.parts.items.every((i) => (i.t === 'lit' && !i.partial) || i.t === 'ref')) {
    const items = source.parts.items.map((i) => (source.param ? withParam(i, source.param) : i));
    return source.param ? { t: 'list', items, span, param: source.param } : { t: 'list', items, span };
  }
  if (source.t === 'lit' && !source.partial) {
    return { t: 'list', items: String(source.v).split(sep).map((v) => ({ t: 'lit', v, span, param: source.param })), span, param: source.param };
  }
  return { t: 'unknown', reason: source.t === 'unknown' ? source.reason : 'Fn::Split of a value that cannot be resolved', span, list: true };
}

function qualified(scope: Scope, id: string): string {
  return scope.qualify ? scope.qualify(id) : id;
}

/**
 * The pieces a `Fn::Sub` or `Fn::Join` concatenates, so that splitting it again keeps each reference
 * whole: `!Split [',', !Sub '${SubnetA},${SubnetB}']` is the two subnets, not an unknown string.
 */
function piecesOf(node: Node, scope: Scope, depth: number): Val[] | undefined {
  const fn = intrinsicName(node);
  if (!isMap(node) || (fn !== 'Fn::Sub' && fn !== 'Fn::Join')) return undefined;
  const arg = node.pairs[0]!.value;
  const span: Span = { start: node.start, end: node.end };
  if (fn === 'Fn::Sub') {
    const values = subValues(arg, span, scope, depth);
    return Array.isArray(values) ? values : undefined;
  }
  if (arg.kind !== 'seq' || arg.items.length !== 2) return undefined;
  const list = evaluate(arg.items[1], scope, depth + 1);
  if (list.t !== 'list') return undefined;
  const joiner: Val = { t: 'lit', v: str(arg.items[0]) ?? '', span };
  return list.items.flatMap((item, i) => (i === 0 ? [item] : [joiner, item]));
}

/** Splits concatenated pieces at `sep` in their literal text; a piece that fills an item alone stays itself. */
function splitPieces(pieces: Val[], sep: string, span: Span): Val {
  const groups: Val[][] = [[]];
  for (const piece of pieces) {
    if (piece.t === 'none') continue;
    if (piece.t === 'lit' && !piece.partial) {
      String(piece.v).split(sep).forEach((text, i) => {
        if (i > 0) groups.push([]);
        if (text !== '') groups[groups.length - 1]!.push({ ...piece, v: text });
      });
    } else if (piece.t === 'list' || (piece.t === 'unknown' && piece.list)) {
      return { t: 'unknown', reason: 'Fn::Split of a value that cannot be resolved', span, list: true };
    } else groups[groups.length - 1]!.push(piece);
  }
  const items = groups.map((group): Val => {
    if (group.length === 1 && group[0]!.t !== 'lit') return group[0]!;
    if (group.length === 0) return { t: 'lit', v: '', span };
    return concat(group, span);
  });
  const param = items.map((i) => (i.t === 'lit' ? i.param : undefined)).find((p) => p);
  return param ? { t: 'list', items, span, param } : { t: 'list', items, span };
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

export function withParam(v: Val, param: string): Val {
  if (v.t === 'lit' || v.t === 'list' || v.t === 'az' || v.t === 'ref') return { ...v, param: v.param ?? param };
  return v;
}

/**
 * One value per combination of `Fn::If` branches (at the top of the value), with the conditions taken.
 * A condition already taken keeps its value: the other branch of the same condition is never paired with it.
 */
export function alternatives(v: Val, conditions: string[] = [], limit = 16): { value: Val; conditions: string[] }[] {
  if (v.t !== 'if') return [{ value: v, conditions }];
  if (conditions.includes(v.cond)) return alternatives(v.then, conditions, limit);
  if (conditions.includes(`!${v.cond}`)) return alternatives(v.else, conditions, limit);
  const out = [
    ...alternatives(v.then, [...conditions, v.cond], limit),
    ...alternatives(v.else, [...conditions, `!${v.cond}`], limit),
  ];
  return out.slice(0, limit);
}

/** The value with every `Fn::If` on a condition already taken (`Cond` or `!Cond`) replaced by its branch, at any depth. */
export function decide(v: Val, conditions: readonly string[]): Val {
  if (conditions.length === 0) return v;
  if (v.t === 'if') {
    if (conditions.includes(v.cond)) return decide(v.then, conditions);
    if (conditions.includes(`!${v.cond}`)) return decide(v.else, conditions);
    return { ...v, then: decide(v.then, conditions), else: decide(v.else, conditions) };
  }
  if (v.t === 'list') return { ...v, items: v.items.map((item) => decide(item, conditions)) };
  return v;
}

/** Whether two sets of conditions (`Cond` / `!Cond`) can hold together. */
export function consistent(a: readonly string[], b: readonly string[]): boolean {
  return a.every((c) => !b.includes(c.startsWith('!') ? c.slice(1) : `!${c}`));
}

const MAX_CONDITION_DEPTH = 32;

/**
 * Evaluates the `Conditions` section: `Fn::Equals` of values that resolve, `Fn::Not`, `Fn::And`,
 * `Fn::Or` and `Condition` references. A condition that does not evaluate is left out (both branches).
 * `scope.regionAssumed` keeps `AWS::Region` out of it when the region is only the fallback.
 */
export function evaluateConditions(section: Node | undefined, scope: Scope): Map<string, ConditionValue> {
  const out = new Map<string, ConditionValue>();
  if (!isMap(section)) return out;
  const visiting = new Set<string>();
  const byName = (name: string, depth: number): ConditionValue | undefined => {
    if (out.has(name)) return out.get(name);
    if (visiting.has(name)) return undefined;
    visiting.add(name);
    const v = condition(get(section, name), depth);
    visiting.delete(name);
    if (v) out.set(name, v);
    return v;
  };
  const condition = (node: Node | undefined, depth: number): ConditionValue | undefined => {
    if (!node || depth > MAX_CONDITION_DEPTH) return undefined;
    const fn = isMap(node) && node.pairs.length === 1 ? String(node.pairs[0]!.key.value) : undefined;
    if (!fn || !isMap(node)) return undefined;
    const arg = node.pairs[0]!.value;
    if (fn === 'Condition') return byName(str(arg) ?? '', depth + 1);
    if (fn === 'Fn::Equals') {
      if (arg.kind !== 'seq' || arg.items.length !== 2) return undefined;
      const [a, b] = arg.items.map((item) => evaluate(item, scope, depth + 1));
      if (a?.t !== 'lit' || b?.t !== 'lit' || a.partial || b.partial) return undefined;
      return withAssumed(String(a.v) === String(b.v), [a.param, b.param]);
    }
    const parts = arg.kind === 'seq' ? arg.items.map((item) => condition(item, depth + 1)) : [];
    if (fn === 'Fn::Not') return parts.length === 1 && parts[0] ? withAssumed(!parts[0].value, parts[0].assumed ?? []) : undefined;
    if ((fn !== 'Fn::And' && fn !== 'Fn::Or') || parts.length === 0) return undefined;
    // One operand decides alone when it is known and false (And) or true (Or).
    const decisive = fn === 'Fn::And' ? false : true;
    const known = parts.find((p) => p && !p.assumed && p.value === decisive);
    if (known) return known;
    if (parts.some((p) => !p)) return undefined;
    const values = parts as ConditionValue[];
    const value = fn === 'Fn::And' ? values.every((p) => p.value) : values.some((p) => p.value);
    return withAssumed(value, values.flatMap((p) => p.assumed ?? []));
  };
  for (const pair of section.pairs) byName(String(pair.key.value), 0);
  return out;
}

function withAssumed(value: boolean, params: (string | undefined)[]): ConditionValue {
  const assumed = [...new Set(params.filter((p): p is string => !!p))];
  return assumed.length ? { value, assumed } : { value };
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
