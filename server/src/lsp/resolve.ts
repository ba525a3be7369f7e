/**
 * Values as the hover shows them: an intrinsic or a Serverless variable evaluated the way the engine
 * evaluates it (same evaluator, same scope: parameters, parameter values, region, `${self:}`), and short
 * summaries of the network resources a reference points at, read from the resolved model.
 */
import type { AnalyzeOptions } from '../core/analyze';
import type { Model, Resource } from '../core/model/types';
import { azLabel, subnetEgress } from '../core/model/queries';
import { serverlessResolver } from '../core/model/serverless-vars';
import type { ParameterInfo, Scope, Val } from '../core/model/values';
import { evaluate } from '../core/model/values';
import type { Node } from '../core/tree';
import { get, isMap, str } from '../core/tree';

/** The evaluation scope of a template, as the model builder makes it. */
export function scopeOf(root: Node, model: Model | undefined, options: AnalyzeOptions): Scope {
  const parameters = new Map<string, ParameterInfo>();
  const params = get(root, 'Parameters');
  if (isMap(params)) {
    for (const pair of params.pairs) {
      const info: ParameterInfo = { type: str(get(pair.value, 'Type')) ?? 'String', span: { start: pair.key.start, end: pair.key.end } };
      const d = get(pair.value, 'Default');
      if (d !== undefined) info.default = d;
      parameters.set(String(pair.key.value), info);
    }
  }
  const resourceIds = new Set<string>();
  const resourceTypes = new Map<string, string>();
  for (const r of model?.resources.values() ?? []) {
    if (r.type === 'serverless:function') continue;
    resourceIds.add(r.id);
    resourceTypes.set(r.id, r.type);
  }
  const scope: Scope = {
    region: model?.region ?? options.region ?? 'us-east-1',
    parameters,
    paramValues: options.params ?? {},
    resourceIds,
    resourceTypes,
    mappings: get(root, 'Mappings'),
  };
  if (model?.dialect === 'serverless') {
    scope.serverless = serverlessResolver(
      { root, stage: options.stage, region: options.region, readFile: options.readFile, dependencies: new Set(), files: new Map() },
      () => scope,
    );
  }
  return scope;
}

export function evaluateNode(node: Node, scope: Scope): Val {
  try {
    return evaluate(node, scope);
  } catch {
    return { t: 'unknown', reason: 'it cannot be evaluated', span: { start: node.start, end: node.end } };
  }
}

/** One line of markdown for an evaluated value. */
export function describeValue(v: Val, model: Model | undefined, depth = 0): string {
  if (depth > 4) return '…';
  switch (v.t) {
    case 'lit': {
      const shown = `\`${code(String(v.v))}\``;
      const from = v.param ? ` (the default of parameter \`${v.param}\`)` : '';
      return v.partial ? `${shown}, partly unknown` : `${shown}${from}`;
    }
    case 'list':
      return v.items.length === 0 ? 'an empty list' : `[${v.items.map((i) => describeValue(i, model, depth + 1)).join(', ')}]${v.param ? ` (the default of parameter \`${v.param}\`)` : ''}`;
    case 'ref': {
      const type = model?.resources.get(v.id)?.type;
      return `resource \`${v.id}\`${v.attr ? `, attribute \`${v.attr}\`` : ''}${type ? ` (${type})` : ''}`;
    }
    case 'unknown':
      return `unknown: ${v.reason}`;
    case 'if':
      return `if condition \`${v.cond}\` holds ${describeValue(v.then, model, depth + 1)}, else ${describeValue(v.else, model, depth + 1)}`;
    case 'azs':
      return "the region's Availability Zones";
    case 'az':
      return `Availability Zone #${v.index} of the region${v.param ? ` (the default of parameter \`${v.param}\`)` : ''}`;
    case 'map':
      return 'a map';
    case 'none':
      return 'no value (the key is removed)';
  }
}

function code(s: string): string {
  return s.replace(/`/g, "'").slice(0, 300);
}

