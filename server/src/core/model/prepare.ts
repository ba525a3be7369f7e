/**
 * The first steps of building a model, shared by the analysed template and the other templates of a
 * workspace whose network it imports: the empty model, the scope values are evaluated in (parameters,
 * conditions, mappings, Serverless variables, the resources' ids), and the resources themselves.
 */
import type { AnalyzeOptions } from '../options';
import type { Node, Pair } from '../tree';
import { get, isMap, isSeq, str } from '../tree';
import type { Dialect } from '../types';
import type { LogicalIds } from './logical-ids';
import { logicalIdsOf } from './logical-ids';
import { buildNetwork } from './network';
import { serverlessResolver } from './serverless-vars';
import type { Model, Resource } from './types';
import type { ParameterInfo, Scope } from './values';
import { evaluate, evaluateConditions, litString } from './values';

/**
 * The network of another template of the workspace, with its logical ids qualified (`qualify`) so they
 * cannot collide with the analysed template's: what an import from it brings into the model.
 */
export function foreignNetwork(root: Node, dialect: Dialect, options: AnalyzeOptions, extra: Partial<Scope>): { model: Model; scope: Scope; build: () => void } {
  const { model, scope, resourcesNode } = prepareModel(root, dialect, options, extra);
  return {
    model,
    scope,
    build: () => {
      collectResources(model, resourcesNode, scope);
      buildNetwork(model, scope);
    },
  };
}

/** The empty model and the scope values are evaluated in: parameters, mappings, Serverless variables, the resources' ids. */
export function prepareModel(root: Node, dialect: Dialect, options: AnalyzeOptions, extra: Partial<Scope> = {}, incomplete = false, whole?: Node): { model: Model; scope: Scope; resourcesNode: Node | undefined; dependencies: Set<string> } {
  const model: Model = {
    dialect,
    region: options.region ?? 'us-east-1',
    root,
    resources: new Map(),
    functions: [],
    vpcs: new Map(),
    subnets: new Map(),
    routeTables: new Map(),
    internetGateways: new Map(),
    natGateways: new Map(),
    endpoints: new Map(),
    securityGroups: new Map(),
    networkAcls: new Map(),
    roles: new Map(),
    databases: new Map(),
    ignore: ignoreList(get(root, 'Metadata')),
    dependencies: [],
    conditions: new Map(),
    logicalIds: { resources: new Set(), parameters: new Set(), generated: () => true },
  };
  const scope: Scope = {
    region: model.region,
    parameters: parametersOf(get(root, 'Parameters')),
    paramValues: options.params ?? {},
    resourceIds: new Set(),
    resourceTypes: new Map(),
    mappings: get(root, 'Mappings'),
    wanted: { exports: new Set(), ssm: new Set(), stacks: new Set(), nested: new Set() },
    ...extra,
  };
  if (options.live) {
    scope.live = { exports: options.live.exports, ssm: options.live.ssmParameters };
    if (options.live.stackName) scope.live.stackName = options.live.stackName;
    if (options.live.stacks) scope.live.stacks = options.live.stacks;
    scope.sources = new Map();
  }
  model.conditions = scope.conditions = evaluateConditions(get(root, 'Conditions'), { ...scope, regionAssumed: !options.region });
  if (options.managedPolicies) scope.managedPolicies = options.managedPolicies;
  const dependencies = new Set<string>();
  let resourcesNode: Node | undefined = get(root, 'Resources');
  if (dialect === 'serverless') {
    scope.serverless = serverlessResolver(
      { root, stage: options.stage, region: options.region, readFile: options.readFile, dependencies, files: new Map() },
      () => scope,
    );
    let regionGiven = !!options.region;
    if (!options.region) {
      const region = litString(evaluate(get(get(root, 'provider'), 'region'), scope));
      if (region && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
        model.region = scope.region = region;
        regionGiven = true;
      }
    }
    resourcesNode = serverlessSection(get(root, 'resources'), 'Resources', scope);
    // CloudFormation conditions of a Serverless service live under `resources`, beside its resources.
    const conditions = serverlessSection(get(root, 'resources'), 'Conditions', scope);
    if (conditions) model.conditions = scope.conditions = evaluateConditions(conditions, { ...scope, regionAssumed: !regionGiven });
  }
  // A part of a template (the incremental analysis's unit) knows every id the whole defines; the
  // whole's are read once for all its parts.
  const ids = whole ? wholeIds(whole, dialect) : idsOf(root, dialect, resourcesNode);
  model.logicalIds = { ...ids.logicalIds };
  if (incomplete) model.logicalIds.generated = () => true;
  scope.generated = model.logicalIds.generated;
  // The ids first: a value may refer to any resource, whatever its place in the template.
  scope.resourceIds = ids.resourceIds;
  return { model, scope, resourcesNode, dependencies };
}

