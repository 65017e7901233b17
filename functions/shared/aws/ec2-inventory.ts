import {
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointServicesCommand,
  type DescribeVpcEndpointServicesCommandOutput,
  type EC2Client,
  type Filter,
  type PrefixList,
  paginateDescribePrefixLists,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
  paginateGetManagedPrefixListEntries,
  type ServiceDetail,
  type VpcAttributeName,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { toAwsCallError } from '../errors.js';
import { regionFacts, serviceNamePrefixes } from '../formats/partitions.js';
import type { AccountRegionSnapshot } from '../formats/snapshot-schema.js';
import { mapWithLimit } from './map-with-limit.js';

/** What to load: one account-region, or one VPC of it. */
interface LoadScope {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** Set for change-triggered evaluations: every describe call filters by it. */
  readonly vpcId?: string;
}

/** The client and the identity named when AWS refuses a call. */
interface Ec2Caller {
  readonly ec2: EC2Client;
  readonly principal: string;
}

// The largest page each API accepts (its MaxResults maximum in the EC2 API
// reference): fewer pages spend fewer tokens of EC2's per-account-Region
// request-rate bucket, which every caller in the account shares.
const PAGE_SIZE = {
  vpcs: 1000,
  subnets: 1000,
  routeTables: 100,
  vpcEndpoints: 1000,
  vpcEndpointServices: 1000,
  securityGroups: 1000,
  prefixListEntries: 100,
} as const;

// EC2 accepts at most 200 values in one filter.
const FILTER_VALUES_LIMIT = 200;

// Each VPC costs two DescribeVpcAttribute calls; five VPCs at once keeps a
// large account from draining the shared throttling bucket in one burst.
const VPC_ATTRIBUTE_CONCURRENCY = 5;

/**
 * Runs one EC2 call, rethrowing any failure as an AwsCallError (or
 * AccessDeniedError) that names the IAM action and the principal.
 */
const callEc2 = async <T>(
  caller: Ec2Caller,
  operation: string,
  call: () => Promise<T>
): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    throw toAwsCallError(error, `ec2:${operation}`, caller.principal);
  }
};

/** Concatenates the items of every page. */
const allItems = async <P, T>(
  pages: AsyncIterable<P>,
  itemsOf: (page: P) => readonly T[] | undefined
): Promise<T[]> => {
  const items: T[] = [];
  for await (const page of pages) items.push(...(itemsOf(page) ?? []));
  return items;
};

/** The server-side `vpc-id` filter of a VPC-scoped load; none otherwise. */
const vpcFilter = (scope: LoadScope): { Filters?: Filter[] } =>
  scope.vpcId === undefined
    ? {}
    : { Filters: [{ Name: 'vpc-id', Values: [scope.vpcId] }] };

const distinct = (values: Iterable<string | undefined>): string[] => [
  ...new Set(
    [...values].filter((value): value is string => value !== undefined)
  ),
];

const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
};

/** Date → ISO string, recursively: the snapshot is plain JSON. */
const toPlainJson = (value: unknown): unknown => {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, toPlainJson(item)])
    );
  }
  return value;
};

/** The input every VPC-scoped Describe call takes. */
interface VpcScopedInput {
  readonly Filters?: Filter[];
  readonly MaxResults?: number;
}

/**
 * Every item of one VPC-scoped Describe call (DescribeVpcs, DescribeSubnets,
 * DescribeRouteTables, DescribeVpcEndpoints): the largest page, filtered to
 * the VPC of a change-triggered load.
 */
const listVpcScoped = <P, T>(
  caller: Ec2Caller,
  scope: LoadScope,
  call: {
    readonly operation: string;
    readonly paginate: (
      config: { client: EC2Client },
      input: VpcScopedInput
    ) => AsyncIterable<P>;
    readonly pageSize: number;
    readonly itemsOf: (page: P) => readonly T[] | undefined;
  }
): Promise<T[]> =>
  callEc2(caller, call.operation, () =>
    allItems(
      call.paginate(
        { client: caller.ec2 },
        { ...vpcFilter(scope), MaxResults: call.pageSize }
      ),
      call.itemsOf
    )
  );