/** A few lines of markdown on a resource, from the model where it is a network resource. */
export function describeResource(model: Model, resource: Resource): string[] {
  const lines: string[] = [`**${resource.id}** — \`${resource.type}\``];
  const subnet = model.subnets.get(resource.id);
  if (subnet) {
    const egress = subnetEgress(model, subnet);
    lines.push(`- Availability Zone: ${azLabel(subnet)}`);
    if (subnet.cidr.value) lines.push(`- CIDR: \`${subnet.cidr.value}\``);
    if (subnet.vpc.id) lines.push(`- VPC: \`${subnet.vpc.id}\``);
    lines.push(`- route table: ${subnet.routeTable.id ? `\`${subnet.routeTable.id}\`` : subnet.routeTable.main ? "the VPC's main table (local route only)" : 'unknown'}`);
    lines.push(`- egress: ${egressLabel(egress.kind, egress.nat)}`);
  }
  const group = model.securityGroups.get(resource.id);
  if (group) {
    lines.push(`- VPC: ${group.vpc?.id ? `\`${group.vpc.id}\`` : group.vpc ? 'not in this template' : '**none** (the default VPC; `!Ref` returns the group name)'}`);
    lines.push(`- ingress rules: ${group.ingress.length}`);
    lines.push(`- egress: ${group.inlineEgress === undefined ? 'all allowed (no SecurityGroupEgress)' : `${group.inlineEgress.length + group.standaloneEgress.length} rule(s)`}`);
  }
  const vpc = model.vpcs.get(resource.id);
  if (vpc) {
    if (vpc.cidr.value) lines.push(`- CIDR: \`${vpc.cidr.value}\``);
    lines.push(`- DNS support: ${vpc.enableDnsSupport.value ?? 'unknown'}, DNS host names: ${vpc.enableDnsHostnames.value ?? 'unknown'}`);
    lines.push(`- internet gateway: ${vpc.internetGateways.length ? vpc.internetGateways.map((g) => `\`${g}\``).join(', ') : 'none attached'}`);
  }
  const nat = model.natGateways.get(resource.id);
  if (nat) {
    lines.push(`- subnet: ${nat.subnet.id ? `\`${nat.subnet.id}\`` : 'unknown'}; ${nat.connectivity.value ?? 'unknown'} connectivity${nat.allocationId.state === 'known' && nat.allocationId.value === undefined && nat.connectivity.value === 'public' ? '; **no Elastic IP**' : ''}`);
  }
  const endpoint = model.endpoints.get(resource.id);
  if (endpoint) {
    lines.push(`- ${endpoint.endpointType} endpoint for ${endpoint.service ? `\`${endpoint.service}\`` : 'an unknown service'}`);
    if (endpoint.endpointType === 'Interface') lines.push(`- private DNS: ${endpoint.privateDns.value ? 'on' : '**off**'}`);
  }
  const table = model.routeTables.get(resource.id);
  if (table) {
    for (const route of table.routes) lines.push(`- route ${route.destination.value ?? '?'} → ${route.target}${route.targetRef.id ? ` \`${route.targetRef.id}\`` : ''}`);
    if (!table.routes.length) lines.push('- local route only');
  }
  const db = model.databases.get(resource.id);
  if (db) lines.push(`- ${db.kind}${db.engine ? ` (${db.engine})` : ''}, port ${db.port.value ?? 'unknown'}`);
  const role = model.roles.get(resource.id);
  if (role && !role.generated) lines.push(`- execution role with ${role.sources.length} policy source(s)`);
  return lines;
}

export function egressLabel(kind: string, nat?: string): string {
  switch (kind) {
    case 'nat':
      return `NAT gateway${nat ? ` \`${nat}\`` : ''}`;
    case 'private-nat':
      return `private NAT gateway${nat ? ` \`${nat}\`` : ''} (no internet)`;
    case 'nat-instance':
      return 'NAT instance';
    case 'transit':
      return 'transit gateway / firewall / VPN (counted as egress)';
    case 'internet-gateway':
      return '**internet gateway**: a public subnet, no internet for Lambda';
    case 'peering':
      return 'peering connection (no transit)';
    case 'none':
      return '**none** (isolated)';
    default:
      return 'unknown';
  }
}
