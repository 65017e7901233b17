import type { Cidr } from './cidr.js';
import { cidrsOverlap } from './cidr.js';
import type { IngressRule, SecurityGroup } from './inventory.js';

/** The address blocks of a VPC, where its clients live. */
interface VpcBlocks {
  readonly ipv4: readonly Cidr[];
  readonly ipv6: readonly Cidr[];
}

const HTTPS = 443;

const isTcpOrAll = (rule: IngressRule): boolean =>
  rule.protocol === 'tcp' || rule.protocol === '6' || rule.protocol === '-1';

const coversHttpsPort = (rule: IngressRule): boolean => {
  if (rule.protocol === '-1') return true;
  // DescribeSecurityGroups always prints both ports for TCP; without them the
  // rule's range is unknown, so it is not counted.
  if (rule.fromPort === undefined || rule.toPort === undefined) return false;
  return rule.fromPort <= HTTPS && HTTPS <= rule.toPort;
};

/**
 * The source through which `rule` admits TCP 443 from clients in `vpc`, or
 * `undefined`. A source can hold VPC clients when it is an IPv4 range that
 * overlaps a VPC IPv4 block (one subnet's range is a legitimate
 * least-privilege source), an IPv6 range that overlaps a VPC IPv6 block, a
 * security-group reference or a prefix-list reference.
 */
const httpsSourceInVpc = (
  rule: IngressRule,
  vpc: VpcBlocks
): string | undefined => {
  if (!isTcpOrAll(rule) || !coversHttpsPort(rule)) return undefined;
  const v4 = rule.ipv4Ranges.find((range) =>
    vpc.ipv4.some((block) => cidrsOverlap(range, block))
  );
  if (v4) return v4.text;
  const v6 = rule.ipv6Ranges.find((range) =>
    vpc.ipv6.some((block) => cidrsOverlap(range, block))
  );
  if (v6) return v6.text;
  return rule.groupIds[0] ?? rule.prefixListIds[0];
};

/**
 * The first group and source admitting HTTPS from the VPC, or `undefined`.
 *
 * @param groups - the endpoint's security groups
 * @param vpc - the address blocks of the endpoint's VPC
 */
const findHttpsIngress = (
  groups: readonly SecurityGroup[],
  vpc: VpcBlocks
): { readonly group: SecurityGroup; readonly source: string } | undefined => {
  for (const group of groups) {
    for (const rule of group.ingress) {
      const source = httpsSourceInVpc(rule, vpc);
      if (source !== undefined) return { group, source };
    }
  }
  return undefined;
};

export type { VpcBlocks };
export { findHttpsIngress };
