/**
 * What the engine could follow of each function's network, computed once per model and read by every
 * output: the rule `network-unknown`, the CLI's `functions[]`, the editor's hover and status bar.
 *
 * A VPC function's network is `checked` when every subnet's route table and every security group is
 * known or assumed, `partial` when its subnets are known but a route table or a group is not, `unknown`
 * when its subnets are not. Each missing fact names where it comes from (a parameter without a value,
 * an `Fn::ImportValue`, a hard-coded id, a Serverless variable, a dynamic reference, a placeholder) and
 * how to supply it. All `Fn::If` variants of a function count: the worst state wins, the facts add up.
 */
import type { Node, Span } from '../tree';
import { get, intrinsicName, str } from '../tree';
import type { LambdaFunction, Model, ResourceRef, Resource, Subnet, VpcAttachment } from './types';
import { isPlaceholder } from './facts';

export type NetworkState = 'checked' | 'partial' | 'unknown';

/** Where an unknown fact comes from. */
export type OriginKind =
  | 'parameter'          // a CloudFormation parameter (or Serverless `${param:}`) without a value
  | 'import'             // `Fn::ImportValue`
  | 'hard-coded'         // an id written in the template that no resource of the template has
  | 'variable'           // a Serverless `${...}` variable without a value
  | 'dynamic-reference'  // `{{resolve:...}}`
  | 'placeholder'        // `CHANGEME`, left by a fix or a snippet
  | 'nested-stack'       // an output of a nested stack
  | 'main-table'         // a subnet without an association, in a VPC the template does not define
  | 'other';

/** How a missing fact can be supplied. */
export type Supply = 'parameter-value' | 'serverless-param' | 'stage' | 'dotenv' | 'workspace' | 'live' | 'replace' | 'template';

export interface Origin {
  kind: OriginKind;
  /** The parameter, export name, id, variable or reference, as written. */
  name: string;
  /** For a hard-coded id: the parameter whose default it is. */
  param?: string;
}

export interface MissingFact {
  /** What is not known: the function's subnets, one subnet's route table, its security groups. */
  what: 'subnets' | 'route-table' | 'security-groups';
  /** For `route-table`: the subnet's logical id. */
  subnet?: string;
  origin: Origin;
  supply: Supply[];
  /** Where the unknown value is written. */
  span: Span;
}

/**
 * Where the facts of a function's network came from. `workspace` is for values resolved from another
 * template of the workspace (exports, nested stacks, `${cf:}`): a resource merged from another file adds
 * one with that file's path (see `sourceOfResource`).
 */
export type FactSource = { kind: 'template' } | { kind: 'params'; names: string[] } | { kind: 'live' } | { kind: 'workspace'; file: string };

export interface FunctionCoverage {
  fn: LambdaFunction;
  /** Attached to a VPC on at least one `Fn::If` variant. */
  vpc: boolean;
  /** Absent when `vpc` is false. */
  network?: NetworkState;
  /** Grouped: one entry per fact and origin; the names of one kind of origin are listed together. */
  missing: MissingGroup[];
  sources: FactSource[];
}

/** Facts that are missing for the same reason, reported together (`subnet-a`, `subnet-b` are not in the template). */
export interface MissingGroup {
  what: MissingFact['what'];
  subnet?: string;
  kind: OriginKind;
  names: string[];
  supply: Supply[];
  spans: Span[];
  /** One sentence in the words of `network-unknown`: what is missing, why, and how to supply it. */
  text: string;
}

const cache = new WeakMap<Model, readonly FunctionCoverage[]>();

/** A VPC function's coverage as plain data: what the status bar shows, with the span of the function's key. */
export interface CoverageRecord {
  resource: string;
  network: NetworkState;
  /** The sentences of the missing facts. */
  missing: string[];
  keySpan: Span;
}

/** The model's VPC functions whose network could be followed at all, in model order, as plain data. */
export function coverageRecords(model: Model): CoverageRecord[] {
  const out: CoverageRecord[] = [];
  for (const c of coverageOf(model)) {
    if (!c.vpc || c.network === undefined) continue;
    out.push({ resource: c.fn.id, network: c.network, missing: c.missing.map((m) => m.text), keySpan: { start: c.fn.keySpan.start, end: c.fn.keySpan.end } });
  }
  return out;
}

