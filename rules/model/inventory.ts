import { type Cidr, parseCidr } from './cidr.js';
import { InputError } from './errors.js';
import { parseServiceName, type ServiceName } from './service-name.js';
import type {
  AccountRegionSnapshot,
  Ec2IpPermission,
  Ec2Route,
  Ec2RouteTable,
  Ec2ServiceDetail,
  Ec2Subnet,
  Ec2Tags,
  Ec2Vpc,
  Ec2VpcEndpoint,
} from './snapshot.js';

/** Resource tags, key to value. */
type Tags = ReadonlyMap<string, string>;

/** A VPC with its associated CIDR blocks. */
interface Vpc {
  readonly id: string;
  readonly ipv4Cidrs: readonly Cidr[];
  readonly ipv6Cidrs: readonly Cidr[];
  readonly tags: Tags;
}

/** The two VPC attributes private DNS depends on. */
interface VpcDns {
  readonly enableDnsSupport: boolean;
  readonly enableDnsHostnames: boolean;
}

/** A subnet; `raw` keeps the EC2 shape for reports that print it. */
interface Subnet {
  readonly id: string;
  readonly vpcId: string;
  readonly availabilityZone: string;
  readonly availabilityZoneId: string;
  readonly tags: Tags;
  readonly raw: Ec2Subnet;
}

/** Where a route sends traffic. `id` is what AWS prints (`nat-…`, `igw-…`). */
interface RouteTarget {
  readonly kind: RouteTargetKind;
  readonly id: string;
}

/** The route fields that name a target, in the order AWS documents them. */
type RouteTargetKind =
  | 'gateway'
  | 'nat-gateway'
  | 'transit-gateway'
  | 'peering-connection'
  | 'network-interface'
  | 'instance'
  | 'egress-only-internet-gateway'
  | 'local-gateway'
  | 'carrier-gateway'
  | 'core-network';

/** A route's destination: a CIDR block or a prefix list. */
type RouteDestination =
  | { readonly kind: 'cidr'; readonly cidr: Cidr }
  | { readonly kind: 'prefix-list'; readonly prefixListId: string };

/**
 * A route. `propagated` marks routes a virtual private gateway or a route
 * server added; they lose to static routes of the same prefix length.
 */
interface Route {
  readonly destination: RouteDestination;
  readonly target: RouteTarget | undefined;
  readonly active: boolean;
  readonly propagated: boolean;
  /** `0.0.0.0/0 → nat-0abc`, for annotations. */
  readonly text: string;
  /** `0.0.0.0/0` or `pl-63a5400a`, for annotations. */
  readonly destinationText: string;
}

/** A route table and the subnets explicitly associated with it. */
interface RouteTable {
  readonly id: string;
  readonly vpcId: string;
  readonly routes: readonly Route[];
  readonly isMain: boolean;
  readonly explicitSubnetIds: readonly string[];
}

/** A VPC endpoint of any type, its state lower-cased. */
interface VpcEndpoint {
  readonly id: string;
  /** `Interface`, `Gateway`, `GatewayLoadBalancer`, `Resource`, `ServiceNetwork`. */
  readonly type: string;
  readonly vpcId: string;
  readonly service: ServiceName;
  /** Lower-cased: the wire says `available`, some SDK enums `Available`. */
  readonly state: string;
  /** Parsed `PolicyDocument`; `undefined` means the default full-access policy. */
  readonly policy: unknown;
  readonly subnetIds: readonly string[];
  readonly routeTableIds: readonly string[];
  readonly groupIds: readonly string[];
  readonly privateDnsEnabled: boolean;
  readonly privateDnsOnlyForInboundResolverEndpoint: boolean;
  readonly tags: Tags;
  readonly raw: Ec2VpcEndpoint;
}

/** An AWS-managed prefix list with its CIDR blocks. */
interface PrefixList {
  readonly id: string;
  readonly name: string;
  readonly cidrs: readonly Cidr[];
}

/** What the endpoint service offers, from `DescribeVpcEndpointServices`. */
interface ServiceDetail {
  readonly name: string;
  readonly types: ReadonlySet<string>;
  readonly availabilityZoneIds: readonly string[] | undefined;
  readonly availabilityZones: readonly string[] | undefined;
  readonly privateDnsNames: readonly string[];
  readonly privateDnsNameVerificationState: string | undefined;
  /** A detail without the key counts as supporting policies. */
  readonly vpcEndpointPolicySupported: boolean;
}

/** One inbound permission of a security group. */
interface IngressRule {
  /** `tcp`, `udp`, `icmp`, `-1` or a protocol number such as `6`. */
  readonly protocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly ipv4Ranges: readonly Cidr[];
  readonly ipv6Ranges: readonly Cidr[];
  readonly groupIds: readonly string[];
  readonly prefixListIds: readonly string[];
}