function ignoreList(metadata: Node | undefined): string[] {
  const list = get(get(metadata, 'lambda-vpc-lint'), 'ignore');
  if (isSeq(list)) return list.items.map(str).filter((s): s is string => !!s);
  const one = str(list);
  return one ? [one] : [];
}

function parametersOf(node: Node | undefined): Map<string, ParameterInfo> {
  const out = new Map<string, ParameterInfo>();
  if (!isMap(node)) return out;
  for (const pair of node.pairs) {
    const info: ParameterInfo = { type: str(get(pair.value, 'Type')) ?? 'String', span: { start: pair.key.start, end: pair.key.end } };
    const d = get(pair.value, 'Default');
    if (d !== undefined) info.default = d;
    out.set(String(pair.key.value), info);
  }
  return out;
}

/** Serverless `resources`: a map with `Resources`, or a list of such maps (often `${file(...)}`). */
/** One section (`Resources`, `Conditions`) of Serverless `resources`, merged over its parts when it is a list. */
function serverlessSection(node: Node | undefined, key: string, scope: Scope): Node | undefined {
  const v = evaluate(node, scope);
  const parts = v.t === 'list' ? v.items : [v];
  const pairs: Pair[] = [];
  for (const part of parts) {
    if (part.t !== 'map') continue;
    const section = evaluate(get(part.node, key), scope);
    if (section.t === 'map') pairs.push(...section.node.pairs);
  }
  if (pairs.length === 0) return undefined;
  return { kind: 'map', pairs, flow: false, start: node!.start, end: node!.end };
}

export function collectResources(model: Model, node: Node | undefined, scope: Scope): void {
  if (!isMap(node)) return;
  const qualify = scope.qualify ?? ((id: string) => id);
  for (const pair of node.pairs) {
    const id = qualify(String(pair.key.value));
    const value = pair.value;
    if (!isMap(value)) continue;
    const type = str(get(value, 'Type'));
    if (!type) continue;
    scope.resourceTypes!.set(id, type);
    const props = get(value, 'Properties');
    const dependsOn = get(value, 'DependsOn');
    const resource: Resource = {
      id,
      type,
      node: value,
      properties: isMap(props) ? props : undefined,
      keySpan: { start: pair.key.start, end: pair.key.end },
      dependsOn: (isSeq(dependsOn) ? dependsOn.items.map(str).filter((s): s is string => !!s) : str(dependsOn) ? [str(dependsOn)!] : []).map(qualify),
      ignore: ignoreList(get(value, 'Metadata')),
    };
    const condition = str(get(value, 'Condition'));
    const decided = condition ? scope.conditions?.get(condition) : undefined;
    // A resource whose condition is known to be false is never created; one known to be true always is.
    if (decided && !decided.assumed && !decided.value) continue;
    if (condition && !(decided && !decided.assumed)) resource.condition = condition;
    model.resources.set(id, resource);
  }
}

interface Ids {
  logicalIds: LogicalIds;
  resourceIds: Set<string>;
}

function idsOf(root: Node, dialect: Dialect, resources: Node | undefined): Ids {
  const resourceIds = new Set<string>();
  if (isMap(resources)) for (const pair of resources.pairs) resourceIds.add(String(pair.key.value));
  return { logicalIds: logicalIdsOf(root, dialect, resources), resourceIds };
}

/**
 * The whole template's ids, by its resources' list: the incremental analysis replaces the list when it
 * reads a resource again (in a tree it keeps), so a new list means new ids.
 */
const wholeIdsCache = new WeakMap<object, Ids>();

function wholeIds(whole: Node, dialect: Dialect): Ids {
  const resources = get(whole, 'Resources');
  const key = isMap(resources) ? resources.pairs : whole;
  let ids = wholeIdsCache.get(key);
  if (!ids) wholeIdsCache.set(key, (ids = idsOf(whole, dialect, resources)));
  return ids;
}
