/**
 * Builds the resolved model from a syntax tree: the CloudFormation resources (including Serverless'
 * `resources.Resources`), the network around them, the roles, and every function with its merged VPC
 * attachment (SAM `Globals`, Serverless `provider`) and inferred needs.
 */
import type { AnalyzeOptions } from '../options';
import type { MapNode, Node, Pair, ScalarNode, Span } from '../tree';
import { get, getPair, intrinsicName, isMap, isSeq, str } from '../tree';
import type { Dialect } from '../types';
import { boolFact, refListOf, spanOf } from './facts';
import { buildNetwork } from './network';
import { mergeLiveFacts } from './live';
import { emptyNeeds, inferNeeds, referencedIds } from './needs';
import { ROLES_PER_FUNCTION_PLUGIN, buildRoles, generatedVpcPolicy, perFunctionPolicySources, resourceRoleId, samPolicySources, serverlessPolicySources } from './roles';
import type { FunctionVariant, LambdaFunction, Model, Role, VpcAttachment } from './types';
import type { Scope, Val } from './values';
import { alternatives, decide, evaluate, litString } from './values';
import { collectResources, prepareModel } from './prepare';
import { workspaceResolver } from './workspace';

const MAX_VARIANTS = 8;

/** `incomplete`: the tree lacks part of the text (a syntax error), so an id it does not define may still exist. */
/** `whole`: the whole template's tree, when `root` is a part of it (its other resources left out). */
export function buildModel(root: Node, dialect: Dialect, options: AnalyzeOptions = {}, incomplete = false, whole?: Node): Model {
  const workspace = options.workspace ? workspaceResolver(options.workspace, options) : undefined;
  const { model, scope, resourcesNode, dependencies } = prepareModel(root, dialect, options, workspace ? { crossTemplate: workspace.cross } : {}, incomplete, whole);
  workspace?.bind(scope, root);
  collectResources(model, resourcesNode, scope);
  buildNetwork(model, scope);
  buildRoles(model, scope);
  if (dialect === 'serverless') buildServerlessFunctions(model, root, scope, options);
  buildTemplateFunctions(model, root, scope);
  linkEdgeAssociations(model, scope);
  workspace?.merge(model);
  mergeLiveFacts(model, scope, options.live);
  model.dependencies = [...dependencies];
  return model;
}

/** SAM `Globals.Function` merged into a function's properties: maps merge, lists prepend, local wins. */
function mergeGlobals(globalNode: Node | undefined, local: MapNode | undefined, ignored: Set<string> | 'all'): { props: MapNode | undefined; inherited: Map<string, Span> } {
  const inherited = new Map<string, Span>();
  if (!isMap(globalNode) || ignored === 'all') return { props: local, inherited };
  const pairs: Pair[] = [];
  const seen = new Set<string>();
  for (const g of globalNode.pairs) {
    const key = String(g.key.value);
    if (ignored.has(key)) continue;
    const l = getPair(local, key);
    seen.add(key);
    if (!l) {
      pairs.push(g);
      inherited.set(key, { start: g.value.start, end: g.value.end });
    } else {
      const merged = mergeValues(g.value, l.value);
      if (merged !== l.value) inherited.set(key, { start: g.value.start, end: g.value.end });
      pairs.push({ key: l.key, value: merged });
    }
  }
  for (const l of local?.pairs ?? []) if (!seen.has(String(l.key.value))) pairs.push(l);
  const base = local ?? globalNode;
  return { props: { kind: 'map', pairs, flow: base.flow, start: base.start, end: base.end }, inherited };
}

function isIntrinsic(node: Node): boolean {
  return node.kind === 'map' && node.pairs.length === 1 && /^(Ref|Fn::)/.test(String(node.pairs[0]!.key.value));
}

function mergeValues(global: Node, local: Node): Node {
  if (isIntrinsic(local) || isIntrinsic(global)) return local;
  if (global.kind === 'map' && local.kind === 'map') {
    const pairs: Pair[] = [];
    for (const g of global.pairs) {
      const l = getPair(local, String(g.key.value));
      pairs.push(l ? { key: l.key, value: mergeValues(g.value, l.value) } : g);
    }
    for (const l of local.pairs) if (!getPair(global, String(l.key.value))) pairs.push(l);
    return { ...local, pairs };
  }
  if (global.kind === 'seq' && local.kind === 'seq') return { ...local, items: [...global.items, ...local.items] };
  return local;
}

function ignoreGlobalsOf(node: Node | undefined): Set<string> | 'all' {
  const one = str(node);
  if (one === '*') return 'all';
  const set = new Set<string>();
  if (one) set.add(one);
  if (isSeq(node)) for (const item of node.items) {
    const s = str(item);
    if (s === '*') return 'all';
    if (s) set.add(s);
  }
  return set;
}