/** A security group's inbound rules. */
interface SecurityGroup {
  readonly id: string;
  readonly name: string | undefined;
  readonly ingress: readonly IngressRule[];
}

/**
 * Everything the rules read about one account-region, indexed by id. Built
 * once per scan from a snapshot or a live load; rules never mutate it.
 */
interface Inventory {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly vpcs: ReadonlyMap<string, Vpc>;
  readonly vpcDns: ReadonlyMap<string, VpcDns>;
  readonly subnets: ReadonlyMap<string, Subnet>;
  readonly routeTables: ReadonlyMap<string, RouteTable>;
  /**
   * Every subnet's effective route table: the explicitly associated one,
   * else the main table of the subnet's own VPC. Missing when the VPC's main
   * table is not in the inventory.
   */
  readonly effectiveRouteTables: ReadonlyMap<string, RouteTable>;
  readonly endpoints: ReadonlyMap<string, VpcEndpoint>;
  readonly endpointsByVpc: ReadonlyMap<string, readonly VpcEndpoint[]>;
  readonly prefixListsByName: ReadonlyMap<string, PrefixList>;
  /** Keyed by `serviceName` then lower-cased endpoint type (`interface`…). */
  readonly serviceDetails: ReadonlyMap<
    string,
    ReadonlyMap<string, ServiceDetail>
  >;
  readonly securityGroups: ReadonlyMap<string, SecurityGroup>;
}

const toTags = (tags: Ec2Tags | undefined): Tags =>
  new Map((tags ?? []).map((tag) => [tag.Key, tag.Value]));

const parseAll = (texts: readonly (string | undefined)[]): Cidr[] =>
  texts.flatMap((text) => {
    const cidr = text === undefined ? undefined : parseCidr(text);
    return cidr ? [cidr] : [];
  });

// Disassociated blocks still appear in DescribeVpcs for a while; only blocks
// in use can hold clients.
const isAssociatedBlock = (state: { State: string } | undefined): boolean =>
  state === undefined || state.State === 'associated';

const toVpc = (vpc: Ec2Vpc): Vpc => {
  const ipv4 = (vpc.CidrBlockAssociationSet ?? [])
    .filter((a) => isAssociatedBlock(a.CidrBlockState))
    .map((a) => a.CidrBlock);
  if (vpc.CidrBlock && !ipv4.includes(vpc.CidrBlock))
    ipv4.unshift(vpc.CidrBlock);
  const ipv6 = (vpc.Ipv6CidrBlockAssociationSet ?? [])
    .filter((a) => isAssociatedBlock(a.Ipv6CidrBlockState))
    .map((a) => a.Ipv6CidrBlock);
  return {
    id: vpc.VpcId,
    ipv4Cidrs: parseAll(ipv4),
    ipv6Cidrs: parseAll(ipv6),
    tags: toTags(vpc.Tags),
  };
};

const toSubnet = (subnet: Ec2Subnet): Subnet => ({
  id: subnet.SubnetId,
  vpcId: subnet.VpcId,
  availabilityZone: subnet.AvailabilityZone,
  availabilityZoneId: subnet.AvailabilityZoneId,
  tags: toTags(subnet.Tags),
  raw: subnet,
});

const TARGET_FIELDS: ReadonlyArray<readonly [keyof Ec2Route, RouteTargetKind]> =
  [
    ['GatewayId', 'gateway'],
    ['NatGatewayId', 'nat-gateway'],
    ['TransitGatewayId', 'transit-gateway'],
    ['VpcPeeringConnectionId', 'peering-connection'],
    ['EgressOnlyInternetGatewayId', 'egress-only-internet-gateway'],
    ['LocalGatewayId', 'local-gateway'],
    ['CarrierGatewayId', 'carrier-gateway'],
    ['CoreNetworkArn', 'core-network'],
    // A route to an instance also carries its ENI; the instance is the
    // more telling name, so it is looked at first.
    ['InstanceId', 'instance'],
    ['NetworkInterfaceId', 'network-interface'],
  ];

const routeTarget = (route: Ec2Route): RouteTarget | undefined => {
  for (const [field, kind] of TARGET_FIELDS) {
    const id = route[field];
    if (typeof id === 'string' && id !== '') return { kind, id };
  }
  return undefined;
};

const routeDestination = (route: Ec2Route): RouteDestination => {
  const text = route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock;
  const cidr = text === undefined ? undefined : parseCidr(text);
  if (cidr) return { kind: 'cidr', cidr };
  // The snapshot schema guarantees one of the three destination fields.
  return {
    kind: 'prefix-list',
    prefixListId: route.DestinationPrefixListId ?? '',
  };
};

