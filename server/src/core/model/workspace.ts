/**
 * Many templates, one model. The host hands the other templates of the workspace to `analyze()` as plain
 * data (`Workspace`: each template's path, parsed root, dialect and stack name when known); this module
 * resolves between them, as values like any other:
 *
 * - `Fn::ImportValue` reads the `Outputs` entry whose `Export.Name` is the name. An export name built with
 *   `${AWS::StackName}` matches through its template's known stack name, else as a wildcard when exactly
 *   one export matches (the value is then assumed, naming the template); two exporters leave it unknown.
 * - Nested stacks (`AWS::CloudFormation::Stack` `TemplateURL`, `AWS::Serverless::Application`
 *   `Location`, local and relative): `Parameters` flow into the child, `!GetAtt Child.Outputs.X` back.
 * - Serverless `${cf:stack.Output}` reads the output of the template whose stack name is `stack`.
 *
 * A value from another template keeps its identity: its references name that template's resources, which
 * `merge()` brings into the model with their logical ids qualified by the file (`network.yaml#SubnetA`).
 * Their spans are offsets into their own file, moved past every offset of the analysed text by a base per
 * template (`templateOfOffset` tells the file back), so findings and related information can say where
 * they point. Work is bounded: exports are indexed once per workspace, each template's scope is made once
 * per analysis, nesting and import chains stop at a depth, and cycles end as unknowns with a reason.
 */
import type { AnalyzeOptions } from '../options';
import type { MapNode, Node, Pair, Span } from '../tree';
import { get, isMap, str } from '../tree';
import type { Dialect } from '../types';
import { foreignNetwork, prepareModel } from './prepare';
import type { Model, Resource } from './types';
import type { CrossTemplate, Scope, Val } from './values';
import { evaluate, litString, withParam } from './values';
import { refsOf } from './facts';

export type { Workspace, WorkspaceTemplate } from './workspace-types';
export { ASSUMED_TEMPLATE, TEMPLATE_OFFSET, templateOfOffset } from './workspace-types';
import type { Workspace, WorkspaceTemplate } from './workspace-types';
import { ASSUMED_TEMPLATE, TEMPLATE_OFFSET } from './workspace-types';

const MAX_DEPTH = 12;
const MAX_CONTEXTS = 256;
const WILDCARD = '\u0001';

/** A path with `\` as `/`, without `./` and with `..` applied. */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  const absolute = path.startsWith('/');
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return (absolute ? '/' : '') + parts.join('/');
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i + 1);
}

/** The stack name the Serverless Framework deploys a service as: `provider.stackName`, else `<service>-<stage>`. */
export function serverlessStackName(root: Node, stage?: string): string | undefined {
  const { scope } = prepareModel(root, 'serverless', stage ? { stage } : {});
  // A stack name that does not resolve is not replaced by the framework's default: that would be a guess.
  const stackName = get(get(root, 'provider'), 'stackName');
  if (stackName !== undefined) return litString(evaluate(stackName, scope)) || undefined;
  const serviceNode = get(root, 'service');
  const service = litString(evaluate(isMap(serviceNode) ? get(serviceNode, 'name') : serviceNode, scope));
  const stageName = litString(evaluate({ kind: 'scalar', value: '${sls:stage}', start: 0, end: 0 }, scope)) ?? stage ?? 'dev';
  return service ? `${service}-${stageName}` : undefined;
}

// ---------------------------------------------------------------------------------------------------
// The index: built once per workspace object.

interface ExportEntry {
  template: number;
  output: string;
  /** The name rests on a parameter's default. */
  param?: string;
}

interface WildcardExport extends ExportEntry {
  pattern: RegExp;
}

interface Index {
  byPath: Map<string, number>;
  exact: Map<string, ExportEntry[]>;
  wildcard: WildcardExport[];
  byStack: Map<string, number[]>;
  /** For each nested template, the templates (and resources) that nest it. */
  parents: Map<number, { template: number; id: string }[]>;
  /** Endpoints and routes whose VPC or route table is not one of their own template's: they may change another's network. */
  modifiers: { template: number; id: string; kind: 'endpoint' | 'route' }[];
  shifted: (Node | undefined)[];
}