/** Every function of the model, in model order, with its coverage. */
export function coverageOf(model: Model): readonly FunctionCoverage[] {
  let list = cache.get(model);
  if (!list) {
    list = model.functions.map((fn) => computeCoverage(model, fn));
    cache.set(model, list);
  }
  return list;
}

export function functionCoverage(model: Model, fn: LambdaFunction): FunctionCoverage | undefined {
  return coverageOf(model).find((c) => c.fn === fn);
}

/** A one-line statement of a function's coverage (hover, status bar tooltip). */
export function coverageLine(c: FunctionCoverage): string {
  if (!c.vpc) return `Function '${c.fn.id}' is not in a VPC.`;
  if (c.network === 'checked') return `Function '${c.fn.id}': VPC network checked (every subnet's route table and every security group is known).`;
  const n = c.missing.length;
  return `Function '${c.fn.id}': VPC network ${c.network === 'partial' ? 'partly checked' : 'not checked'} (${n} missing fact${n === 1 ? '' : 's'}, see network-unknown).`;
}

const RANK: Record<NetworkState, number> = { checked: 0, partial: 1, unknown: 2 };

function computeCoverage(model: Model, fn: LambdaFunction): FunctionCoverage {
  const facts: MissingFact[] = [];
  let network: NetworkState | undefined;
  const used: Resource[] = [];
  const params = new Set<string>();
  for (const variant of fn.variants) {
    const vpc = variant.vpc;
    if (!vpc || isEmptyAttachment(vpc) || isIncomplete(vpc)) continue;
    const state = variantState(model, vpc, facts, used);
    if (network === undefined || RANK[state] > RANK[network]) network = state;
    for (const name of parametersIn(model, vpc.vpcConfigNode)) params.add(name);
  }
  const sources: FactSource[] = [{ kind: 'template' }];
  if (params.size > 0) sources.push({ kind: 'params', names: [...params].sort() });
  for (const r of used) {
    const source = sourceOfResource(r);
    if (source && !sources.some((s) => sameSource(s, source))) sources.push(source);
  }
  const out: FunctionCoverage = { fn, vpc: network !== undefined, missing: network && network !== 'checked' ? group(facts) : [], sources };
  if (network) out.network = network;
  return out;
}

/** The hook for facts that did not come from this template: live resources, and (soon) other workspace templates. */
function sourceOfResource(r: Resource): FactSource | undefined {
  if (r.live) return { kind: 'live' };
  // A resource another template of the workspace defines (an imported subnet, its route table).
  if (r.origin) return { kind: 'workspace', file: r.origin.file };
  return undefined;
}

function sameSource(a: FactSource, b: FactSource): boolean {
  return a.kind === b.kind && (a.kind !== 'workspace' || a.file === (b as { file: string }).file);
}

/** `SubnetIds: []` with `SecurityGroupIds: []`: Lambda takes it for no VPC. */
function isEmptyAttachment(vpc: VpcAttachment): boolean {
  return vpc.subnetIds.state !== 'unknown' && vpc.subnetIds.items.length === 0 && vpc.securityGroupIds.state !== 'unknown' && vpc.securityGroupIds.items.length === 0;
}

/**
 * Subnets without groups or groups without subnets: Lambda rejects such a config and the Serverless
 * Framework drops it (the function runs outside any VPC); `vpc-config-incomplete` reports it.
 */
function isIncomplete(vpc: VpcAttachment): boolean {
  if (vpc.subnetIds.state === 'unknown' || vpc.securityGroupIds.state === 'unknown') return false;
  return (vpc.subnetIds.items.length === 0) !== (vpc.securityGroupIds.items.length === 0);
}

/**
 * A logical id the template does not define resolves to nothing (`unresolved-reference` reports it): it
 * is not a fact to supply.
 */
function isUndefinedReference(reason: string | undefined): boolean {
  return !!reason && /^'[^']*' is not defined in this template$|^Fn::GetAtt of '[^']*', which is not in this template$/.test(reason);
}