const PROPAGATED_ORIGINS = new Set([
  'EnableVgwRoutePropagation',
  'Advertisement',
]);

const toRoute = (route: Ec2Route): Route => {
  const destination = routeDestination(route);
  const target = routeTarget(route);
  const to =
    destination.kind === 'cidr'
      ? destination.cidr.text
      : destination.prefixListId;
  // AWS always prints State; a hand-written snapshot that omits it means an
  // ordinary, working route.
  const state = (route.State ?? 'active').toLowerCase();
  return {
    destination,
    target,
    active: state === 'active',
    propagated: PROPAGATED_ORIGINS.has(route.Origin ?? ''),
    destinationText: to,
    text: `${to} → ${target?.id ?? 'no target'}${state === 'active' ? '' : ` (${state})`}`,
  };
};

const isLiveAssociation = (state: { State: string } | undefined): boolean =>
  state === undefined ||
  state.State === 'associated' ||
  state.State === 'associating';

const toRouteTable = (table: Ec2RouteTable): RouteTable => {
  const live = table.Associations.filter((a) =>
    isLiveAssociation(a.AssociationState)
  );
  return {
    id: table.RouteTableId,
    vpcId: table.VpcId,
    routes: table.Routes.map(toRoute),
    isMain: live.some((a) => a.Main),
    explicitSubnetIds: live.flatMap((a) => (a.SubnetId ? [a.SubnetId] : [])),
  };
};

const parsePolicy = (endpoint: Ec2VpcEndpoint): unknown =>
  endpoint.PolicyDocument === undefined
    ? undefined
    : JSON.parse(endpoint.PolicyDocument);

const toEndpoint = (endpoint: Ec2VpcEndpoint): VpcEndpoint => ({
  id: endpoint.VpcEndpointId,
  type: endpoint.VpcEndpointType,
  vpcId: endpoint.VpcId,
  service: parseServiceName(endpoint.ServiceName),
  state: endpoint.State.toLowerCase(),
  policy: parsePolicy(endpoint),
  subnetIds: endpoint.SubnetIds ?? [],
  routeTableIds: endpoint.RouteTableIds ?? [],
  groupIds: (endpoint.Groups ?? []).map((group) => group.GroupId),
  privateDnsEnabled: endpoint.PrivateDnsEnabled === true,
  privateDnsOnlyForInboundResolverEndpoint:
    endpoint.DnsOptions?.PrivateDnsOnlyForInboundResolverEndpoint === true,
  tags: toTags(endpoint.Tags),
  raw: endpoint,
});

const toServiceDetail = (detail: Ec2ServiceDetail): ServiceDetail => ({
  name: detail.ServiceName,
  types: new Set(detail.ServiceType.map((t) => t.ServiceType)),
  availabilityZoneIds: detail.AvailabilityZoneIds,
  availabilityZones: detail.AvailabilityZones,
  privateDnsNames: [
    ...(detail.PrivateDnsName ? [detail.PrivateDnsName] : []),
    ...(detail.PrivateDnsNames ?? []).flatMap((n) =>
      n.PrivateDnsName ? [n.PrivateDnsName] : []
    ),
  ],
  privateDnsNameVerificationState: detail.PrivateDnsNameVerificationState,
  vpcEndpointPolicySupported: detail.VpcEndpointPolicySupported !== false,
});

const toIngressRule = (permission: Ec2IpPermission): IngressRule => ({
  protocol: permission.IpProtocol.toLowerCase(),
  fromPort: permission.FromPort,
  toPort: permission.ToPort,
  ipv4Ranges: parseAll((permission.IpRanges ?? []).map((r) => r.CidrIp)),
  ipv6Ranges: parseAll((permission.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)),
  groupIds: (permission.UserIdGroupPairs ?? []).flatMap((p) =>
    p.GroupId ? [p.GroupId] : []
  ),
  prefixListIds: (permission.PrefixListIds ?? []).flatMap((p) =>
    p.PrefixListId ? [p.PrefixListId] : []
  ),
});

const indexBy = <T, K>(items: readonly T[], key: (item: T) => K): Map<K, T> =>
  new Map(items.map((item) => [key(item), item]));

const groupBy = <T, K>(
  items: Iterable<T>,
  key: (item: T) => K
): Map<K, T[]> => {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
};

const where = (snapshot: AccountRegionSnapshot): string =>
  `${snapshot.AccountId}/${snapshot.Region}`;

const mainTablesByVpc = (
  tables: readonly RouteTable[],
  context: string
): Map<string, RouteTable> => {
  const mains = new Map<string, RouteTable>();
  for (const table of tables) {
    if (!table.isMain) continue;
    const other = mains.get(table.vpcId);
    if (other) {
      throw new InputError(
        `${context}: VPC ${table.vpcId} has two main route tables (${other.id}, ${table.id})`
      );
    }
    mains.set(table.vpcId, table);
  }
  return mains;
};