const indexes = new WeakMap<Workspace, Index>();

function indexOf(workspace: Workspace): Index {
  let index = indexes.get(workspace);
  if (index) return index;
  index = { byPath: new Map(), exact: new Map(), wildcard: [], byStack: new Map(), parents: new Map(), modifiers: [], shifted: [] };
  const templates = workspace.templates;
  templates.forEach((t, i) => index!.byPath.set(normalizePath(t.path), i));
  templates.forEach((t, i) => {
    if (t.stackName) index!.byStack.set(t.stackName, [...(index!.byStack.get(t.stackName) ?? []), i]);
    if (!t.root || !t.dialect) return;
    const { scope } = prepareModel(t.root, t.dialect, {}, { stackName: t.stackName ?? WILDCARD });
    for (const pair of outputsOf(t.root, t.dialect, scope)) {
      const nameNode = get(get(pair.value, 'Export'), 'Name');
      if (!nameNode) continue;
      const v = evaluate(nameNode, scope);
      if (v.t !== 'lit' || v.partial) continue;
      const name = String(v.v);
      const entry: ExportEntry = { template: i, output: String(pair.key.value) };
      if (v.param) entry.param = v.param;
      if (name.includes(WILDCARD)) {
        const pattern = new RegExp(`^${name.split(WILDCARD).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);
        index!.wildcard.push({ ...entry, pattern });
      } else {
        const list = index!.exact.get(name);
        if (list) list.push(entry);
        else index!.exact.set(name, [entry]);
      }
    }
    if (!isMap(get(t.root, 'Resources'))) return;
    const resources = get(t.root, 'Resources') as MapNode;
    const local = (node: Node | undefined) => {
      const target = str(get(node, 'Ref')) ?? str(get(node, 'Fn::GetAtt'))?.split('.')[0];
      return target !== undefined && get(resources, target) !== undefined;
    };
    for (const pair of resources.pairs) {
      const type = str(get(pair.value, 'Type'));
      const props = get(pair.value, 'Properties');
      if (type === 'AWS::EC2::VPCEndpoint' && !local(get(props, 'VpcId'))) index!.modifiers.push({ template: i, id: String(pair.key.value), kind: 'endpoint' });
      if (type === 'AWS::EC2::Route' && !local(get(props, 'RouteTableId'))) index!.modifiers.push({ template: i, id: String(pair.key.value), kind: 'route' });
    }
    for (const pair of resources.pairs) {
      const location = nestedLocation(pair.value);
      if (location.kind !== 'local') continue;
      const child = index!.byPath.get(normalizePath(dirOf(normalizePath(t.path)) + location.path));
      if (child === undefined) continue;
      const list = index!.parents.get(child) ?? [];
      list.push({ template: i, id: String(pair.key.value) });
      index!.parents.set(child, list);
    }
  });
  indexes.set(workspace, index);
  return index;
}

/** A template's `Outputs` (Serverless: under `resources`). */
function outputsOf(root: Node, dialect: Dialect, scope: Scope): Pair[] {
  if (dialect !== 'serverless') {
    const outputs = get(root, 'Outputs');
    return isMap(outputs) ? outputs.pairs : [];
  }
  const v = evaluate(get(root, 'resources'), scope);
  const pairs: Pair[] = [];
  for (const part of v.t === 'list' ? v.items : [v]) {
    if (part.t !== 'map') continue;
    const outputs = evaluate(get(part.node, 'Outputs'), scope);
    if (outputs.t === 'map') pairs.push(...outputs.node.pairs);
  }
  return pairs;
}

type Location = { kind: 'local'; path: string } | { kind: 'remote'; url: string } | { kind: 'none' } | { kind: 'unresolved' };

/** Where a nested stack's template is, from its literal `TemplateURL` / `Location`. */
function nestedLocation(resource: Node, value?: (node: Node | undefined) => Val): Location {
  const type = str(get(resource, 'Type'));
  const props = get(resource, 'Properties');
  let node: Node | undefined;
  if (type === 'AWS::CloudFormation::Stack') node = get(props, 'TemplateURL');
  else if (type === 'AWS::Serverless::Application') node = get(props, 'Location');
  else return { kind: 'none' };
  if (isMap(node) && (get(node, 'ApplicationId') || get(node, 'SemanticVersion'))) return { kind: 'remote', url: 'the AWS Serverless Application Repository' };
  const text = value ? litString(value(node)) : str(node);
  if (text === undefined) return { kind: 'unresolved' };
  if (/^(s3|https?):\/\//i.test(text) || /^[a-z0-9.-]+\.amazonaws\.com\//i.test(text)) return { kind: 'remote', url: text };
  return { kind: 'local', path: text.replace(/^file:\/\//, '') };
}

/** A copy of a tree with every offset moved by `base`. */
function shift(node: Node, base: number): Node {
  if (node.kind === 'scalar') return { ...node, start: node.start + base, end: node.end + base };
  if (node.kind === 'seq') return { ...node, start: node.start + base, end: node.end + base, items: node.items.map((n) => shift(n, base)) };
  return {
    ...node,
    start: node.start + base,
    end: node.end + base,
    pairs: node.pairs.map((p) => ({ key: { ...p.key, start: p.key.start + base, end: p.key.end + base }, value: shift(p.value, base) })),
  };
}

// ---------------------------------------------------------------------------------------------------
// The resolver: one per analysis.

interface Context {
  key: string;
  template: number;
  path: string;
  root: Node;
  dialect: Dialect;
  scope: Scope;
  /** The nesting parent this instance of the template gets its parameters from. */
  parent?: { context: Context; resource: Node };
  depth: number;
  outputs?: Map<string, Node>;
  network?: { model: Model; build: () => void };
  used: boolean;
}

export interface WorkspaceResolver {
  /** What the analysed template's values reach through. */
  cross: CrossTemplate;
  /** The analysed template's own scope and tree, through which its nested stacks are read. */
  bind(scope: Scope, root: Node): void;
  /** Brings the networks of the templates whose values were used into the model. */
  merge(model: Model): void;
}

export function workspaceResolver(workspace: Workspace, options: AnalyzeOptions): WorkspaceResolver {
  const index = indexOf(workspace);
  const templates = workspace.templates;
  const selfPath = options.path ?? options.fileName;
  const self = selfPath === undefined ? undefined : index.byPath.get(normalizePath(selfPath));
  const contexts = new Map<string, Context>();
  const evaluating = new Set<string>();
  const foreignOptions: AnalyzeOptions = {};
  if (options.region) foreignOptions.region = options.region;
  if (options.stage) foreignOptions.stage = options.stage;

  const unknown = (reason: string, span: Span): Val => ({ t: 'unknown', reason, span });
  const nameOf = (i: number) => templates[i]!.path;

  /** The template's context: its shifted tree and scope (made once; the network is built on merge). */
  const contextOf = (template: number, parent?: Context['parent'], key = String(template)): Context | string => {
    const known = contexts.get(key);
    if (known) return known;
    const t = templates[template]!;
    if (!t.root || !t.dialect) return `${t.path} could not be read${t.problem ? ` (${t.problem})` : ''}`;
    if (contexts.size >= MAX_CONTEXTS) return 'the workspace links too many templates to follow';
    const root = (index.shifted[template] ??= shift(t.root, (template + 1) * TEMPLATE_OFFSET));
    const file = t.path;
    const context = { key, template, path: t.path, root, dialect: t.dialect, depth: parent ? parent.context.depth + 1 : 0, used: false } as Context;
    if (parent) context.parent = parent;
    const extra: Partial<Scope> = { qualify: (id) => `${file}#${id}`, crossTemplate: viewOf(context) };
    if (t.stackName) extra.stackName = t.stackName;
    const network = foreignNetwork(root, t.dialect, foreignOptions, extra);
    context.scope = network.scope;
    context.network = network;
    contexts.set(key, context);
    return context;
  };

  /** The value of an output of a context, evaluated there. */
  const outputValue = (context: Context, output: string, span: Span, assumed?: string): Val => {
    context.outputs ??= new Map(outputsOf(context.root, context.dialect, context.scope).map((p) => [String(p.key.value), p.value]));
    const node = context.outputs.get(output);
    if (!node) return unknown(`${context.path} has no output '${output}'`, span);
    const key = `${context.key}\u0000${output}`;
    if (evaluating.has(key)) return unknown(`the output '${output}' of ${context.path} depends on itself through other templates`, span);
    if (context.depth > MAX_DEPTH || evaluating.size > MAX_DEPTH * 4) return unknown('the chain of templates is too long to follow', span);
    evaluating.add(key);
    try {
      context.used = true;
      const v = evaluate(get(node, 'Value'), context.scope);
      return assumed ? assume(v, assumed) : v;
    } finally {
      evaluating.delete(key);
    }
  };

  const importValue = (from: number | undefined, name: string, span: Span): Val => {
    const other = (e: ExportEntry) => e.template !== from && e.template !== self;
    const exact = (index.exact.get(name) ?? []).filter(other);
    const describeMany = (list: ExportEntry[]) => {
      const names = [...new Set(list.map((e) => nameOf(e.template)))];
      return names.length > 2 ? `${names.slice(0, 2).join(', ')} and ${names.length - 2} more` : names.join(' and ');
    };
    if (exact.length > 1) return unknown(`Fn::ImportValue '${name}' is exported by more than one template: ${describeMany(exact)}`, span);
    let entry = exact[0];
    let assumed: string | undefined;
    if (!entry) {
      const matches: ExportEntry[] = [];
      for (const w of index.wildcard) {
        if (other(w) && w.pattern.test(name)) {
          matches.push(w);
          if (matches.length > 2) break;
        }
      }
      if (matches.length > 1) return unknown(`Fn::ImportValue '${name}' matches exports of more than one template: ${describeMany(matches)}, whose stack names are not known`, span);
      entry = matches[0];
      if (entry) assumed = `${ASSUMED_TEMPLATE}${nameOf(entry.template)}`;
    }
    if (!entry) return unknown(`Fn::ImportValue '${name}' is exported by no template in the workspace`, span);
    if (entry.param && !assumed) assumed = entry.param;
    const context = contextOf(entry.template);
    if (typeof context === 'string') return unknown(`Fn::ImportValue '${name}': ${context}`, span);
    return outputValue(context, entry.output, span, assumed);
  };

  /** `!GetAtt Child.Outputs.X` in a context (undefined `from`: the analysed template). */
  const stackOutput = (from: Context | undefined, id: string, output: string, span: Span): Val | undefined => {
    const root = from ? from.root : selfRoot;
    const resource = get(get(root, 'Resources'), id);
    if (!resource) return undefined;
    const scope = from ? from.scope : selfScope;
    const location = nestedLocation(resource, (n) => (scope ? evaluate(n, scope) : { t: 'none', span }));
    if (location.kind === 'none') return undefined;
    if (location.kind === 'remote') return unknown(`the nested stack '${id}' is in ${location.url}; only local templates are read`, span);
    if (location.kind === 'unresolved') return unknown(`the template of the nested stack '${id}' cannot be resolved`, span);
    const basePath = from ? from.path : selfPath;
    const childPath = normalizePath(dirOf(normalizePath(basePath ?? '')) + location.path);
    const child = index.byPath.get(childPath);
    if (child === undefined) return unknown(`the nested stack '${id}' has its template at '${location.path}', which is not a template of the workspace`, span);
    for (let c: Context | undefined = from; c; c = c.parent?.context) {
      if (c.template === child) return unknown(`the nested stacks form a cycle: ${c.path} nests itself through '${id}'`, span);
    }
    if (child === self) return unknown(`the nested stacks form a cycle: '${id}' nests this template`, span);
    if ((from?.depth ?? 0) >= MAX_DEPTH) return unknown('the nested stacks are nested too deeply to follow', span);
    const parentKey = from ? from.key : 'self';
    const context = contextOf(child, { context: from ?? selfContext(), resource }, `${parentKey}>${id}`);
    if (typeof context === 'string') return unknown(`the nested stack '${id}': ${context}`, span);
    return outputValue(context, output, span);
  };

  const cfOutput = (stack: string, output: string, span: Span): Val => {
    const list = (index.byStack.get(stack) ?? []).filter((i) => i !== self);
    if (list.length > 1) return unknown(`\${cf:${stack}.${output}}: more than one template has the stack name '${stack}' (${list.slice(0, 2).map(nameOf).join(' and ')})`, span);
    if (list.length === 0) return unknown(`\${cf:${stack}.${output}}: no template in the workspace has the stack name '${stack}'`, span);
    const context = contextOf(list[0]!);
    if (typeof context === 'string') return unknown(`\${cf:${stack}.${output}}: ${context}`, span);
    return outputValue(context, output, span);
  };

  /** A parameter given to a template by the stack that nests it: the bound parent, else the only one in the workspace. */
  const parameter = (context: Context | undefined, name: string, span: Span): Val | undefined => {
    let parent = context?.parent;
    if (!parent) {
      const template = context ? context.template : self;
      const parents = template === undefined ? [] : (index.parents.get(template) ?? []);
      if (parents.length !== 1) return parents.length > 1 ? unknown(`parameter '${name}' is given by the stacks that nest this template (${parents.slice(0, 2).map((p) => nameOf(p.template)).join(' and ')}), which may differ`, span) : undefined;
      if ((context?.depth ?? 0) >= MAX_DEPTH) return undefined;
      const p = parents[0]!;
      if (p.template === self) return undefined;
      const parentContext = contextOf(p.template);
      if (typeof parentContext === 'string') return undefined;
      const resource = get(get(parentContext.root, 'Resources'), p.id);
      if (!resource) return undefined;
      parent = { context: parentContext, resource };
    }
    const node = get(get(get(parent.resource, 'Properties'), 'Parameters'), name);
    if (!node) return undefined;
    const key = `${parent.context.key}\u0000parameter\u0000${name}`;
    if (evaluating.has(key)) return unknown(`parameter '${name}' depends on itself through the nested stacks`, span);
    evaluating.add(key);
    try {
      parent.context.used = true;
      return evaluate(node, parent.context.scope);
    } finally {
      evaluating.delete(key);
    }
  };

  function viewOf(context: Context): CrossTemplate {
    return {
      importValue: (name, span) => importValue(context.template, name, span),
      stackOutput: (id, output, span) => stackOutput(context, id, output, span),
      cfOutput,
      parameter: (name, span) => parameter(context, name, span),
    };
  }

  /**
   * Endpoints and routes other templates add to the networks the model took in (an endpoints stack that
   * imports the VPC, a route another stack adds to a route table): an endpoint there keeps "the VPC has
   * no endpoint for X" unsaid, a route makes the table's egress unknown. Templates already merged brought
   * theirs with their network.
   */
  const applyModifiers = (model: Model, merged: Set<number>) => {
    let evaluated = 0;
    for (const m of index.modifiers) {
      if (m.template === self || merged.has(m.template)) continue;
      if (++evaluated > MAX_CONTEXTS) break;
      const context = contextOf(m.template);
      if (typeof context === 'string') continue;
      const resource = get(get(context.root, 'Resources'), m.id);
      const props = get(resource, 'Properties');
      const refs = refsOf(evaluate(get(props, m.kind === 'endpoint' ? 'VpcId' : 'RouteTableId'), context.scope));
      const span = resource ? { start: resource.start, end: resource.end } : { start: 0, end: 0 };
      const reason = `${context.path} changes it ('${m.id}')`;
      for (const ref of refs) {
        if (m.kind === 'endpoint' && ref.id && model.vpcs.has(ref.id)) {
          const marker = `${context.path}#${m.id}`;
          model.endpoints.set(marker, {
            id: marker, type: 'AWS::EC2::VPCEndpoint', node: resource as MapNode, properties: undefined, keySpan: span, dependsOn: [], ignore: [],
            origin: { file: context.path, id: m.id },
            vpc: { state: 'known', id: ref.id, span },
            endpointType: 'unknown',
            serviceName: { state: 'unknown', reason },
            routeTableIds: { state: 'unknown', items: [] },
            subnetIds: { state: 'unknown', items: [] },
            securityGroupIds: { state: 'unknown', items: [] },
            privateDns: { state: 'unknown' },
          });
        }
        const table = m.kind === 'route' && ref.id ? model.routeTables.get(ref.id) : undefined;
        if (table) {
          table.routes.push({ id: `${context.path}#${m.id}`, span, destination: { state: 'unknown', reason }, ipv6: false, target: 'other', targetRef: { state: 'unknown', span, reason } });
        }
      }
    }
  };

  let selfScope: Scope | undefined;
  let selfRoot: Node | undefined;
  let self0: Context | undefined;
  /** The analysed template as the parent of a nested stack. */
  const selfContext = (): Context => (self0 ??= {
    key: 'self', template: self ?? -1, path: selfPath ?? '', root: selfRoot!, dialect: 'cloudformation', scope: selfScope!, depth: 0, used: false,
  });

  const cross: CrossTemplate = {
    importValue: (name, span) => importValue(self, name, span),
    stackOutput: (id, output, span) => stackOutput(undefined, id, output, span),
    cfOutput,
    parameter: (name, span) => parameter(undefined, name, span),
  };

  return {
    cross,
    bind(scope, root) {
      selfScope = scope;
      selfRoot = root;
    },
    merge(model) {
      const merged = new Set<string>();
      // Building a network can use another template's values: go on until nothing new is used.
      for (let round = 0; round < MAX_CONTEXTS; round++) {
        const next = [...contexts.values()].filter((c) => c.used && !merged.has(c.key));
        if (next.length === 0) break;
        for (const context of next) {
          merged.add(context.key);
          // One template nested twice is one network per instance; its ids are the same, so the first wins.
          context.network!.build();
          mergeNetwork(model, context.network!.model, context.path);
        }
      }
      model.workspaceFiles = [...new Set([...merged].map((key) => contexts.get(key)!.path))];
      if (merged.size > 0) applyModifiers(model, new Set([...merged].map((key) => contexts.get(key)!.template)));
    },
  };
}

/** Marks a value (and the items of a list) as assumed, resting on `marker`. */
function assume(v: Val, marker: string): Val {
  if (v.t === 'list') return { ...v, param: v.param ?? marker, items: v.items.map((i) => assume(i, marker)) };
  if (v.t === 'lit' && v.parts) return { ...withParam(v, marker), parts: { ...v.parts, items: v.parts.items.map((i) => assume(i, marker)) } } as Val;
  if (v.t === 'if') return { ...v, then: assume(v.then, marker), else: assume(v.else, marker) };
  return withParam(v, marker);
}

const NETWORK_MAPS = ['vpcs', 'internetGateways', 'subnets', 'routeTables', 'natGateways', 'endpoints', 'securityGroups', 'networkAcls'] as const;

function mergeNetwork(model: Model, foreign: Model, file: string): void {
  for (const key of NETWORK_MAPS) {
    const target = model[key] as Map<string, Resource>;
    for (const [id, resource] of foreign[key] as Map<string, Resource>) {
      if (target.has(id)) continue;
      resource.origin = { file, id: id.slice(file.length + 1) };
      target.set(id, resource);
      if (!model.resources.has(id)) model.resources.set(id, resource);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// For the editor: where an export or a stack's output is defined, the names on offer, a value described.

export interface OutputTarget {
  template: WorkspaceTemplate;
  output: string;
  /** The output's key in its template's own text. */
  span: Span;
  /** Matched by treating `${AWS::StackName}` as a wildcard. */
  assumed: boolean;
}

function outputTarget(workspace: Workspace, template: number, output: string, assumed: boolean): OutputTarget | undefined {
  const t = workspace.templates[template];
  if (!t?.root || !t.dialect) return undefined;
  const { scope } = prepareModel(t.root, t.dialect, {});
  const pair = outputsOf(t.root, t.dialect, scope).find((p) => String(p.key.value) === output);
  return pair ? { template: t, output, span: { start: pair.key.start, end: pair.key.end }, assumed } : undefined;
}

/** The `Outputs` entry an `Fn::ImportValue` name reads: the one exact export, else the one wildcard match. */
export function exportTarget(workspace: Workspace, name: string, selfPath?: string): OutputTarget | undefined {
  const index = indexOf(workspace);
  const self = selfPath === undefined ? undefined : index.byPath.get(normalizePath(selfPath));
  const exact = (index.exact.get(name) ?? []).filter((e) => e.template !== self);
  if (exact.length === 1) return outputTarget(workspace, exact[0]!.template, exact[0]!.output, false);
  if (exact.length > 1) return undefined;
  const matches = index.wildcard.filter((w) => w.template !== self && w.pattern.test(name));
  return matches.length === 1 ? outputTarget(workspace, matches[0]!.template, matches[0]!.output, true) : undefined;
}

/** The `Outputs` entry `${cf:stack.output}` reads. */
export function stackOutputTarget(workspace: Workspace, stack: string, output: string): OutputTarget | undefined {
  const list = indexOf(workspace).byStack.get(stack) ?? [];
  return list.length === 1 ? outputTarget(workspace, list[0]!, output, false) : undefined;
}

/** The export names of the workspace (those its templates' stack names make exact), with their template. */
export function exportNames(workspace: Workspace, selfPath?: string): { name: string; template: string }[] {
  const index = indexOf(workspace);
  const self = selfPath === undefined ? undefined : index.byPath.get(normalizePath(selfPath));
  const out: { name: string; template: string }[] = [];
  for (const [name, entries] of index.exact) {
    const others = entries.filter((e) => e.template !== self);
    if (others.length === 1) out.push({ name, template: workspace.templates[others[0]!.template]!.path });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** What an `Fn::ImportValue` name resolves to, in words: the value (logical ids, literals) or why it is unknown. */
export function describeImport(workspace: Workspace, name: string, options: AnalyzeOptions = {}): string {
  const resolver = workspaceResolver(workspace, options);
  return describeValue(resolver.cross.importValue(name, { start: 0, end: 0 }));
}

export function describeValue(v: Val): string {
  switch (v.t) {
    case 'ref':
      return v.id.includes('#') ? v.id.slice(v.id.indexOf('#') + 1) : v.id;
    case 'lit':
      if (v.parts && v.parts.items.every((i) => i.t === 'ref' || (i.t === 'lit' && !i.partial))) return v.parts.items.map(describeValue).join(v.parts.separator);
      return v.partial ? 'a value built from parts that cannot be resolved' : String(v.v);
    case 'list':
      return v.items.map(describeValue).join(', ');
    case 'unknown':
      return `unknown: ${v.reason}`;
    case 'if':
      return `${describeValue(v.then)} or ${describeValue(v.else)} (condition '${v.cond}')`;
    default:
      return 'a value that cannot be shown';
  }
}
