/**
 * The domain model the rules read: one account-region, indexed by id. It
 * holds no wire format: `functions/shared/formats/snapshot.ts` reads snapshot files
 * and EC2 responses (PascalCase, as `aws ec2 describe-*` prints them) into
 * these shapes.
 *
 * Every field a rule may need is optional when the input can lack it or
 * hold it in a form no rule can read; `unreadable` then says what was
 * wrong, and a rule that needs the field reports the resource as
 * `cannot evaluate` (rules/model/cannot-evaluate.ts). A field no rule needs
 * can be anything.
 */
import type { Unreadable } from './cannot-evaluate.js';
import type { Cidr } from './cidr.js';
import type { ServiceName } from './service-name.js';

/** Resource tags, key to value. */
type Tags = ReadonlyMap<string, string>;

/** What every resource of the inventory carries. */
interface Resource {
  readonly id: string;
  /** `subnet subnet-1`, for annotations. */
  readonly label: string;
  /** The owning account; `undefined` when the input does not say. */
  readonly ownerId?: string | undefined;
  readonly tags: Tags;
  readonly unreadable: Unreadable;
}

/** A VPC with its associated CIDR blocks. */
interface Vpc extends Resource {
  /** Undefined when a block of the VPC is unreadable. */
  readonly ipv4Cidrs: readonly Cidr[] | undefined;
  readonly ipv6Cidrs: readonly Cidr[] | undefined;
}

/** The two VPC attributes private DNS depends on. */
interface VpcDns {
  readonly vpcId: string;
  /** `DNS attributes of vpc-1`, for annotations. */
  readonly label: string;
  readonly enableDnsSupport: boolean | undefined;
  readonly enableDnsHostnames: boolean | undefined;
  readonly unreadable: Unreadable;
}

/** A subnet. */
interface Subnet extends Resource {
  readonly vpcId: string | undefined;
  readonly availabilityZone: string | undefined;
  readonly availabilityZoneId: string | undefined;
  readonly cidrBlock: string | undefined;
  readonly arn: string | undefined;
}

/** Where a route sends traffic. `id` is what AWS prints (`nat-…`, `igw-…`). */
interface RouteTarget {
  readonly kind: RouteTargetKind;
  readonly id: string;
}

/**
 * The route fields that name a target, in the order AWS documents them;
 * `other` is a target field vpce-guard does not know yet (AWS adds them:
 * `CoreNetworkArn` in 2022, `OdbNetworkArn` in 2025). It is never a
 * gateway endpoint, so traffic on it fails closed.
 */
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
  | 'core-network'
  | 'other';

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
interface RouteTable extends Resource {
  readonly vpcId: string | undefined;
  /** Undefined when a route is unreadable: every route can decide. */
  readonly routes: readonly Route[] | undefined;
  readonly isMain: boolean;
  readonly explicitSubnetIds: readonly string[];
}

/** A VPC endpoint of any type, its state lower-cased. */
interface VpcEndpoint extends Resource {
  /** `Interface`, `Gateway`, `GatewayLoadBalancer`, `Resource`, `ServiceNetwork`, or one AWS adds later. */
  readonly type: string | undefined;
  readonly vpcId: string | undefined;
  /** Absent on VPC Lattice endpoints (`Resource`, `ServiceNetwork`). */
  readonly service: ServiceName | undefined;
  /** Lower-cased: the wire says `available`, some SDK enums `Available`. */
  readonly state: string | undefined;
  /** The state as the input wrote it, for annotations. */
  readonly stateText: string | undefined;
  /**
   * The policy document, parsed; `undefined` means the default full-access
   * policy (or an unreadable one: see `unreadable.PolicyDocument`).
   */
  readonly policy: unknown;
  readonly subnetIds: readonly string[] | undefined;
  readonly routeTableIds: readonly string[] | undefined;
  readonly groupIds: readonly string[] | undefined;
  readonly privateDnsEnabled: boolean | undefined;
  readonly privateDnsOnlyForInboundResolverEndpoint: boolean | undefined;
}

/** An AWS-managed prefix list with its CIDR blocks. */
interface PrefixList {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly cidrs: readonly Cidr[] | undefined;
  readonly unreadable: Unreadable;
}

