/**
 * IPv4 address sets for the security group and network ACL rules: a CIDR is one interval of 32-bit
 * addresses, a set is a sorted list of disjoint intervals. Rules ask whether a rule's CIDR touches or
 * covers a set of destinations (the internet, the VPC, private space) rather than one address, because
 * a template never says which address a call goes to.
 */
import { parseCidr as parseCidrBlock } from './cidr';

/** Inclusive `[first, last]` address intervals, sorted and disjoint. */
export type IpSet = readonly (readonly [number, number])[];

const MAX = 2 ** 32 - 1;

/** The addresses of an IPv4 CIDR (`10.0.0.0/16`), or undefined when the text is not one. */
export function parseCidr(text: string): IpSet | undefined {
  const cidr = parseCidrBlock(text);
  return cidr ? [[cidr.base, cidr.base + 2 ** (32 - cidr.prefix) - 1]] : undefined;
}

/** Whether a CIDR is an IPv6 one (it never matches IPv4 traffic). */
export function isIpv6Cidr(text: string): boolean {
  return text.includes(':');
}

function cidr(text: string): IpSet {
  return parseCidr(text)!;
}

export function union(...sets: IpSet[]): IpSet {
  const all = sets.flat().map(([a, b]) => [a, b] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of all) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function subtract(set: IpSet, remove: IpSet): IpSet {
  let out: [number, number][] = set.map(([a, b]) => [a, b]);
  for (const [ra, rb] of remove) {
    const next: [number, number][] = [];
    for (const [a, b] of out) {
      if (rb < a || ra > b) next.push([a, b]);
      else {
        if (a < ra) next.push([a, ra - 1]);
        if (rb < b) next.push([rb + 1, b]);
      }
    }
    out = next;
  }
  return out;
}

export function intersects(a: IpSet, b: IpSet): boolean {
  return a.some(([x1, x2]) => b.some(([y1, y2]) => x1 <= y2 && y1 <= x2));
}

/** Whether every address of `inner` is in `outer`. */
export function covers(outer: IpSet, inner: IpSet): boolean {
  return subtract(inner, outer).length === 0;
}

export const ALL_IPV4: IpSet = [[0, MAX]];
export const LOOPBACK: IpSet = cidr('127.0.0.0/8');
/** RFC 1918 space plus the shared 100.64.0.0/10 range, all usable as VPC CIDRs. */
export const PRIVATE: IpSet = union(cidr('10.0.0.0/8'), cidr('172.16.0.0/12'), cidr('192.168.0.0/16'), cidr('100.64.0.0/10'));
const NOT_ROUTED: IpSet = union(cidr('0.0.0.0/8'), LOOPBACK, cidr('169.254.0.0/16'), cidr('224.0.0.0/3'));
/** Where the internet and AWS's public service endpoints live. */
export const PUBLIC: IpSet = subtract(ALL_IPV4, union(PRIVATE, NOT_ROUTED));
/** Any address a packet from a Lambda interface can be sent to. */
export const ROUTABLE: IpSet = subtract(ALL_IPV4, NOT_ROUTED);