/**
 * Maps every subnet to its effective route table. The fallback is the main
 * table of the subnet's own VPC: DescribeRouteTables does not list implicit
 * associations, and taking any VPC's main table (as some scanners do) mixes
 * VPCs up in a multi-VPC account.
 */
const effectiveRouteTables = (
  subnets: readonly Subnet[],
  tables: readonly RouteTable[],
  context: string
): Map<string, RouteTable> => {
  const explicit = new Map<string, RouteTable>();
  for (const table of tables) {
    for (const subnetId of table.explicitSubnetIds) {
      const other = explicit.get(subnetId);
      if (other && other.id !== table.id) {
        throw new InputError(
          `${context}: subnet ${subnetId} is associated with two route tables (${other.id}, ${table.id})`
        );
      }
      explicit.set(subnetId, table);
    }
  }
  const mains = mainTablesByVpc(tables, context);
  const effective = new Map<string, RouteTable>();
  for (const subnet of subnets) {
    const table = explicit.get(subnet.id) ?? mains.get(subnet.vpcId);
    if (table) effective.set(subnet.id, table);
  }
  return effective;
};

const indexServiceDetails = (
  details: readonly ServiceDetail[]
): Map<string, Map<string, ServiceDetail>> => {
  const byName = new Map<string, Map<string, ServiceDetail>>();
  for (const detail of details) {
    const byType = byName.get(detail.name) ?? new Map<string, ServiceDetail>();
    // Keyed lower-cased: the endpoint rules compare types case-insensitively.
    for (const type of detail.types) byType.set(type.toLowerCase(), detail);
    byName.set(detail.name, byType);
  }
  return byName;
};

/**
 * Normalises one account-region, as the EC2 API returns it, into the indexes
 * the rules read. Linear in the size of the snapshot.
 *
 * @param snapshot - an account-region that passed the snapshot schema
 * @throws InputError when the route tables contradict each other
 */
const buildInventory = (snapshot: AccountRegionSnapshot): Inventory => {
  const context = where(snapshot);
  const subnets = indexBy(snapshot.Subnets.map(toSubnet), (s) => s.id);
  const routeTables = indexBy(
    snapshot.RouteTables.map(toRouteTable),
    (t) => t.id
  );
  const endpoints = indexBy(snapshot.VpcEndpoints.map(toEndpoint), (e) => e.id);
  return {
    accountId: snapshot.AccountId,
    region: snapshot.Region,
    partition: snapshot.Partition,
    vpcs: indexBy(snapshot.Vpcs.map(toVpc), (v) => v.id),
    vpcDns: new Map(
      snapshot.VpcAttributes.map((a) => [
        a.VpcId,
        {
          enableDnsSupport: a.EnableDnsSupport.Value,
          enableDnsHostnames: a.EnableDnsHostnames.Value,
        },
      ])
    ),
    subnets,
    routeTables,
    effectiveRouteTables: effectiveRouteTables(
      [...subnets.values()],
      [...routeTables.values()],
      context
    ),
    endpoints,
    endpointsByVpc: groupBy(endpoints.values(), (e) => e.vpcId),
    prefixListsByName: indexBy(
      snapshot.PrefixLists.map((pl) => ({
        id: pl.PrefixListId,
        name: pl.PrefixListName,
        cidrs: parseAll(pl.Cidrs),
      })),
      (pl) => pl.name
    ),
    serviceDetails: indexServiceDetails(
      snapshot.ServiceDetails.map(toServiceDetail)
    ),
    securityGroups: indexBy(
      snapshot.SecurityGroups.map((group) => ({
        id: group.GroupId,
        name: group.GroupName,
        ingress: group.IpPermissions.map(toIngressRule),
      })),
      (g) => g.id
    ),
  };
};

/**
 * The service detail that describes `endpoint`: same service name, and a
 * `ServiceType` that includes the endpoint's type (S3 and DynamoDB publish a
 * Gateway and an Interface detail under one name).
 */
const serviceDetailOf = (
  inventory: Inventory,
  endpoint: VpcEndpoint
): ServiceDetail | undefined =>
  inventory.serviceDetails
    .get(endpoint.service.name)
    ?.get(endpoint.type.toLowerCase());

export type {
  IngressRule,
  Inventory,
  PrefixList,
  Route,
  RouteDestination,
  RouteTable,
  RouteTarget,
  RouteTargetKind,
  SecurityGroup,
  ServiceDetail,
  Subnet,
  Tags,
  Vpc,
  VpcDns,
  VpcEndpoint,
};
export { buildInventory, serviceDetailOf };