/** What the endpoint service offers, from `DescribeVpcEndpointServices`. */
interface ServiceDetail {
  readonly name: string;
  readonly label: string;
  readonly types: ReadonlySet<string>;
  readonly availabilityZoneIds: readonly string[] | undefined;
  readonly availabilityZones: readonly string[] | undefined;
  readonly privateDnsNames: readonly string[];
  readonly privateDnsNameVerificationState: string | undefined;
  /** A detail without the key counts as supporting policies. */
  readonly vpcEndpointPolicySupported: boolean;
  readonly unreadable: Unreadable;
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
interface SecurityGroup extends Resource {
  readonly name: string | undefined;
  readonly vpcId: string | undefined;
  /** The readable permissions; `unreadable.IpPermissions` names a bad one. */
  readonly ingress: readonly IngressRule[];
}

/** A Route 53 private hosted zone associated with a VPC. */
interface HostedZone {
  /** `Z0123456789ABCDEFGHIJ`. */
  readonly id: string;
  /** Lower case, without the trailing dot: `ssm.us-east-1.amazonaws.com`. */
  readonly name: string;
  /** The account that owns it; another account's for a hub-and-spoke zone. */
  readonly ownerAccount: string | undefined;
}

/** The private hosted zones associated with one VPC (ListHostedZonesByVPC). */
interface VpcHostedZones {
  readonly vpcId: string;
  readonly label: string;
  /** Undefined when the zone list was unreadable. */
  readonly zones: readonly HostedZone[] | undefined;
  readonly unreadable: Unreadable;
}

/**
 * Something the input held that no rule could use: an item without an id,
 * an id given twice. `resourceId` is absent when the item has none.
 */
interface InventoryProblem {
  readonly resourceId?: string;
  readonly message: string;
}

/** The resources of one account-region, before indexing. */
interface InventoryParts {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** AWS service-name prefixes of the partition (`com.amazonaws`, …). */
  readonly servicePrefixes: readonly string[];
  /** The partition's DNS suffix (`amazonaws.com`); unknown for a Region the SDK does not know. */
  readonly dnsSuffix: string | undefined;
  readonly vpcs: readonly Vpc[];
  readonly vpcDns: readonly VpcDns[];
  readonly subnets: readonly Subnet[];
  readonly routeTables: readonly RouteTable[];
  readonly endpoints: readonly VpcEndpoint[];
  readonly prefixLists: readonly PrefixList[];
  readonly serviceDetails: readonly ServiceDetail[];
  readonly securityGroups: readonly SecurityGroup[];
  /** The VPCs whose private hosted zones were looked up. */
  readonly hostedZones: readonly VpcHostedZones[];
  readonly problems: readonly InventoryProblem[];
}

/**
 * Everything the rules read about one account-region, indexed by id. Built
 * once per scan; rules never mutate it.
 */
interface Inventory {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly servicePrefixes: readonly string[];
  readonly dnsSuffix: string | undefined;
  readonly vpcs: ReadonlyMap<string, Vpc>;
  readonly vpcDns: ReadonlyMap<string, VpcDns>;
  readonly subnets: ReadonlyMap<string, Subnet>;
  readonly routeTables: ReadonlyMap<string, RouteTable>;
  /**
   * Every subnet's effective route table: the explicitly associated one,
   * else the main table of the subnet's own VPC.
   */
  readonly effectiveRouteTables: ReadonlyMap<string, RouteTable>;
  /** Why a subnet has no effective route table, by subnet id. */
  readonly routeTableProblems: ReadonlyMap<string, string>;
  readonly endpoints: ReadonlyMap<string, VpcEndpoint>;
  readonly endpointsByVpc: ReadonlyMap<string, readonly VpcEndpoint[]>;
  readonly prefixListsByName: ReadonlyMap<string, PrefixList>;
  /** Keyed by `serviceName` then lower-cased endpoint type (`interface`…). */
  readonly serviceDetails: ReadonlyMap<
    string,
    ReadonlyMap<string, ServiceDetail>
  >;
  /** Details whose `ServiceType` is unreadable, by service name. */
  readonly untypedServiceDetails: ReadonlyMap<string, ServiceDetail>;
  readonly securityGroups: ReadonlyMap<string, SecurityGroup>;
  /**
   * The private hosted zones of the VPCs that were looked up, by VPC id. A
   * VPC that is not a key was not looked up (a rule asks only for the VPCs
   * it needs, rules/model/rule.ts `hostedZoneVpcs`).
   */
  readonly hostedZones: ReadonlyMap<string, VpcHostedZones>;
  readonly problems: readonly InventoryProblem[];
}

const indexBy = <T, K>(items: readonly T[], key: (item: T) => K): Map<K, T> =>
  new Map(items.map((item) => [key(item), item]));

const groupBy = <T, K>(
  items: Iterable<T>,
  key: (item: T) => K | undefined
): Map<K, T[]> => {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
};

const listIds = (tables: readonly RouteTable[]): string =>
  tables.map((t) => t.id).join(', ');

/** The route-table indexes a subnet's effective table is found with. */
interface RouteTableIndex {
  readonly explicit: ReadonlyMap<string, RouteTable[]>;
  readonly mains: ReadonlyMap<string, RouteTable[]>;
  readonly unreadableAssociations: ReadonlyMap<string, RouteTable[]>;
}

const indexRouteTables = (tables: readonly RouteTable[]): RouteTableIndex => {
  const explicit = new Map<string, RouteTable[]>();
  for (const table of tables) {
    for (const subnetId of table.explicitSubnetIds) {
      const list = explicit.get(subnetId) ?? [];
      if (!list.includes(table)) list.push(table);
      explicit.set(subnetId, list);
    }
  }
  return {
    explicit,
    mains: groupBy(
      tables.filter((t) => t.isMain),
      (t) => t.vpcId
    ),
    unreadableAssociations: groupBy(
      tables.filter((t) => t.unreadable.has('Associations')),
      (t) => t.vpcId
    ),
  };
};

/**
 * A subnet's effective route table, or why it has none. The fallback is
 * the main table of the subnet's own VPC: DescribeRouteTables does not list
 * implicit associations, and taking any VPC's main table (as some scanners
 * do) mixes VPCs up in a multi-VPC account. A shared-VPC participant sees
 * none of the owner's tables.
 */
const effectiveRouteTable = (
  subnet: Subnet,
  index: RouteTableIndex
): RouteTable | string => {
  const explicit = index.explicit.get(subnet.id) ?? [];
  const [only] = explicit;
  if (explicit.length > 1) {
    return `subnet ${subnet.id} is associated with two route tables (${listIds(explicit)})`;
  }
  if (only) return only;
  if (subnet.vpcId === undefined) {
    return `${subnet.label} has no VpcId, so its main route table is unknown`;
  }
  const unreadable = index.unreadableAssociations.get(subnet.vpcId) ?? [];
  const [damaged] = unreadable;
  if (damaged) {
    return `${damaged.label}: ${damaged.unreadable.get('Associations')}`;
  }
  const mains = index.mains.get(subnet.vpcId) ?? [];
  const [main] = mains;
  if (mains.length > 1) {
    return `VPC ${subnet.vpcId} has two main route tables (${listIds(mains)})`;
  }
  if (main) return main;
  return (
    `no route table of subnet ${subnet.id} is visible: neither an explicit ` +
    `association nor the main route table of ${subnet.vpcId} is in the inventory`
  );
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
 * Indexes one account-region's resources for the rules: by id, endpoints
 * by VPC, prefix lists by name, service details by name and type, and every
 * subnet's effective route table. Linear in the number of resources.
 */
const createInventory = (parts: InventoryParts): Inventory => {
  const routeTableIndex = indexRouteTables(parts.routeTables);
  const effectiveRouteTables = new Map<string, RouteTable>();
  const routeTableProblems = new Map<string, string>();
  for (const subnet of parts.subnets) {
    const found = effectiveRouteTable(subnet, routeTableIndex);
    if (typeof found === 'string') routeTableProblems.set(subnet.id, found);
    else effectiveRouteTables.set(subnet.id, found);
  }
  const endpoints = indexBy(parts.endpoints, (e) => e.id);
  return {
    accountId: parts.accountId,
    region: parts.region,
    partition: parts.partition,
    servicePrefixes: parts.servicePrefixes,
    dnsSuffix: parts.dnsSuffix,
    vpcs: indexBy(parts.vpcs, (v) => v.id),
    vpcDns: indexBy(parts.vpcDns, (d) => d.vpcId),
    subnets: indexBy(parts.subnets, (s) => s.id),
    routeTables: indexBy(parts.routeTables, (t) => t.id),
    effectiveRouteTables,
    routeTableProblems,
    endpoints,
    endpointsByVpc: groupBy(endpoints.values(), (e) => e.vpcId),
    prefixListsByName: indexBy(parts.prefixLists, (pl) => pl.name),
    serviceDetails: indexServiceDetails(parts.serviceDetails),
    untypedServiceDetails: indexBy(
      parts.serviceDetails.filter((d) => d.unreadable.has('ServiceType')),
      (d) => d.name
    ),
    securityGroups: indexBy(parts.securityGroups, (g) => g.id),
    hostedZones: indexBy(parts.hostedZones, (z) => z.vpcId),
    problems: parts.problems,
  };
};

/** True when the resource belongs to the inventory's own account. */
const isOwned = (
  inventory: Inventory,
  resource: { readonly ownerId?: string | undefined }
): boolean =>
  resource.ownerId === undefined || resource.ownerId === inventory.accountId;

export type {
  HostedZone,
  IngressRule,
  Inventory,
  InventoryParts,
  InventoryProblem,
  PrefixList,
  Resource,
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
  VpcHostedZones,
};
export { createInventory, isOwned };
