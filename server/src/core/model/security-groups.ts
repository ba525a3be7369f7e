/**
 * Whether a security group rule lets a flow through: tcp to a port, to or from a peer described as a
 * set of addresses and a set of groups. The answer is three-valued because a rule may rest on values
 * the template does not give (a parameter without a default, an imported group): `maybe` counts as
 * letting the flow through for every rule that reports a block, so unknown facts stay silent.
 */
import type { IpSet } from './ip';
import { intersects, isIpv6Cidr, parseCidr } from './ip';
import type { Fact, Model, ResourceRef, SgRule, VpcAttachment } from './types';
import { functionSubnets, functionVpcId } from './queries';

export type Tri = 'yes' | 'no' | 'maybe';

/** The other end of a flow, as a rule's `CidrIp` / group / prefix list may name it. */
export interface Peer {
  /** The IPv4 addresses the traffic goes to (egress) or comes from (ingress). */
  addresses: IpSet;
  /** Logical ids of template security groups the peer is in. */
  groups: ReadonlySet<string>;
  /** Hard-coded group ids (`sg-0abc...`) the peer is in. */
  literals: ReadonlySet<string>;
  /** What a resolved group reference that is not one of the peer's means (another template group, another id). */
  otherGroups: Tri;
  /** What a group reference that cannot be resolved means (an imported group, a parameter without default). */
  unknownGroups: Tri;
  /** What a prefix list means (its entries are not in the template). */
  prefixLists: Tri;
  /** What an IPv6 CIDR means (only dual-stack functions send IPv6). */
  ipv6: Tri;
}

function note(fact: { state: string; param?: string } | undefined, assumed: string[]): void {
  if (fact?.state === 'assumed' && fact.param) assumed.push(fact.param);
}

/** Whether the rule's protocol and ports carry tcp traffic to `port`. */
export function carriesTcp(rule: SgRule, port: number, assumed: string[] = []): Tri {
  if (rule.protocol.state === 'unknown' || rule.protocol.value === undefined) return 'maybe';
  note(rule.protocol, assumed);
  const protocol = rule.protocol.value.toLowerCase();
  if (protocol === '-1' || protocol === 'all') return 'yes';
  if (protocol !== 'tcp' && protocol !== '6') return 'no';
  const from = rule.fromPort;
  const to = rule.toPort;
  if (from.state === 'unknown' || to.state === 'unknown' || from.value === undefined || to.value === undefined) return 'maybe';
  note(from, assumed);
  note(to, assumed);
  if (from.value === -1 || to.value === -1) return 'maybe';
  return from.value <= port && port <= to.value ? 'yes' : 'no';
}

function groupMatches(ref: ResourceRef, peer: Peer, model: Model, assumed: string[]): Tri {
  if (ref.state === 'unknown') return peer.unknownGroups;
  note(ref, assumed);
  if (ref.id) {
    if (peer.groups.has(ref.id)) return 'yes';
    return model.securityGroups.has(ref.id) ? 'no' : peer.otherGroups;
  }
  if (ref.literal !== undefined) return peer.literals.has(ref.literal) ? 'yes' : peer.otherGroups;
  return peer.otherGroups;
}

function cidrMatches(fact: Fact<string>, peer: Peer, assumed: string[]): Tri {
  if (fact.state === 'unknown' || fact.value === undefined) return 'maybe';
  note(fact, assumed);
  if (isIpv6Cidr(fact.value)) return peer.ipv6;
  const set = parseCidr(fact.value);
  if (!set) return 'maybe';
  return intersects(set, peer.addresses) ? 'yes' : 'no';
}

/** Whether the rule's source (ingress) or destination (egress) takes in the peer. */
export function reachesPeer(rule: SgRule, peer: Peer, model: Model, assumed: string[] = []): Tri {
  if (rule.cidr) return cidrMatches(rule.cidr, peer, assumed);
  if (rule.cidrIpv6) return rule.cidrIpv6.state === 'unknown' ? 'maybe' : peer.ipv6;
  if (rule.group) return groupMatches(rule.group, peer, model, assumed);
  if (rule.prefixList) return rule.prefixList.state === 'unknown' ? 'maybe' : peer.prefixLists;
  return 'maybe';
}

export function and(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'yes' && b === 'yes' ? 'yes' : 'maybe';
}

/** Whether any of the rules lets tcp to `port` through to or from the peer. */
export function rulesAllowTcp(rules: readonly SgRule[], port: number, peer: Peer, model: Model, assumed: string[] = []): Tri {
  let best: Tri = 'no';
  for (const rule of rules) {
    const local: string[] = [];
    const r = and(carriesTcp(rule, port, local), reachesPeer(rule, peer, model, local));
    if (r === 'yes') return 'yes';
    if (r === 'maybe') best = 'maybe';
    else assumed.push(...local);
  }
  return best;
}

/** The addresses of a CIDR fact, or undefined when it is unknown or not an IPv4 CIDR. */
export function cidrAddresses(fact: Fact<string> | undefined): IpSet | undefined {
  return fact && fact.state !== 'unknown' && fact.value !== undefined ? parseCidr(fact.value) : undefined;
}

/** The addresses of a function's subnets, or undefined when one of them has no known CIDR. */
export function functionAddresses(model: Model, vpc: VpcAttachment): IpSet | undefined {
  const out: (readonly [number, number])[] = [];
  for (const { subnet } of functionSubnets(model, vpc)) {
    const set = cidrAddresses(subnet?.cidr);
    if (!set) return undefined;
    out.push(...set);
  }
  return out;
}

/** The addresses of the function's VPC, when it is one of the template's with a known CIDR. */
export function functionVpcAddresses(model: Model, vpc: VpcAttachment): IpSet | undefined {
  const id = functionVpcId(model, vpc);
  return cidrAddresses(id ? model.vpcs.get(id)?.cidr : undefined);
}

/** Group references as a peer's groups: logical ids, hard-coded ids, and whether some reference is neither. */
export function peerGroups(refs: readonly ResourceRef[]): { groups: Set<string>; literals: Set<string>; unresolved: boolean } {
  const groups = new Set<string>();
  const literals = new Set<string>();
  let unresolved = false;
  for (const ref of refs) {
    if (ref.id) groups.add(ref.id);
    else if (ref.literal !== undefined) literals.add(ref.literal);
    else unresolved = true;
  }
  return { groups, literals, unresolved };
}

/** The function as the source of traffic: its groups and, when known, its subnets' addresses. */
export function functionPeer(model: Model, vpc: VpcAttachment, fallback: IpSet): Peer {
  // Any resolved id counts, so `!GetAtt Vpc.DefaultSecurityGroup` on both sides matches.
  const { groups, literals } = peerGroups(vpc.securityGroupIds.items);
  const known = vpc.securityGroupIds.state !== 'unknown' && vpc.securityGroupIds.items.every((r) => r.state !== 'unknown');
  return {
    addresses: functionAddresses(model, vpc) ?? fallback,
    groups,
    literals,
    otherGroups: known ? 'no' : 'maybe',
    // An imported group may be the same group as one given by id; it cannot be one of this template's.
    unknownGroups: known && literals.size === 0 ? 'no' : 'maybe',
    prefixLists: 'maybe',
    ipv6: 'maybe',
  };
}
