/**
 * IPv4 CIDR arithmetic for rules that size subnets or carve a new one out of a VPC: parsing, overlap,
 * and the first free block of a given size that overlaps none of the subnets already there.
 */

export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

export function parseCidr(text: string | undefined): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text?.trim() ?? '');
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
  return { base: address - (address % blockSize(prefix)), prefix };
}

export function formatCidr(cidr: Cidr): string {
  const b = cidr.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${cidr.prefix}`;
}

function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + blockSize(b.prefix) && b.base < a.base + blockSize(a.prefix);
}

/** Addresses a subnet of this size leaves for interfaces: AWS reserves five in every subnet. */
export function usableAddresses(prefix: number): number {
  return Math.max(0, blockSize(prefix) - 5);
}

/** The first block of `/prefix` inside `within` that overlaps none of `taken`. */
export function nextFreeCidr(within: Cidr, taken: readonly Cidr[], prefix: number): Cidr | undefined {
  if (prefix < within.prefix || prefix > 28) return undefined;
  const size = blockSize(prefix);
  const end = within.base + blockSize(within.prefix);
  for (let base = within.base; base + size <= end; base += size) {
    const candidate = { base, prefix };
    if (!taken.some((t) => overlaps(t, candidate))) return candidate;
  }
  return undefined;
}
