/**
 * What the VPC endpoint rules ask of the model: which functions an endpoint serves (VPC-attached in its
 * VPC and needing a service it carries), which ways out leave a subnet stuck, whether a gateway
 * endpoint's route tables take in a table, whether calls to a service may go to an interface endpoint, and
 * which groups stand for a function as a traffic source.
 */
import type { EgressKind } from './queries';
import { attachedInVpc, endpointsFor, functionGroups, vpcHasUnknownEndpoints } from './queries';
import { endpointServes } from './services';
import type { FunctionVariant, LambdaFunction, Model, NeedEvidence, VpcAttachment, VpcEndpoint } from './types';

/**
 * Ways out that give a Lambda interface no way out: no default route, a peering connection (no transit),
 * an internet gateway (Lambda interfaces never get a public IP). A private NAT gateway is left to
 * `private-nat-no-internet`, which owns what cannot pass it.
 */
const STUCK: ReadonlySet<EgressKind> = new Set<EgressKind>(['none', 'peering', 'internet-gateway', 'nat-instance-no-internet']);

export function lacksEgress(kind: EgressKind): boolean {
  return STUCK.has(kind);
}

export function egressLabel(kind: EgressKind): string {
  switch (kind) {
    case 'none':
      return 'no default route';
    case 'peering':
      return 'its default route goes to a peering connection, which carries no transit traffic';
    case 'internet-gateway':
      return 'its default route goes to an internet gateway, and Lambda interfaces get no public IP';
    case 'nat-instance-no-internet':
      return 'its default route goes to a NAT instance that cannot reach the internet';
    default:
      return kind;
  }
}

/** A VPC-attached function (one variant) that needs a service an endpoint carries. */
export interface EndpointUser {
  fn: LambdaFunction;
  variant: FunctionVariant;
  vpc: VpcAttachment;
  /** The IAM prefix the function needs (`sqs`). */
  prefix: string;
  evidence: NeedEvidence[];
}

/** The functions in the endpoint's VPC that need what it serves, one entry per attached variant. */
export function endpointUsers(model: Model, endpoint: VpcEndpoint): EndpointUser[] {
  const service = endpoint.service;
  const vpcId = endpoint.vpc.id;
  if (!service || !vpcId) return [];
  return serviceUsers(model, vpcId, (prefix) => endpointServes(service, prefix));
}

/** The functions attached to the VPC that need a service the predicate accepts. */
export function serviceUsers(model: Model, vpcId: string, serves: (prefix: string) => boolean): EndpointUser[] {
  const out: EndpointUser[] = [];
  for (const { fn, variant, vpc } of attachedInVpc(model, vpcId)) {
    const need = [...fn.needs.services].find(([prefix]) => serves(prefix));
    if (need) out.push({ fn, variant, vpc, prefix: need[0], evidence: need[1] });
  }
  return out;
}

/** Whether a gateway endpoint's `RouteTableIds` take in the table: `maybe` when an item does not resolve. */
export function routeTableListed(endpoint: VpcEndpoint, tableId: string): 'yes' | 'no' | 'maybe' {
  const list = endpoint.routeTableIds;
  if (list.items.some((r) => r.id === tableId)) return 'yes';
  if (list.state === 'unknown' || list.items.some((r) => r.state === 'unknown' && !r.missing)) return 'maybe';
  return 'no';
}

/**
 * Whether calls to the service may go to an interface endpoint's addresses inside the VPC rather than
 * to AWS's public ones: the VPC has an endpoint for it that is not a gateway, or its endpoints are not all known.
 */
export function mayUseInterfaceEndpoint(model: Model, vpcId: string | undefined, prefix: string): boolean {
  if (!vpcId || !model.vpcs.has(vpcId) || vpcHasUnknownEndpoints(model, vpcId)) return true;
  return endpointsFor(model, vpcId, prefix).some((e) => e.endpointType !== 'Gateway');
}

/**
 * A security group that stands for the function as a source of traffic: its first group in the
 * template (`id`), else its first hard-coded id (`literal`); undefined when none resolves.
 */
export function sourceGroupOf(model: Model, vpc: VpcAttachment): { id?: string; literal?: string } | undefined {
  const groups = functionGroups(model, vpc);
  const inTemplate = groups.find((g) => g.group);
  if (inTemplate) return { id: inTemplate.group!.id };
  const literal = groups.find((g) => g.ref.literal !== undefined && g.ref.state === 'known');
  return literal ? { literal: literal.ref.literal! } : undefined;
}