function buildTemplateFunctions(model: Model, root: Node, scope: Scope): void {
  const globalFunction = get(get(root, 'Globals'), 'Function');
  for (const r of model.resources.values()) {
    if (r.type !== 'AWS::Lambda::Function' && r.type !== 'AWS::Serverless::Function') continue;
    const sam = r.type === 'AWS::Serverless::Function';
    const { props, inherited } = sam ? mergeGlobals(globalFunction, r.properties, ignoreGlobalsOf(get(r.node, 'IgnoreGlobals'))) : { props: r.properties, inherited: new Map<string, Span>() };
    const vpcNode = get(props, 'VpcConfig');
    const roleNode = get(props, 'Role');
    let role: LambdaFunction['role'];
    let generatedRole: Role | undefined;
    if (roleNode) {
      const rv = evaluate(roleNode, scope);
      const found = resourceRoleId(model, rv);
      role = { ...found, generated: false, span: spanOf(roleNode, r.keySpan) };
    } else if (sam) {
      const sources = samPolicySources(get(props, 'Policies'), scope);
      if (vpcNode) sources.push(generatedVpcPolicy(r.keySpan));
      generatedRole = { id: `${r.id}Role`, generated: true, managedPolicyArns: [], sources };
      role = { state: 'known', id: generatedRole.id, generated: true };
    } else {
      role = { state: 'unknown', generated: false, reason: 'the function has no Role' };
    }
    const env = get(get(props, 'Environment'), 'Variables');
    const fn: LambdaFunction = {
      ...r,
      anchor: r.keySpan,
      variants: variantsOf(vpcNode, inherited.get('VpcConfig'), scope, { subnets: 'SubnetIds', groups: 'SecurityGroupIds', ipv6: 'Ipv6AllowedForDualStack' }, false),
      role,
      environment: isMap(env) ? env : undefined,
      fileSystemConfigs: get(props, 'FileSystemConfigs'),
      needs: emptyNeeds(),
      edgeAssociations: [],
    };
    const name = litString(evaluate(get(props, 'FunctionName'), scope));
    if (name) fn.name = name;
    finishFunction(model, fn, generatedRole, scope);
    // Variables behind an intrinsic (`!If`, an import) are not known one by one.
    if (env && intrinsicName(env)) fn.needs.allKnown = false;
  }
}

interface VpcKeys {
  subnets: string;
  groups: string;
  ipv6: string;
}

function variantsOf(vpcNode: Node | undefined, inheritedFrom: Span | undefined, scope: Scope, keys: VpcKeys, serverless: boolean): FunctionVariant[] {
  if (!vpcNode) return [{ vpc: undefined, conditions: [], dropsIncompleteConfig: serverless }];
  return variantsOfValue(evaluate(vpcNode, scope), vpcNode, inheritedFrom, scope, keys, serverless);
}

function variantsOfValue(value: Val, vpcNode: Node | undefined, inheritedFrom: Span | undefined, scope: Scope, keys: VpcKeys, serverless: boolean): FunctionVariant[] {
  const variants: FunctionVariant[] = [];
  for (const alt of alternatives(value)) {
    const v = alt.value;
    if (v.t === 'none' || (v.t === 'lit' && v.v === false)) {
      variants.push({ vpc: undefined, conditions: alt.conditions, dropsIncompleteConfig: serverless });
      continue;
    }
    if (v.t !== 'map') {
      // A VpcConfig that cannot be resolved: attached, with unknown subnets and groups.
      const unknown = { state: 'unknown' as const, items: [], span: v.span, reason: v.t === 'unknown' ? v.reason : 'the VpcConfig cannot be resolved' };
      variants.push({ vpc: { span: v.span, subnetIds: unknown, securityGroupIds: unknown, ipv6DualStack: { state: 'unknown' }, inheritedFrom, vpcConfigNode: vpcNode }, conditions: alt.conditions, dropsIncompleteConfig: serverless });
      continue;
    }
    const subnetsNode = get(v.node, keys.subnets);
    const groupsNode = get(v.node, keys.groups);
    const subnetAlts = alternatives(evaluate(subnetsNode, scope), alt.conditions);
    for (const s of subnetAlts) {
      const groupAlts = alternatives(evaluate(groupsNode, scope), s.conditions);
      for (const g of groupAlts) {
        if (variants.length >= MAX_VARIANTS) break;
        // The list items' own `Fn::If`s on a condition this variant has taken follow it.
        const vpc: VpcAttachment = {
          span: v.span,
          subnetIds: refListOf(decide(s.value, g.conditions)),
          securityGroupIds: refListOf(decide(g.value, g.conditions)),
          ipv6DualStack: boolFact(get(v.node, keys.ipv6), scope),
          vpcConfigNode: v.node,
        };
        if (inheritedFrom) vpc.inheritedFrom = inheritedFrom;
        if (subnetsNode) vpc.subnetIdsNode = subnetsNode;
        if (groupsNode) vpc.securityGroupIdsNode = groupsNode;
        variants.push({ vpc, conditions: g.conditions, dropsIncompleteConfig: serverless });
      }
    }
  }
  return variants.length ? variants : [{ vpc: undefined, conditions: [], dropsIncompleteConfig: serverless }];
}

