/**
 * The fewest AWS calls that can load one account-region (README "Performance"),
 * from what the server holds and how large a page it returns:
 *
 *   minimum = Σ over DescribeVpcs, DescribeSubnets, DescribeRouteTables,
 *               DescribeVpcEndpoints, DescribePrefixLists of max(1, ⌈n / p⌉)
 *           + max(1, ⌈d / p⌉) DescribeVpcEndpointServices, if any endpoint
 *           + Σ over the endpoints' security-group ids in chunks of 200 (the
 *               EC2 filter-value limit) of max(1, ⌈g / p⌉)
 *               DescribeSecurityGroups
 *           + Σ over prefix lists returned without `Cidrs` (moto only) of
 *               max(1, ⌈e / p⌉) GetManagedPrefixListEntries
 *           + 2 DescribeVpcAttribute per VPC with an interface endpoint
 *           + Σ over the VPCs the rules ask about (their `hostedZoneVpcs`)
 *               of max(1, ⌈z / 100⌉) ListHostedZonesByVPC (Route 53)
 *
 * where n, d, g, e are the items the server holds for that call and p is
 * the page size it returns when asked for the largest page: the API
 * maximum (each call's `MaxResults` in the EC2 API reference) for AWS,
 * unlimited for the calls on which moto ignores `MaxResults`. With every
 * describe call on one page this is the loader's budget `7 + 2·V_i` (+ the
 * moto-only prefix-list entries).
 */

/** The calls a load makes, by operation name. */
type Ec2Operation =
  | 'DescribeVpcs'
  | 'DescribeSubnets'
  | 'DescribeRouteTables'
  | 'DescribeVpcEndpoints'
  | 'DescribePrefixLists'
  | 'DescribeVpcEndpointServices'
  | 'DescribeSecurityGroups'
  | 'GetManagedPrefixListEntries'
  | 'DescribeVpcAttribute'
  | 'ListHostedZonesByVPC';

/** The paginated EC2 ones. */
type PagedOperation = Exclude<
  Ec2Operation,
  'DescribeVpcAttribute' | 'ListHostedZonesByVPC'
>;

/** ListHostedZonesByVPC's largest page (`MaxItems`), on AWS and in moto. */
const HOSTED_ZONES_PAGE = 100;

/** Items per page a server returns when asked for the largest page. */
type PageSizes = Readonly<Record<PagedOperation, number>>;

/** What the server holds, counted per call of a full account-region load. */
interface LoadCensus {
  readonly vpcs: number;
  readonly subnets: number;
  readonly routeTables: number;
  readonly vpcEndpoints: number;
  /** AWS-managed S3 and DynamoDB prefix lists of the Region. */
  readonly prefixLists: number;
  /** Entries of each prefix list returned without `Cidrs` (none on AWS). */
  readonly prefixListEntriesWithoutCidrs: readonly number[];
  /** Distinct service names of the endpoints. */
  readonly endpointServiceNames: number;
  /** Service details returned for those names. */
  readonly serviceDetails: number;
  /** Distinct security-group ids of the endpoints. */
  readonly endpointGroupIds: number;
  /** VPCs with at least one interface endpoint. */
  readonly vpcsWithInterfaceEndpoints: number;
  /** Private hosted zones of each VPC the rules ask about. */
  readonly hostedZonesPerAskedVpc: readonly number[];
}

/**
 * The largest page of each call on AWS (its `MaxResults` maximum in the EC2
 * API reference; DescribeSecurityGroups takes 5–1000). DescribePrefixLists
 * documents no maximum: the loader asks without `MaxResults`, and its name
 * filter matches at most four lists.
 */
const AWS_PAGE_SIZES: PageSizes = {
  DescribeVpcs: 1000,
  DescribeSubnets: 1000,
  DescribeRouteTables: 100,
  DescribeVpcEndpoints: 1000,
  DescribePrefixLists: Number.POSITIVE_INFINITY,
  DescribeVpcEndpointServices: 1000,
  DescribeSecurityGroups: 1000,
  GetManagedPrefixListEntries: 100,
};

/**
 * moto 5.2 honours `MaxResults` (capped at 1000) only on
 * DescribeVpcEndpointServices; every other call returns all its items on
 * one page.
 */
const MOTO_PAGE_SIZES: PageSizes = {
  DescribeVpcs: Number.POSITIVE_INFINITY,
  DescribeSubnets: Number.POSITIVE_INFINITY,
  DescribeRouteTables: Number.POSITIVE_INFINITY,
  DescribeVpcEndpoints: Number.POSITIVE_INFINITY,
  DescribePrefixLists: Number.POSITIVE_INFINITY,
  DescribeVpcEndpointServices: 1000,
  DescribeSecurityGroups: Number.POSITIVE_INFINITY,
  GetManagedPrefixListEntries: Number.POSITIVE_INFINITY,
};

/** EC2 accepts at most 200 values in one filter. */
const FILTER_VALUES_LIMIT = 200;

/** Pages of one query: at least one, even for no items. */
const pages = (items: number, pageSize: number): number =>
  Math.max(1, Math.ceil(items / pageSize));

/** Sizes of the chunks `count` values split into. */
const chunkSizes = (count: number, limit: number): number[] =>
  Array.from({ length: Math.ceil(count / limit) }, (_, index) =>
    Math.min(limit, count - index * limit)
  );

/** The minimum calls per operation, and their total. */
interface MinimumCalls {
  readonly total: number;
  readonly byOperation: Readonly<Record<Ec2Operation, number>>;
}

/**
 * The fewest calls that load the account-region `census` describes from a
 * server with these page sizes (the formula at the top of this file).
 */
const minimumCalls = (
  census: LoadCensus,
  pageSize: PageSizes
): MinimumCalls => {
  const byOperation: Record<Ec2Operation, number> = {
    DescribeVpcs: pages(census.vpcs, pageSize.DescribeVpcs),
    DescribeSubnets: pages(census.subnets, pageSize.DescribeSubnets),
    DescribeRouteTables: pages(
      census.routeTables,
      pageSize.DescribeRouteTables
    ),
    DescribeVpcEndpoints: pages(
      census.vpcEndpoints,
      pageSize.DescribeVpcEndpoints
    ),
    DescribePrefixLists: pages(
      census.prefixLists,
      pageSize.DescribePrefixLists
    ),
    DescribeVpcEndpointServices:
      census.endpointServiceNames === 0
        ? 0
        : pages(census.serviceDetails, pageSize.DescribeVpcEndpointServices),
    DescribeSecurityGroups: chunkSizes(
      census.endpointGroupIds,
      FILTER_VALUES_LIMIT
    ).reduce(
      (sum, groups) => sum + pages(groups, pageSize.DescribeSecurityGroups),
      0
    ),
    GetManagedPrefixListEntries: census.prefixListEntriesWithoutCidrs.reduce(
      (sum, entries) =>
        sum + pages(entries, pageSize.GetManagedPrefixListEntries),
      0
    ),
    DescribeVpcAttribute: 2 * census.vpcsWithInterfaceEndpoints,
    ListHostedZonesByVPC: census.hostedZonesPerAskedVpc.reduce(
      (sum, zones) => sum + pages(zones, HOSTED_ZONES_PAGE),
      0
    ),
  };
  const total = Object.values(byOperation).reduce((a, b) => a + b, 0);
  return { total, byOperation };
};

export type { Ec2Operation, LoadCensus, MinimumCalls, PageSizes };
export { AWS_PAGE_SIZES, MOTO_PAGE_SIZES, minimumCalls };