function variantState(model: Model, vpc: VpcAttachment, facts: MissingFact[], used: Resource[]): NetworkState {
  let subnetsKnown = true;
  let restKnown = true;
  const subnets = vpc.subnetIds;
  if (subnets.state === 'unknown' && !(subnets.items.length === 0 && isUndefinedReference(subnets.reason))) {
    subnetsKnown = false;
    if (subnets.items.length === 0 || !subnets.items.some((i) => i.state === 'unknown')) {
      facts.push(listFact(model, 'subnets', subnets.span ?? vpc.span, subnets.reason));
    }
  }
  for (const ref of subnets.items) {
    if (ref.state === 'unknown' && isUndefinedReference(ref.reason)) continue;
    const subnet = ref.id ? model.subnets.get(ref.id) : undefined;
    if (!subnet) {
      subnetsKnown = false;
      facts.push(refFact(model, 'subnets', ref));
      continue;
    }
    used.push(subnet);
    const table = routeTableFact(model, subnet, used);
    if (table) {
      restKnown = false;
      facts.push(table);
    }
  }
  const groups = vpc.securityGroupIds;
  if (groups.state === 'unknown' && !(groups.items.length === 0 && isUndefinedReference(groups.reason))) {
    restKnown = false;
    if (groups.items.length === 0 || !groups.items.some((i) => i.state === 'unknown')) {
      facts.push(listFact(model, 'security-groups', groups.span ?? vpc.span, groups.reason));
    }
  }
  for (const ref of groups.items) {
    if (ref.state === 'unknown' && isUndefinedReference(ref.reason)) continue;
    const sg = ref.id ? model.securityGroups.get(ref.id) : undefined;
    if (sg) used.push(sg);
    else if (ref.id && ref.attr === 'DefaultSecurityGroup' && model.vpcs.has(ref.id)) {
      // The default group of a VPC the template creates: AWS's defaults (all egress, ingress from itself) are known.
    } else {
      restKnown = false;
      facts.push(refFact(model, 'security-groups', ref));
    }
  }
  if (!subnetsKnown) return 'unknown';
  return restKnown ? 'checked' : 'partial';
}

/** The subnet's route table when it is not known: the association's table, or the main table of a VPC not in the template. */
function routeTableFact(model: Model, subnet: Subnet, used: Resource[]): MissingFact | undefined {
  const rt = subnet.routeTable;
  if (rt.state !== 'unknown' && rt.id && model.routeTables.has(rt.id)) {
    used.push(model.routeTables.get(rt.id)!);
    return undefined;
  }
  if (rt.state !== 'unknown' && (rt.main || !rt.id) && subnet.vpc.id && model.vpcs.has(subnet.vpc.id)) return undefined;
  if (rt.association) {
    const node = get(model.resources.get(rt.association)?.properties, 'RouteTableId');
    const span = node ? { start: node.start, end: node.end } : (rt.associationSpan ?? subnet.keySpan);
    const origin = originOf(model, node, undefined, span) ?? { kind: 'other' as const, name: 'the associated route table is not in the template' };
    return { what: 'route-table', subnet: subnet.id, origin, supply: supplyFor(model, origin), span };
  }
  const origin: Origin = { kind: 'main-table', name: subnet.vpc.literal ?? subnet.vpc.id ?? (originOf(model, nodeAt(model.root, subnet.vpc.span), subnet.vpc.reason, subnet.vpc.span)?.name ?? 'its VPC') };
  return { what: 'route-table', subnet: subnet.id, origin, supply: supplyFor(model, origin), span: subnet.keySpan };
}

function listFact(model: Model, what: MissingFact['what'], span: Span, reason: string | undefined): MissingFact {
  const origin = originOf(model, nodeAt(model.root, span), reason, span) ?? { kind: 'other' as const, name: reason ?? 'the list cannot be resolved' };
  return { what, origin, supply: supplyFor(model, origin), span };
}

function refFact(model: Model, what: MissingFact['what'], ref: ResourceRef): MissingFact {
  const origin = refOrigin(model, ref);
  return { what, origin, supply: supplyFor(model, origin), span: ref.span };
}