/**
 * The AWS-managed S3 and DynamoDB prefix-list names of a Region, in every
 * naming scheme of its partition (`com.amazonaws`, and the partition's own:
 * `cn.com.amazonaws` in China, `eu.amazonaws` in the European Sovereign
 * Cloud; functions/shared/formats/partitions.ts). Emulators and guides disagree
 * on China's spelling, so all are asked for; the filter ignores names that
 * do not exist.
 */
const gatewayPrefixListNames = (scope: LoadScope): string[] =>
  serviceNamePrefixes(regionFacts(scope.region, scope.partition)).flatMap(
    (prefix) =>
      ['s3', 'dynamodb'].map(
        (service) => `${prefix}.${scope.region}.${service}`
      )
  );

/** The CIDR blocks of one managed prefix list, from its entries. */
const prefixListEntryCidrs = (caller: Ec2Caller, prefixListId: string) =>
  callEc2(caller, 'GetManagedPrefixListEntries', () =>
    allItems(
      paginateGetManagedPrefixListEntries(
        { client: caller.ec2 },
        { PrefixListId: prefixListId, MaxResults: PAGE_SIZE.prefixListEntries }
      ),
      (page) => page.Entries
    )
  ).then((entries) => distinct(entries.map((entry) => entry.Cidr)));

/**
 * Real AWS returns `Cidrs` with every DescribePrefixLists item, but moto
 * (the emulator of the integration tests) leaves them out; the entries of
 * the managed prefix list carry the same blocks, so only such lists cost
 * the extra calls.
 */
const withCidrs = async (
  caller: Ec2Caller,
  list: PrefixList
): Promise<PrefixList> =>
  list.Cidrs !== undefined || list.PrefixListId === undefined
    ? list
    : { ...list, Cidrs: await prefixListEntryCidrs(caller, list.PrefixListId) };

const loadPrefixLists = async (
  caller: Ec2Caller,
  scope: LoadScope
): Promise<PrefixList[]> => {
  // One call for all the names: no MaxResults, so AWS returns them on one page.
  const lists = await callEc2(caller, 'DescribePrefixLists', () =>
    allItems(
      paginateDescribePrefixLists(
        { client: caller.ec2 },
        {
          Filters: [
            {
              Name: 'prefix-list-name',
              Values: gatewayPrefixListNames(scope),
            },
          ],
        }
      ),
      (page) => page.PrefixLists
    )
  );
  return Promise.all(lists.map((list) => withCidrs(caller, list)));
};

// DescribeVpcEndpointServices has no SDK paginator.
async function* serviceDetailPages(
  ec2: EC2Client,
  serviceNames: readonly string[]
): AsyncGenerator<DescribeVpcEndpointServicesCommandOutput> {
  let nextToken: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeVpcEndpointServicesCommand({
        ServiceNames: [...serviceNames],
        MaxResults: PAGE_SIZE.vpcEndpointServices,
        NextToken: nextToken,
      })
    );
    yield page;
    nextToken = page.NextToken;
  } while (nextToken);
}

/**
 * The requested names an `InvalidServiceName` error says do not exist
 * ("The Vpc Endpoint Service 'com.amazonaws.vpce.…' does not exist"); empty
 * for any other error, or when the message names none of them.
 */
const rejectedServiceNames = (
  error: unknown,
  requested: readonly string[]
): Set<string> => {
  if ((error as { name?: unknown }).name !== 'InvalidServiceName') {
    return new Set();
  }
  const message = error instanceof Error ? error.message : String(error);
  const quoted = [...message.matchAll(/'([^']+)'/g)].flatMap((match) =>
    (match[1] ?? '').split(/[\s,]+/)
  );
  return new Set(quoted.filter((name) => requested.includes(name)));
};

/**
 * Details of the endpoints' services. One name the caller may not see
 * (a deleted or unshared endpoint service) fails the whole call, so the
 * named services are dropped and the rest asked again; their endpoints
 * simply have no detail. Every retry drops at least one name, so there are
 * at most as many retries as names.
 */