function finishFunction(model: Model, fn: LambdaFunction, generatedRole: Role | undefined, scope: Scope): void {
  if (generatedRole) model.roles.set(generatedRole.id, generatedRole);
  const role = fn.role.id ? model.roles.get(fn.role.id) : undefined;
  fn.needs = inferNeeds(fn, role, model, scope, scope.resourceIds);
  model.functions.push(fn);
}

/** Serverless `functions`, with `provider` settings merged in key by key. */
function buildServerlessFunctions(model: Model, root: Node, scope: Scope, options: AnalyzeOptions): void {
  const provider = get(root, 'provider');
  const functionsVal = evaluate(get(root, 'functions'), scope);
  const functionMaps: Pair[] = [];
  for (const part of functionsVal.t === 'list' ? functionsVal.items : [functionsVal]) {
    if (part.t === 'map') functionMaps.push(...part.node.pairs);
  }
  if (functionMaps.length === 0) return;
  const service = litString(evaluate(get(root, 'service'), scope)) ?? 'service';
  const stage = litString(evaluate({ kind: 'scalar', value: '${sls:stage}', start: 0, end: 0 }, scope)) ?? options.stage ?? 'dev';
  const providerVpcNode = get(provider, 'vpc');
  const providerVpc = evaluate(providerVpcNode, scope);
  // What a function inherits points at the provider's `vpc:` key, not at the first setting under it.
  const providerVpcKey = getPair(provider, 'vpc')?.key;
  const providerVpcSpan = providerVpcKey ? { start: providerVpcKey.start, end: providerVpcKey.end } : providerVpc.span;
  const providerEnv = evaluate(get(provider, 'environment'), scope);
  const iamRole = get(get(provider, 'iam'), 'role');
  const providerRoleNode = (iamRole && !isMap(iamRole) ? iamRole : undefined) ?? get(provider, 'role');
  const iamRoleVal = evaluate(iamRole, scope);
  const providerRoleIsName = providerRoleNode !== undefined || (iamRoleVal.t !== 'map' && iamRoleVal.t !== 'none');
  let sharedRole: Role | undefined;
  const rolesPerFunction = pluginsOf(root, scope).includes(ROLES_PER_FUNCTION_PLUGIN);
  const defaultInherit = evaluate(get(get(get(root, 'custom'), ROLES_PER_FUNCTION_PLUGIN), 'defaultInherit'), scope);
  for (const pair of functionMaps) {
    const id = String(pair.key.value);
    const fnVal = evaluate(pair.value, scope);
    const node = fnVal.t === 'map' ? fnVal.node : undefined;
    if (!node) continue;
    const keySpan = { start: pair.key.start, end: pair.key.end };
    const vpcPair = getPair(node, 'vpc');
    let vpcValue: Val;
    let inheritedFrom: Span | undefined;
    if (vpcPair) {
      const local = evaluate(vpcPair.value, scope);
      if (local.t === 'none' || (local.t === 'lit' && local.v === false)) vpcValue = { t: 'none', span: local.span };
      else if (local.t === 'map' && providerVpc.t === 'map') {
        // Key by key: a key the function leaves out falls back to the provider's.
        const pairs = [...local.node.pairs];
        for (const p of providerVpc.node.pairs) if (!getPair(local.node, String(p.key.value))) pairs.push(p);
        vpcValue = { t: 'map', node: { ...local.node, pairs }, span: local.span };
        if (pairs.length > local.node.pairs.length) inheritedFrom = providerVpcSpan;
      } else vpcValue = local;
    } else {
      vpcValue = providerVpc;
      if (providerVpc.t !== 'none') inheritedFrom = providerVpcSpan;
    }
    const variants = vpcValue.t === 'none'
      ? [{ vpc: undefined, conditions: [], dropsIncompleteConfig: true }]
      : variantsOfValue(vpcValue, vpcPair?.value ?? providerVpcNode, inheritedFrom, scope, { subnets: 'subnetIds', groups: 'securityGroupIds', ipv6: 'ipv6AllowedForDualStack' }, true);
    // Role: a function's `role`, else the provider's named role, else the generated shared role.
    const fnRoleNode = get(node, 'role');
    let role: LambdaFunction['role'];
    let generatedRole: Role | undefined;
    const named = fnRoleNode ?? (providerRoleIsName ? providerRoleNode ?? iamRole : undefined);
    if (named) {
      const rv = evaluate(named, scope);
      role = { ...resourceRoleId(model, rv), generated: false, span: spanOf(named, keySpan) };
    } else if (rolesPerFunction && get(node, 'iamRoleStatements') !== undefined) {
      const sources = perFunctionPolicySources(node, provider, defaultInherit, scope);
      sources.push(generatedVpcPolicy(keySpan));
      generatedRole = { id: `${normalizedFunctionName(id)}IamRoleLambdaExecution`, generated: true, managedPolicyArns: [], sources };
      role = { state: 'known', id: generatedRole.id, generated: true };
    } else {
      if (!sharedRole) {
        const sources = serverlessPolicySources(provider, scope);
        sources.push(generatedVpcPolicy(keySpan));
        sharedRole = { id: 'IamRoleLambdaExecution', generated: true, managedPolicyArns: [], sources };
      }
      generatedRole = sharedRole;
      role = { state: 'known', id: sharedRole.id, generated: true };
    }
    const fnEnv = evaluate(get(node, 'environment'), scope);
    const envPairs: Pair[] = [];
    if (providerEnv.t === 'map') envPairs.push(...providerEnv.node.pairs.filter((p) => !(fnEnv.t === 'map' && getPair(fnEnv.node, String(p.key.value)))));
    if (fnEnv.t === 'map') envPairs.push(...fnEnv.node.pairs);
    const fn: LambdaFunction = {
      id,
      type: 'serverless:function',
      node,
      properties: node,
      keySpan,
      dependsOn: [],
      ignore: [],
      anchor: keySpan,
      variants,
      role,
      environment: envPairs.length ? { kind: 'map', pairs: envPairs, flow: false, start: node.start, end: node.end } : undefined,
      fileSystemConfigs: get(node, 'fileSystemConfig'),
      needs: emptyNeeds(),
      edgeAssociations: [],
    };
    fn.name = litString(evaluate(get(node, 'name'), scope)) ?? `${service}-${stage}-${id}`;
    const events = evaluate(get(node, 'events'), scope);
    if (events.t === 'list') {
      for (const e of events.items) if (e.t === 'map' && (get(e.node, 'cloudFront') || get(e.node, 'lambdaAtEdge'))) fn.edgeAssociations.push(e.span);
    }
    model.resources.set(id, fn);
    finishFunction(model, fn, generatedRole, scope);
    // An environment read from an unreadable file or a deploy-time variable hides what the function uses.
    if (providerEnv.t === 'unknown' || fnEnv.t === 'unknown') fn.needs.allKnown = false;
  }
}