function refOrigin(model: Model, ref: ResourceRef): Origin {
  if (ref.placeholder !== undefined) return { kind: 'placeholder', name: ref.placeholder };
  if (ref.literal !== undefined && ref.state !== 'unknown') {
    return ref.param ? { kind: 'hard-coded', name: ref.literal, param: ref.param } : { kind: 'hard-coded', name: ref.literal };
  }
  if (ref.id) {
    const r = model.resources.get(ref.id);
    if (r && (r.type === 'AWS::CloudFormation::Stack' || r.type === 'AWS::Serverless::Application')) {
      return { kind: 'nested-stack', name: ref.attr ? `${ref.id}.${ref.attr}` : ref.id };
    }
    return { kind: 'other', name: `'${ref.id}' is ${r ? `a ${r.type}, not a resource of that kind` : 'not a resource of that kind'}` };
  }
  return originOf(model, nodeAt(model.root, ref.span), ref.reason, ref.span) ?? { kind: 'other', name: ref.reason ?? 'the value cannot be resolved' };
}

/** Reads an origin from the evaluator's reason, else from the value as written. */
function originOf(model: Model, node: Node | undefined, reason: string | undefined, span: Span): Origin | undefined {
  void span;
  const r = reason ?? '';
  let m = /^parameter '([^']+)' has (?:no default|a default that is not a value)/.exec(r);
  if (m) return { kind: 'parameter', name: m[1]! };
  m = /^\$\{param:([^}]+)\} is not in the params/.exec(r);
  if (m) return { kind: 'parameter', name: m[1]!.trim() };
  m = /^\$\{(.+)\} (?:has no value here|is read at deploy time|cannot be resolved)$/s.exec(r);
  if (m) return variableOrigin(m[1]!);
  m = /^the dynamic reference (.*)$/s.exec(r);
  if (m) return { kind: 'dynamic-reference', name: dynamicIn(m[1]!) ?? m[1]! };
  return scan(model, node, 0);
}

function variableOrigin(content: string): Origin {
  const text = content.trim();
  if (/^param:/.test(text)) return { kind: 'parameter', name: text.slice(6).split(',')[0]!.trim() };
  return { kind: 'variable', name: `\${${text}}` };
}

function dynamicIn(text: string): string | undefined {
  return /\{\{resolve:[^}]*\}\}/.exec(text)?.[0];
}