const loadServiceDetails = async (
  caller: Ec2Caller,
  serviceNames: readonly string[]
): Promise<ServiceDetail[]> => {
  let remaining = serviceNames;
  while (remaining.length > 0) {
    try {
      return await allItems(
        serviceDetailPages(caller.ec2, remaining),
        (page) => page.ServiceDetails
      );
    } catch (error) {
      const rejected = rejectedServiceNames(error, remaining);
      if (rejected.size === 0) {
        throw toAwsCallError(
          error,
          'ec2:DescribeVpcEndpointServices',
          caller.principal
        );
      }
      remaining = remaining.filter((name) => !rejected.has(name));
    }
  }
  return [];
};

/** The security groups of the endpoints, by `group-id` filter chunks. */
const loadSecurityGroups = async (
  caller: Ec2Caller,
  groupIds: readonly string[]
) => {
  const chunks = await Promise.all(
    chunk(groupIds, FILTER_VALUES_LIMIT).map((ids) =>
      callEc2(caller, 'DescribeSecurityGroups', () =>
        allItems(
          paginateDescribeSecurityGroups(
            { client: caller.ec2 },
            {
              Filters: [{ Name: 'group-id', Values: ids }],
              MaxResults: PAGE_SIZE.securityGroups,
            }
          ),
          (page) => page.SecurityGroups
        )
      )
    )
  );
  return chunks.flat();
};

const describeVpcAttribute = (
  caller: Ec2Caller,
  vpcId: string,
  attribute: VpcAttributeName
) =>
  callEc2(caller, 'DescribeVpcAttribute', () =>
    caller.ec2.send(
      new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: attribute })
    )
  );

/**
 * The two DNS attributes of one VPC (the API takes one attribute per call).
 * A missing value is passed on as missing, so a rule that needs it says
 * `cannot evaluate` instead of a guess turning into a verdict.
 */
const loadDnsAttributes = async (caller: Ec2Caller, vpcId: string) => {
  const [support, hostnames] = await Promise.all([
    describeVpcAttribute(caller, vpcId, 'enableDnsSupport'),
    describeVpcAttribute(caller, vpcId, 'enableDnsHostnames'),
  ]);
  return {
    VpcId: vpcId,
    EnableDnsSupport: support.EnableDnsSupport,
    EnableDnsHostnames: hostnames.EnableDnsHostnames,
  };
};

/**
 * VPCs whose DNS attributes a rule reads: only private DNS of interface
 * endpoints depends on them. Only VPCs the account owns are asked about:
 * one not listed by DescribeVpcs (an endpoint left over from a deleted VPC)
 * or owned by another account (a shared VPC's owner answers for it) could
 * fail the whole load over one resource; their endpoints are `cannot
 * evaluate` instead.
 */
const vpcsNeedingDnsAttributes = (
  endpoints: readonly VpcEndpoint[],
  ownedVpcIds: ReadonlySet<string>
): string[] =>
  distinct(
    endpoints
      .filter(
        (endpoint) => endpoint.VpcEndpointType?.toLowerCase() === 'interface'
      )
      .map((endpoint) => endpoint.VpcId)
  ).filter((vpcId) => ownedVpcIds.has(vpcId));

/** VPC Lattice endpoints (`Resource`, `ServiceNetwork`) have no ServiceName. */
const endpointServiceNames = (endpoints: readonly VpcEndpoint[]): string[] =>
  distinct(endpoints.map((endpoint) => endpoint.ServiceName));

const endpointGroupIds = (endpoints: readonly VpcEndpoint[]): string[] =>
  distinct(
    endpoints.flatMap((endpoint) =>
      (endpoint.Groups ?? []).map((group) => group.GroupId)
    )
  );

const ownedVpcIds = (
  vpcs: readonly { VpcId?: string; OwnerId?: string }[],
  accountId: string
): Set<string> =>
  new Set(
    distinct(
      vpcs
        .filter((vpc) => vpc.OwnerId === undefined || vpc.OwnerId === accountId)
        .map((vpc) => vpc.VpcId)
    )
  );

