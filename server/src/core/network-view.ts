/**
 * A template's network as a tree, per function: its subnets (with their Availability Zone), each
 * subnet's route table, the table's default route target (a NAT gateway and its zone, an internet
 * gateway, a peering connection, none, or unknown and why) and the gateway endpoints on the table; the
 * interface endpoints that serve what the function calls; its security groups. Each node carries a state
 * (ok, finding, unknown), the span of its definition and its findings as children. Pure data, for the
 * editor's network view (the language server's `lambdaVpcLint/networkView` request).
 */
import { resourcesOfFunction } from './concerns';
import { endpointServes } from './model/services';
import type { FunctionSubnet } from './model/queries';
import { azLabel, endpointsInVpc, functionGroups, functionSubnets, functionVpcId, subnetEgress } from './model/queries';
import type { LambdaFunction, Model, ResourceRef, Subnet, VpcAttachment } from './model/types';
import type { Span } from './tree';
import type { Finding, Severity } from './types';

export type NetworkNodeKind = 'function' | 'subnet' | 'route-table' | 'route-target' | 'endpoint' | 'security-group' | 'finding' | 'note';
export type NetworkState = 'ok' | 'finding' | 'unknown';

export interface NetworkNode {
  kind: NetworkNodeKind;
  label: string;
  description?: string;
  /** Why the node is unknown, or what it is, in a sentence. */
  tooltip?: string;
  state: NetworkState;
  /** The worst severity among the findings of the node and below it. */
  severity?: Severity;
  /** The definition in the template (a finding: where it is reported). */
  span?: Span;
  /** The logical id of the resource the node stands for. */
  resource?: string;
  ruleId?: string;
  children: NetworkNode[];
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function networkView(model: Model, findings: readonly Finding[]): NetworkNode[] {
  const byResource = new Map<string, Finding[]>();
  for (const f of findings) byResource.set(f.resource, [...(byResource.get(f.resource) ?? []), f]);
  const out: NetworkNode[] = [];
  for (const fn of model.functions) {
    const attached = fn.variants.filter((v) => v.vpc);
    if (attached.length === 0) {
      out.push(finish({ kind: 'function', label: fn.id, description: 'not in a VPC', state: 'ok', span: fn.keySpan, resource: fn.id, children: findingNodes(byResource.get(fn.id) ?? []) }));
      continue;
    }
    for (const variant of attached) {
      const shown = new Set<string>([fn.id]);
      const children = functionChildren(model, fn, variant.vpc!, byResource, shown);
      // What concerns the function but has no node of its own (its role, a database): under the function.
      const elsewhere = [...resourcesOfFunction(model, fn)].filter((id) => !shown.has(id)).flatMap((id) => byResource.get(id) ?? []);
      const conditions = variant.conditions.length ? ` when ${variant.conditions.join(', ')}` : '';
      out.push(finish({
        kind: 'function',
        label: fn.id,
        description: `${plural(variant.vpc!.subnetIds.items.length, 'subnet')}${conditions}`,
        state: 'ok',
        span: fn.keySpan,
        resource: fn.id,
        children: [...findingNodes([...(byResource.get(fn.id) ?? []), ...elsewhere]), ...children],
      }));
    }
  }
  return out;
}

function functionChildren(model: Model, fn: LambdaFunction, vpc: VpcAttachment, byResource: Map<string, Finding[]>, shown: Set<string>): NetworkNode[] {
  const nodes: NetworkNode[] = [];
  if (vpc.subnetIds.state === 'unknown' && vpc.subnetIds.items.length === 0) {
    nodes.push(unknownNote('subnets', vpc.subnetIds.reason ?? 'the subnet list cannot be resolved', vpc.subnetIds.span));
  }
  // A finding on the function that names one of its subnets (the subnet with no way out) marks that subnet too.
  const own = byResource.get(fn.id) ?? [];
  for (const fs of functionSubnets(model, vpc)) nodes.push(subnetNode(model, fs, byResource, shown, own));
  const vpcId = functionVpcId(model, vpc);
  const services = [...fn.needs.services.keys()];
  for (const e of endpointsInVpc(model, vpcId)) {
    if (e.endpointType === 'Gateway' || !e.service || !services.some((s) => endpointServes(e.service!, s))) continue;
    shown.add(e.id);
    nodes.push(finish({ kind: 'endpoint', label: e.id, description: `interface endpoint · ${e.service}`, state: 'ok', span: e.keySpan, resource: e.id, children: findingNodes(byResource.get(e.id) ?? []) }));
  }
  if (vpc.securityGroupIds.state === 'unknown' && vpc.securityGroupIds.items.length === 0) {
    nodes.push(unknownNote('security groups', vpc.securityGroupIds.reason ?? 'the security group list cannot be resolved', vpc.securityGroupIds.span));
  }
  for (const { ref, group } of functionGroups(model, vpc)) {
    if (group) {
      shown.add(group.id);
      const egress = group.inlineEgress === undefined ? 'all egress allowed' : plural(group.inlineEgress.length + group.standaloneEgress.length, 'egress rule');
      nodes.push(finish({ kind: 'security-group', label: group.id, description: `security group · ${egress}`, state: 'ok', span: group.keySpan, resource: group.id, children: findingNodes(byResource.get(group.id) ?? []) }));
    } else nodes.push(refNode('security-group', 'security group', ref));
  }
  return nodes;
}

function subnetNode(model: Model, fs: FunctionSubnet, byResource: Map<string, Finding[]>, shown: Set<string>, fnFindings: readonly Finding[]): NetworkNode {
  const subnet = fs.subnet;
  if (!subnet) return refNode('subnet', 'subnet', fs.ref);
  shown.add(subnet.id);
  const inside = (span: Span) => span.start >= Math.min(subnet.keySpan.start, subnet.node.start) && span.end <= subnet.node.end;
  const naming = fnFindings.filter((f) => f.related.some((r) => inside(r.span)));
  return finish({
    kind: 'subnet',
    label: subnet.id,
    description: [azLabel(subnet), subnet.cidr.value].filter(Boolean).join(' · '),
    state: subnet.az.kind === 'unknown' ? 'unknown' : 'ok',
    ...(subnet.az.kind === 'unknown' ? { tooltip: `Its Availability Zone is unknown: ${subnet.az.reason}.` } : {}),
    span: subnet.keySpan,
    resource: subnet.id,
    children: [...findingNodes([...(byResource.get(subnet.id) ?? []), ...naming]), routeTableNode(model, subnet, byResource, shown)],
  });
}

function routeTableNode(model: Model, subnet: Subnet, byResource: Map<string, Finding[]>, shown: Set<string>): NetworkNode {
  const rt = subnet.routeTable;
  const egress = subnetEgress(model, subnet);
  const target = targetNode(model, subnet, egress, byResource, shown);
  if (rt.state === 'unknown') {
    return finish({ kind: 'route-table', label: 'route table unknown', state: 'unknown', tooltip: 'The route table association of this subnet cannot be resolved.', ...(rt.associationSpan ? { span: rt.associationSpan } : {}), children: [target] });
  }
  if (rt.main || !rt.id) {
    const inTemplate = !!subnet.vpc.id && model.vpcs.has(subnet.vpc.id);
    return finish({
      kind: 'route-table',
      label: 'main route table',
      description: inTemplate ? `of ${subnet.vpc.id} · only the local route` : 'of a VPC not in the template',
      state: inTemplate ? 'ok' : 'unknown',
      ...(inTemplate ? {} : { tooltip: "The subnet has no route table association, and its VPC's main route table is not in the template." }),
      span: subnet.keySpan,
      children: [target],
    });
  }
  const table = model.routeTables.get(rt.id);
  shown.add(rt.id);
  const gateways = [...model.endpoints.values()].filter((e) => e.endpointType === 'Gateway' && e.routeTableIds.items.some((r) => r.id === rt.id));
  const gatewayNodes = gateways.map((e) => {
    shown.add(e.id);
    return finish({ kind: 'endpoint', label: e.id, description: `gateway endpoint · ${e.service ?? 'unknown service'}`, state: e.service ? 'ok' : 'unknown', span: e.keySpan, resource: e.id, children: findingNodes(byResource.get(e.id) ?? []) });
  });
  return finish({
    kind: 'route-table',
    label: rt.id,
    description: table ? plural(table.routes.length, 'route') : 'not in the template',
    state: table ? 'ok' : 'unknown',
    ...(table ? {} : { tooltip: `Route table ${rt.id} is not in the template.` }),
    ...(table ? { span: table.keySpan } : rt.associationSpan ? { span: rt.associationSpan } : {}),
    resource: rt.id,
    children: [...findingNodes(byResource.get(rt.id) ?? []), target, ...gatewayNodes],
  });
}

function targetNode(model: Model, subnet: Subnet, egress: ReturnType<typeof subnetEgress>, byResource: Map<string, Finding[]>, shown: Set<string>): NetworkNode {
  const route = egress.route;
  const span = route?.span;
  const ref = route?.targetRef;
  const name = ref?.id ?? ref?.literal;
  const base = { kind: 'route-target' as const, children: [] as NetworkNode[], ...(span ? { span } : {}) };
  switch (egress.kind) {
    case 'nat':
    case 'private-nat': {
      const nat = egress.nat ? model.natGateways.get(egress.nat) : undefined;
      const natSubnet = nat?.subnet.id ? model.subnets.get(nat.subnet.id) : undefined;
      const zone = natSubnet ? azLabel(natSubnet) : 'an unknown AZ';
      if (nat) shown.add(nat.id);
      const crossAz = natSubnet && subnet.az.kind !== 'unknown' && natSubnet.az.kind !== 'unknown' && (natSubnet.az.kind !== subnet.az.kind || natSubnet.az.value !== subnet.az.value);
      return finish({
        ...base,
        label: `${egress.kind === 'private-nat' ? 'private NAT gateway' : 'NAT gateway'} ${name ?? ''}`.trim(),
        description: `0.0.0.0/0 · in ${zone}${crossAz ? ' (another AZ)' : ''}`,
        state: 'ok',
        ...(nat ? { resource: nat.id, children: findingNodes(byResource.get(nat.id) ?? []) } : {}),
      });
    }
    case 'internet-gateway':
      return finish({ ...base, label: `Internet Gateway ${name ?? ''}`.trim(), description: '0.0.0.0/0 · a public subnet: functions get no public IP', state: 'ok', ...(ref?.id ? { resource: ref.id, children: findingNodes(byResource.get(ref.id) ?? []) } : {}) });
    case 'peering':
      return finish({ ...base, label: `peering connection ${name ?? ''}`.trim(), description: '0.0.0.0/0', state: 'ok' });
    case 'nat-instance':
      return finish({ ...base, label: `NAT instance ${name ?? ''}`.trim(), description: '0.0.0.0/0', state: 'ok' });
    case 'nat-instance-no-internet':
      return finish({ ...base, label: `NAT instance ${name ?? ''}`.trim(), description: `0.0.0.0/0 · ${egress.why ?? 'cannot reach the internet'}`, state: 'finding' });
    case 'transit':
      return finish({ ...base, label: `${route?.target ?? 'gateway'} ${name ?? ''}`.trim(), description: '0.0.0.0/0', state: 'ok' });
    case 'none':
      return finish({ ...base, label: 'no default route', description: 'only the VPC and its endpoints are reachable', state: 'ok' });
    case 'unknown':
      return finish({ ...base, label: 'default route unknown', state: 'unknown', tooltip: unknownWhy(model, subnet, egress) });
  }
}

function unknownWhy(model: Model, subnet: Subnet, egress: ReturnType<typeof subnetEgress>): string {
  const rt = subnet.routeTable;
  if (rt.state === 'unknown') return 'The route table association of this subnet cannot be resolved.';
  if (rt.main || !rt.id) return "The subnet uses its VPC's main route table, which is not in the template.";
  if (!model.routeTables.has(rt.id)) return `Route table ${rt.id} is not in the template.`;
  const ref = egress.route?.targetRef;
  if (ref?.state === 'unknown') return `The default route's target cannot be resolved${ref.reason ? `: ${ref.reason}` : ''}.`;
  if (egress.nat) return `The connectivity of NAT gateway ${egress.nat} cannot be resolved.`;
  return 'A route whose destination cannot be resolved may be the default route.';
}

function refNode(kind: 'subnet' | 'security-group', noun: string, ref: ResourceRef): NetworkNode {
  const label = ref.literal ?? ref.placeholder ?? ref.id ?? `${noun} unknown`;
  const why = ref.state === 'unknown'
    ? `This ${noun} cannot be resolved${ref.reason ? `: ${ref.reason}` : ''}.`
    : ref.literal ? `${ref.literal} is not in the template: its ${kind === 'subnet' ? 'zone and routes' : 'rules'} are unknown.` : `${ref.id} is not a ${noun} of the template.`;
  return { kind, label, description: 'unknown', tooltip: why, state: 'unknown', span: ref.span, children: [] };
}

function unknownNote(what: string, reason: string, span: Span | undefined): NetworkNode {
  return { kind: 'note', label: `${what} unknown`, tooltip: `The ${what} cannot be resolved: ${reason}.`, state: 'unknown', ...(span ? { span } : {}), children: [] };
}

function findingNodes(findings: readonly Finding[]): NetworkNode[] {
  // `network-unknown` says what could not be followed: an unknown, not a problem found.
  return findings.map((f) => ({
    kind: 'finding', label: f.message, description: f.ruleId, state: f.ruleId === 'network-unknown' ? 'unknown' : 'finding',
    ...(f.ruleId === 'network-unknown' ? {} : { severity: f.severity }), span: f.span, resource: f.resource, ruleId: f.ruleId, children: [],
  }));
}

/** The node's state from its own and its children's: a finding anywhere below wins, then an unknown. */
function finish(node: NetworkNode): NetworkNode {
  let severity = node.severity;
  let state = node.state;
  for (const c of node.children) {
    if (c.severity && (!severity || RANK[c.severity] > RANK[severity])) severity = c.severity;
    if (c.state === 'finding') state = 'finding';
    else if (c.state === 'unknown' && state === 'ok') state = 'unknown';
  }
  if (severity) node.severity = severity;
  node.state = state;
  return node;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