const VARIABLE = /\$\{((?:env|opt|ssm|param|cf|s3)[:(][^{}]*)\}/;

/** The first thing in the value that only the deployment can know. */
function scan(model: Model, node: Node | undefined, depth: number): Origin | undefined {
  if (!node || depth > 16) return undefined;
  if (node.kind === 'scalar') {
    if (typeof node.value !== 'string') return undefined;
    const dynamic = dynamicIn(node.value);
    if (dynamic) return { kind: 'dynamic-reference', name: dynamic };
    if (model.dialect === 'serverless') {
      const v = VARIABLE.exec(node.value);
      if (v) return variableOrigin(v[1]!);
    }
    if (isPlaceholder(node.value)) return { kind: 'placeholder', name: node.value };
    return undefined;
  }
  if (node.kind === 'seq') {
    for (const item of node.items) {
      const o = scan(model, item, depth + 1);
      if (o) return o;
    }
    return undefined;
  }
  const fn = intrinsicName(node);
  const arg = fn ? node.pairs[0]!.value : undefined;
  if (fn === 'Fn::ImportValue') {
    const name = str(arg) ?? (intrinsicName(arg) === 'Fn::Sub' ? subText(arg!) : undefined) ?? 'a computed name';
    return { kind: 'import', name };
  }
  if (fn === 'Ref') {
    const name = str(arg) ?? '';
    const param = get(get(model.root, 'Parameters'), name);
    if (param && get(param, 'Default') === undefined) return { kind: 'parameter', name };
    return undefined;
  }
  if (fn === 'Fn::Sub') {
    const text = subText(node);
    for (const m of (text ?? '').matchAll(/\$\{([A-Za-z0-9_]+)\}/g)) {
      const param = get(get(model.root, 'Parameters'), m[1]!);
      if (param && get(param, 'Default') === undefined) return { kind: 'parameter', name: m[1]! };
    }
  }
  if (fn === 'Fn::GetAtt') {
    const target = arg?.kind === 'seq' ? str(arg.items[0]) : str(arg)?.split('.')[0];
    const r = target ? model.resources.get(target) : undefined;
    if (r && (r.type === 'AWS::CloudFormation::Stack' || r.type === 'AWS::Serverless::Application')) {
      return { kind: 'nested-stack', name: arg?.kind === 'seq' ? `${target}.${str(arg.items[1]) ?? ''}` : str(arg)! };
    }
  }
  for (const pair of node.pairs) {
    const o = scan(model, pair.value, depth + 1);
    if (o) return o;
  }
  return undefined;
}

function subText(node: Node): string | undefined {
  const arg = node.kind === 'map' ? node.pairs[0]?.value : undefined;
  return str(arg) ?? (arg?.kind === 'seq' ? str(arg.items[0]) : undefined);
}

/** CloudFormation parameters (and Serverless `${param:}` keys) the attachment is written with. */
function parametersIn(model: Model, node: Node | undefined): string[] {
  const out = new Set<string>();
  const parameters = get(model.root, 'Parameters');
  const visit = (n: Node | undefined, depth: number) => {
    if (!n || depth > 16) return;
    if (n.kind === 'scalar') {
      if (typeof n.value === 'string' && model.dialect === 'serverless') for (const m of n.value.matchAll(/\$\{param:([A-Za-z0-9_.-]+)/g)) out.add(m[1]!);
      return;
    }
    if (n.kind === 'seq') return n.items.forEach((i) => visit(i, depth + 1));
    const fn = intrinsicName(n);
    if (fn === 'Ref' && get(parameters, str(n.pairs[0]!.value) ?? '')) out.add(str(n.pairs[0]!.value)!);
    if (fn === 'Fn::Sub') for (const m of (subText(n) ?? '').matchAll(/\$\{([A-Za-z0-9_]+)\}/g)) if (get(parameters, m[1]!)) out.add(m[1]!);
    for (const p of n.pairs) visit(p.value, depth + 1);
  };
  visit(node, 0);
  return [...out];
}

/** The node at exactly this span, when the tree has one. */
function nodeAt(root: Node, span: Span | undefined): Node | undefined {
  if (!span) return undefined;
  let node: Node | undefined = root;
  while (node) {
    if (node.start === span.start && node.end === span.end) {
      // A short-form tag and its map share the span: prefer the innermost of equal spans.
      const only: Node | undefined = node.kind === 'map' && node.pairs.length === 1 && !intrinsicName(node) ? node.pairs[0]!.value : undefined;
      return only && only.start === span.start && only.end === span.end ? only : node;
    }
    const current: Node = node;
    if (current.kind === 'map') node = current.pairs.find((p) => p.value.start <= span.start && p.value.end >= span.end)?.value;
    else if (current.kind === 'seq') node = current.items.find((i) => i.start <= span.start && i.end >= span.end);
    else node = undefined;
  }
  return undefined;
}

function supplyFor(model: Model, origin: Origin): Supply[] {
  switch (origin.kind) {
    case 'parameter':
      return model.dialect === 'serverless' ? ['serverless-param'] : ['parameter-value'];
    case 'import':
      return ['workspace', 'live'];
    case 'hard-coded':
    case 'main-table':
      return ['live'];
    case 'nested-stack':
      return ['workspace'];
    case 'placeholder':
      return ['replace'];
    case 'dynamic-reference':
      return /^\{\{resolve:ssm:/.test(origin.name) ? ['live'] : [];
    case 'variable': {
      const v = origin.name.slice(2);
      if (v.startsWith('env:')) return ['dotenv'];
      if (v.startsWith('opt:stage')) return ['stage'];
      if (v.startsWith('ssm')) return v.includes('~true') || v.includes('secretsmanager') ? [] : ['live'];
      if (v.startsWith('cf')) return ['workspace'];
      return [];
    }
    default:
      return [];
  }
}

const WHAT: Record<MissingFact['what'], string> = { subnets: 'subnets', 'route-table': 'route table', 'security-groups': 'security groups' };

function group(facts: MissingFact[]): MissingGroup[] {
  const groups: MissingGroup[] = [];
  for (const f of facts) {
    // Facts of one kind, missing for the same reason and supplied the same way, are listed together.
    const found = groups.find((g) => g.what === f.what && g.subnet === f.subnet && g.kind === f.origin.kind && g.kind !== 'other' && g.supply.join() === f.supply.join());
    const name = f.origin.param ? `${f.origin.name}\u0000${f.origin.param}` : f.origin.name;
    if (found) {
      if (!found.names.includes(name)) found.names.push(name);
      found.spans.push(f.span);
      continue;
    }
    groups.push({ what: f.what, subnet: f.subnet, kind: f.origin.kind, names: [name], supply: f.supply, spans: [f.span], text: '' });
  }
  for (const g of groups) {
    g.text = describeGroup(g);
    g.names = g.names.map((n) => n.split('\u0000')[0]!);
  }
  return groups;
}

const code = (s: string) => `\`${s}\``;

/** Names as the message shows them: `subnet-0abc`, `subnet-0def` (the default of parameter `P`). */
function shownNames(names: string[]): string {
  const runs: { param?: string; values: string[] }[] = [];
  for (const name of names) {
    const [value, param] = name.split('\u0000');
    const last = runs[runs.length - 1];
    if (last && last.param === param) last.values.push(value!);
    else runs.push({ param, values: [value!] });
  }
  return runs.map((r) => r.values.map(code).join(', ') + (r.param === undefined ? '' : ` (the default of parameter ${code(r.param)})`)).join(', ');
}

function describeGroup(g: MissingGroup): string {
  const label = g.what === 'route-table' ? `route table of subnet ${code(g.subnet ?? '?')}` : WHAT[g.what];
  const names = shownNames(g.names);
  const many = g.names.length > 1;
  let why: string;
  switch (g.kind) {
    case 'parameter':
      why = many ? `parameters ${names} have no value` : `parameter ${names} has no value`;
      break;
    case 'import':
      why = `\`Fn::ImportValue\` ${names} ${many ? 'are' : 'is'} exported by no template in the workspace`;
      break;
    case 'hard-coded':
      why = `${names} ${many ? 'are' : 'is'} not in the template`;
      break;
    case 'placeholder':
      why = `${names} ${many ? 'are placeholders' : 'is a placeholder'}`;
      break;
    case 'variable':
      why = `${names} ${many ? 'have' : 'has'} no value here`;
      break;
    case 'dynamic-reference':
      why = `${names} ${many ? 'are' : 'is'} resolved at deploy time`;
      break;
    case 'nested-stack':
      why = `${names} ${many ? 'are outputs of nested stacks' : 'is an output of a nested stack'} whose template was not read`;
      break;
    case 'main-table':
      why = `the subnet has no route table association, so it uses the main route table of VPC ${names}, which is not in the template`;
      break;
    default:
      why = g.names.join(', ');
  }
  const how = g.supply.map((s) => SUPPLY[s](g, many)).filter(Boolean);
  return `${label}: ${why}${how.length ? ` (${how.join(', or ')})` : ''}`;
}

const SUPPLY: Record<Supply, (g: MissingGroup, many: boolean) => string> = {
  'parameter-value': (_g, many) => `give ${many ? 'them values' : 'it a value'} with --param, a parameter file or samconfig.toml`,
  'serverless-param': (_g, many) => `give ${many ? 'them values' : 'it a value'} with --param or in the params of serverless.yml`,
  stage: () => 'give the stage with --stage',
  dotenv: (g) => `set ${g.names.map((n) => code(n.replace(/^\$\{env:\s*|\s*(,.*)?\}$/g, ''))).join(', ')} in a .env file beside serverless.yml with useDotenv: true`,
  workspace: (_g, many) => `check the template that defines ${many ? 'them' : 'it'} together with this one with --workspace`,
  live: () => 'turn on live lookups with --live',
  replace: (_g, many) => `replace ${many ? 'them' : 'it'} with real ids`,
  template: () => '',
};