/**
 * Loads one account-region (or one VPC of it) from EC2, in a fixed call
 * budget (README "Performance", checked by `npm run bench`): the pages of DescribeVpcs, DescribeSubnets,
 * DescribeRouteTables, DescribeVpcEndpoints and DescribePrefixLists; the
 * pages of DescribeVpcEndpointServices (only the endpoints' services, plus
 * one retry per invisible service) and of DescribeSecurityGroups (only the
 * endpoints' groups, one query per 200 ids); two DescribeVpcAttribute calls
 * per VPC with an interface endpoint; and GetManagedPrefixListEntries pages
 * only for prefix lists returned without `Cidrs` (moto). Nothing is called
 * per subnet, route table or endpoint.
 *
 * @param ec2 - a client for `scope.region`, with the account's credentials
 * @param scope - the account-region, and the VPC when only one is wanted
 * @param principal - the role or identity name, for AccessDenied messages
 * @returns the snapshot, items as AWS returns them, dates as ISO strings
 *   (read it with functions/shared/formats/snapshot.ts `readAccountRegion`)
 * @throws AwsCallError (AccessDeniedError when refused) naming the failed
 *   IAM action; a failure never yields a partial snapshot
 */
const loadSnapshotFromEc2 = async (
  ec2: EC2Client,
  scope: LoadScope,
  principal: string
): Promise<AccountRegionSnapshot> => {
  const caller: Ec2Caller = { ec2, principal };
  const [vpcs, subnets, routeTables, endpoints, prefixLists] =
    await Promise.all([
      listVpcScoped(caller, scope, {
        operation: 'DescribeVpcs',
        paginate: paginateDescribeVpcs,
        pageSize: PAGE_SIZE.vpcs,
        itemsOf: (page) => page.Vpcs,
      }),
      listVpcScoped(caller, scope, {
        operation: 'DescribeSubnets',
        paginate: paginateDescribeSubnets,
        pageSize: PAGE_SIZE.subnets,
        itemsOf: (page) => page.Subnets,
      }),
      listVpcScoped(caller, scope, {
        operation: 'DescribeRouteTables',
        paginate: paginateDescribeRouteTables,
        pageSize: PAGE_SIZE.routeTables,
        itemsOf: (page) => page.RouteTables,
      }),
      listVpcScoped(caller, scope, {
        operation: 'DescribeVpcEndpoints',
        paginate: paginateDescribeVpcEndpoints,
        pageSize: PAGE_SIZE.vpcEndpoints,
        itemsOf: (page) => page.VpcEndpoints,
      }),
      loadPrefixLists(caller, scope),
    ]);
  const serviceNames = endpointServiceNames(endpoints);
  const groupIds = endpointGroupIds(endpoints);
  const dnsVpcIds = vpcsNeedingDnsAttributes(
    endpoints,
    ownedVpcIds(vpcs, scope.accountId)
  );
  const [serviceDetails, securityGroups, vpcAttributes] = await Promise.all([
    serviceNames.length > 0 ? loadServiceDetails(caller, serviceNames) : [],
    groupIds.length > 0 ? loadSecurityGroups(caller, groupIds) : [],
    mapWithLimit(dnsVpcIds, VPC_ATTRIBUTE_CONCURRENCY, (vpcId) =>
      loadDnsAttributes(caller, vpcId)
    ),
  ]);
  return toPlainJson({
    AccountId: scope.accountId,
    Region: scope.region,
    Partition: scope.partition,
    Vpcs: vpcs,
    VpcAttributes: vpcAttributes,
    Subnets: subnets,
    RouteTables: routeTables,
    VpcEndpoints: endpoints,
    PrefixLists: prefixLists,
    ServiceDetails: serviceDetails,
    SecurityGroups: securityGroups,
  }) as AccountRegionSnapshot;
};

export type { LoadScope };
export { loadSnapshotFromEc2 };
