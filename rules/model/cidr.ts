import ipaddr from 'ipaddr.js';

/** An IPv4 or IPv6 CIDR block, parsed once when the inventory is built. */
interface Cidr {
  /** The text as AWS returned it, for annotations. */
  readonly text: string;
  readonly family: 4 | 6;
  readonly prefix: number;
  /** Network address as bytes (4 or 16), used to walk the route trie. */
  readonly bytes: readonly number[];
  readonly address: ipaddr.IPv4 | ipaddr.IPv6;
}

/**
 * Parses `a.b.c.d/n` or an IPv6 CIDR. Returns `undefined` for anything else,
 * including a bare address: AWS always prints route destinations, VPC blocks
 * and security-group ranges with a prefix length.
 *
 * @param text - the CIDR as AWS prints it
 */
const parseCidr = (text: string): Cidr | undefined => {
  // ipaddr.js also accepts inet_aton shorthands (`10.0.0/16`); AWS always
  // prints four-part decimal IPv4, so anything else is a typo.
  const valid =
    ipaddr.IPv4.isValidCIDRFourPartDecimal(text) ||
    ipaddr.IPv6.isValidCIDR(text);
  if (!valid) return undefined;
  const [address, prefix] = ipaddr.parseCIDR(text);
  return {
    text,
    family: address.kind() === 'ipv4' ? 4 : 6,
    prefix,
    bytes: address.toByteArray(),
    address,
  };
};

/**
 * True when the two blocks share at least one address. CIDR blocks are either
 * nested or disjoint, so they overlap exactly when the shorter one contains
 * the other's network address.
 */
const cidrsOverlap = (a: Cidr, b: Cidr): boolean => {
  if (a.family !== b.family) return false;
  const bits = Math.min(a.prefix, b.prefix);
  // ipaddr's match() requires both addresses to be of the same kind, which
  // the family check above guarantees.
  return a.address.match(b.address, bits);
};

/** True when every address of `inner` is inside `outer`. */
const cidrContains = (outer: Cidr, inner: Cidr): boolean =>
  outer.family === inner.family &&
  outer.prefix <= inner.prefix &&
  outer.address.match(inner.address, outer.prefix);

/** Bit `index` (0 = most significant) of the block's network address. */
const bitAt = (cidr: Cidr, index: number): 0 | 1 => {
  const byte = cidr.bytes[index >> 3] ?? 0;
  return ((byte >> (7 - (index & 7))) & 1) as 0 | 1;
};

export type { Cidr };
export { bitAt, cidrContains, cidrsOverlap, parseCidr };