/** The names under `plugins`, as a list or as `plugins.modules`. */
function pluginsOf(root: Node, scope: Scope): string[] {
  let v = evaluate(get(root, 'plugins'), scope);
  if (v.t === 'map') v = evaluate(get(v.node, 'modules'), scope);
  if (v.t !== 'list') return [];
  return v.items.flatMap((item) => {
    const name = litString(item);
    return name === undefined ? [] : [name];
  });
}

/** The Serverless Framework's logical-id form of a function name (`my-fn` -> `MyDashfn`). */
function normalizedFunctionName(name: string): string {
  const n = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return n.charAt(0).toUpperCase() + n.slice(1);
}

/** CloudFront `LambdaFunctionAssociations` pointing at a function, its version or its alias. */
function linkEdgeAssociations(model: Model, scope: Scope): void {
  const byId = new Map(model.functions.map((f) => [f.id, f]));
  for (const r of model.resources.values()) {
    if (r.type !== 'AWS::CloudFront::Distribution') continue;
    const config = get(r.properties, 'DistributionConfig');
    const behaviors = [get(config, 'DefaultCacheBehavior'), ...(() => {
      const list = get(config, 'CacheBehaviors');
      return isSeq(list) ? list.items : [];
    })()];
    for (const behavior of behaviors) {
      const assoc = get(behavior, 'LambdaFunctionAssociations');
      if (!assoc) continue;
      for (const ref of referencedIds(assoc, scope.resourceIds)) {
        let target = model.resources.get(ref.id);
        if (target && (target.type === 'AWS::Lambda::Version' || target.type === 'AWS::Lambda::Alias')) {
          const fnRef = referencedIds(get(target.properties, 'FunctionName'), scope.resourceIds)[0];
          target = fnRef ? model.resources.get(fnRef.id) : undefined;
        }
        const fn = target ? byId.get(target.id) : undefined;
        if (fn) fn.edgeAssociations.push(ref.span);
      }
    }
  }
}

export type { ScalarNode };
