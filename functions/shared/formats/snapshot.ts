/**
 * Reads snapshot files and EC2 responses (functions/shared/formats/snapshot-schema.ts)
 * into the domain model (rules/model/inventory.ts). The unit of failure is
 * the smallest thing that is wrong:
 *
 * - a file that is not JSON, or an account-region whose top level is not a
 *   snapshot (no AccountId, a list that is not a list), fails that
 *   account-region alone; in an array file the others still load;
 * - a list item that is not an object, or lacks its id, is skipped and
 *   reported as a problem of the account-region;
 * - a malformed field of an item makes that field unreadable on that one
 *   resource: only a rule that needs the field says `cannot evaluate`.
 */
import type * as z from 'zod/mini';
import type { Unreadable } from '../../../rules/model/cannot-evaluate.js';
import { WHOLE_RESOURCE } from '../../../rules/model/cannot-evaluate.js';
import { type Cidr, parseCidr } from '../../../rules/model/cidr.js';
import { InputError } from '../../../rules/model/errors.js';
import {
  createInventory,
  type IngressRule,
  type Inventory,
  type InventoryProblem,
  type PrefixList,
  type Route,
  type RouteDestination,
  type RouteTable,
  type RouteTarget,
  type RouteTargetKind,
  type SecurityGroup,
  type ServiceDetail,
  type Subnet,
  type Tags,
  type Vpc,
  type VpcDns,
  type VpcEndpoint,
  type VpcHostedZones,
} from '../../../rules/model/inventory.js';
import { parseServiceName } from '../../../rules/model/service-name.js';
import { parseJson, readTextFile } from './json-file.js';
import { RegionError, regionFacts, serviceNamePrefixes } from './partitions.js';
import {
  AccountRegionTopLevel,
  type Ec2IpPermission,
  type Ec2PrefixList,
  type Ec2Route,
  type Ec2RouteTable,
  type Ec2SecurityGroup,
  type Ec2ServiceDetail,
  type Ec2Subnet,
  type Ec2Tags,
  type Ec2Vpc,
  type Ec2VpcAttributes,
  type Ec2VpcEndpoint,
  ELEMENT_TOLERANT_FIELDS,
  LIST_SCHEMAS,
  type R53VpcHostedZones,
  ROUTE_TARGET_FIELDS,
} from './snapshot-schema.js';
import {
  describeFound,
  describeIssue,
  describeIssues,
  formatPath,
  quote,
  typeName,
} from './zod-messages.js';

// ---------------------------------------------------------------------------
// Items: each read on its own, malformed fields set aside

/** One list item, its readable fields, and what was wrong with the others. */
interface ReadItem<T> {
  readonly item: T;
  readonly unreadable: Map<string, string>;
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Parses one list item with its schema. A field that fails is removed (or,
 * in an element-tolerant list, just its bad element) and recorded as
 * unreadable, then the rest is parsed again: every field of an item schema
 * is optional, so this ends after at most one round per field.
 */
const readItem = <T>(
  schema: z.ZodMiniType<T>,
  value: JsonObject
): ReadItem<T> => {
  const unreadable = new Map<string, string>();
  let candidate: JsonObject = value;
  for (;;) {
    const result = schema.safeParse(candidate, { reportInput: true });
    if (result.success) return { item: result.data, unreadable };
    const next: JsonObject = { ...candidate };
    const dropped = new Map<string, Set<number>>();
    for (const issue of result.error.issues) {
      const [field, index] = issue.path;
      if (typeof field !== 'string') {
        // A whole-item refinement: no item schema has one, so this is a bug.
        throw new Error(`unexpected item-level issue: ${issue.message}`);
      }
      if (!unreadable.has(field)) {
        unreadable.set(
          field,
          `${formatPath(issue.path)}: ${describeIssue(issue)}`
        );
      }
      const list = next[field];
      if (
        ELEMENT_TOLERANT_FIELDS.has(field) &&
        typeof index === 'number' &&
        Array.isArray(list)
      ) {
        const indexes = dropped.get(field) ?? new Set<number>();
        indexes.add(index);
        dropped.set(field, indexes);
      } else {
        delete next[field];
      }
    }
    for (const [field, indexes] of dropped) {
      const list = next[field];
      if (Array.isArray(list)) {
        next[field] = list.filter((_, i) => !indexes.has(i));
      }
    }
    candidate = next;
  }
};

/** What reading the lists of one account-region collects on the way. */
interface ReadContext {
  readonly problems: InventoryProblem[];
}

/** An item of a list with its position, for messages. */
interface Placed<T> extends ReadItem<T> {
  readonly at: string;
  readonly id: string;
}

/**
 * Reads every item of one list. Items that are not objects or have no id
 * are skipped as problems; an id given twice is ambiguous, so the second
 * item is skipped and the first marked unusable as a whole.
 *
 * @param options.synthesizeId - keep an item without id under its position:
 *   for lists whose items no rule reports on (a route table's associations
 *   still decide its subnets' routes)
 * @param options.repeatable - the key may repeat: S3 and DynamoDB publish a
 *   Gateway and an Interface service detail under one ServiceName
 */
const readList = <K extends keyof typeof LIST_SCHEMAS, T>(
  list: K,
  items: readonly unknown[],
  context: ReadContext,
  options: {
    readonly synthesizeId?: boolean;
    readonly repeatable?: boolean;
  } = {}
): Placed<T>[] => {
  const { synthesizeId = false, repeatable = false } = options;
  const { schema, idKey } = LIST_SCHEMAS[list];
  const placed: Placed<T>[] = [];
  const firstAt = new Map<string, Placed<T>>();
  for (const [index, value] of items.entries()) {
    const at = `${list}[${index}]`;
    if (!isObject(value)) {
      context.problems.push({
        message: `${at}: expected an object, got ${describeFound(value)}; skipped`,
      });
      continue;
    }
    const read = readItem(schema as unknown as z.ZodMiniType<T>, value);
    const rawId = (read.item as Record<string, unknown>)[idKey];
    const id = typeof rawId === 'string' && rawId !== '' ? rawId : undefined;
    if (id === undefined && !synthesizeId) {
      const why =
        read.unreadable.get(idKey) ?? `${idKey}: missing (expected a string)`;
      context.problems.push({ message: `${at}.${why}; skipped` });
      continue;
    }
    const entry: Placed<T> = { ...read, at, id: id ?? at };
    const first = repeatable ? undefined : firstAt.get(entry.id);
    if (first) {
      first.unreadable.set(
        WHOLE_RESOURCE,
        `${idKey} ${entry.id} appears twice (${first.at}, ${at}), so which one is meant is unknown`
      );
      context.problems.push({
        resourceId: entry.id,
        message: `${at}.${idKey}: duplicate id ${quote(entry.id)} (first at ${first.at}); skipped`,
      });
      continue;
    }
    firstAt.set(entry.id, entry);
    placed.push(entry);
  }
  return placed;
};

// ---------------------------------------------------------------------------
// Domain conversion

const toTags = (tags: Ec2Tags | undefined): Tags =>
  new Map((tags ?? []).map((tag) => [tag.Key, tag.Value]));

const parseAll = (texts: readonly (string | undefined)[]): Cidr[] =>
  texts.flatMap((text) => {
    const cidr = text === undefined ? undefined : parseCidr(text);
    return cidr ? [cidr] : [];
  });

/** Undefined when any of `fields` is unreadable; `read()` otherwise. */
const unlessUnreadable = <T>(
  unreadable: Unreadable,
  fields: readonly string[],
  read: () => T
): T | undefined =>
  fields.some((field) => unreadable.has(field)) ? undefined : read();

// Disassociated blocks still appear in DescribeVpcs for a while; only blocks
// in use can hold clients.
const isAssociatedBlock = (state: { State: string } | undefined): boolean =>
  state === undefined || state.State === 'associated';

const toVpc = ({ item, unreadable, id }: Placed<Ec2Vpc>): Vpc => ({
  id,
  label: `VPC ${id}`,
  ownerId: item.OwnerId,
  tags: toTags(item.Tags),
  unreadable,
  ipv4Cidrs: unlessUnreadable(
    unreadable,
    ['CidrBlock', 'CidrBlockAssociationSet'],
    () => {
      const blocks = (item.CidrBlockAssociationSet ?? [])
        .filter((a) => isAssociatedBlock(a.CidrBlockState))
        .map((a) => a.CidrBlock);
      if (item.CidrBlock && !blocks.includes(item.CidrBlock)) {
        blocks.unshift(item.CidrBlock);
      }
      return parseAll(blocks);
    }
  ),
  ipv6Cidrs: unlessUnreadable(unreadable, ['Ipv6CidrBlockAssociationSet'], () =>
    parseAll(
      (item.Ipv6CidrBlockAssociationSet ?? [])
        .filter((a) => isAssociatedBlock(a.Ipv6CidrBlockState))
        .map((a) => a.Ipv6CidrBlock)
    )
  ),
});

const toVpcDns = ({
  item,
  unreadable,
  id,
}: Placed<Ec2VpcAttributes>): VpcDns => ({
  vpcId: id,
  label: `the DNS attributes of ${id}`,
  enableDnsSupport: item.EnableDnsSupport?.Value,
  enableDnsHostnames: item.EnableDnsHostnames?.Value,
  unreadable,
});

const toSubnet = ({ item, unreadable, id }: Placed<Ec2Subnet>): Subnet => ({
  id,
  label: `subnet ${id}`,
  ownerId: item.OwnerId,
  tags: toTags(item.Tags),
  unreadable,
  vpcId: item.VpcId,
  availabilityZone: item.AvailabilityZone,
  availabilityZoneId: item.AvailabilityZoneId,
  cidrBlock: item.CidrBlock,
  arn: item.SubnetArn,
});

const TARGET_KINDS: Readonly<
  Record<(typeof ROUTE_TARGET_FIELDS)[number], RouteTargetKind>
> = {
  GatewayId: 'gateway',
  NatGatewayId: 'nat-gateway',
  TransitGatewayId: 'transit-gateway',
  VpcPeeringConnectionId: 'peering-connection',
  EgressOnlyInternetGatewayId: 'egress-only-internet-gateway',
  LocalGatewayId: 'local-gateway',
  CarrierGatewayId: 'carrier-gateway',
  CoreNetworkArn: 'core-network',
  // A route to an instance also carries its ENI; the instance is the more
  // telling name, so it is looked at before the ENI.
  InstanceId: 'instance',
  NetworkInterfaceId: 'network-interface',
};

/** Route fields that describe the route, not where it sends traffic. */
const NON_TARGET_FIELDS = new Set([
  'DestinationCidrBlock',
  'DestinationIpv6CidrBlock',
  'DestinationPrefixListId',
  'Origin',
  'State',
  'InstanceOwnerId',
]);

/**
 * Where a route sends traffic. A target field AWS added after this code
 * (any other `…Id`/`…Arn` string) is an `other` target: never a gateway
 * endpoint, so S3 traffic on it fails closed instead of passing.
 */
const routeTarget = (route: Ec2Route): RouteTarget | undefined => {
  for (const field of ROUTE_TARGET_FIELDS) {
    const id = route[field];
    if (typeof id === 'string' && id !== '') {
      return { kind: TARGET_KINDS[field], id };
    }
  }
  for (const [field, value] of Object.entries(route)) {
    if (NON_TARGET_FIELDS.has(field) || typeof value !== 'string') continue;
    if (value !== '' && /(?:Id|Arn)$/.test(field)) {
      return { kind: 'other', id: value };
    }
  }
  return undefined;
};

const routeDestination = (route: Ec2Route): RouteDestination => {
  const text = route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock;
  const cidr = text === undefined ? undefined : parseCidr(text);
  if (cidr) return { kind: 'cidr', cidr };
  // The schema guarantees one of the three destination fields.
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

const toRouteTable = ({
  item,
  unreadable,
  id,
}: Placed<Ec2RouteTable>): RouteTable => {
  const live = (item.Associations ?? []).filter((a) =>
    isLiveAssociation(a.AssociationState)
  );
  return {
    id,
    label: `route table ${id}`,
    ownerId: item.OwnerId,
    tags: toTags(item.Tags),
    unreadable,
    vpcId: item.VpcId,
    routes: unlessUnreadable(unreadable, ['Routes'], () =>
      (item.Routes ?? []).map(toRoute)
    ),
    isMain: live.some((a) => a.Main),
    explicitSubnetIds: live.flatMap((a) => (a.SubnetId ? [a.SubnetId] : [])),
  };
};

/** The unreadable message of a policy document that is not JSON. */
const POLICY_NOT_JSON = 'policy document is not JSON';

const tryJson = (text: string): { value: unknown } | undefined => {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
};

const tryUrlDecoded = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
};

/**
 * A policy document as JSON text (DescribeVpcEndpoints), URL-encoded JSON
 * text (AWS Config configuration items, IAM's Get*Policy) or an object
 * already parsed; `{ value: undefined }` for no document (the default
 * full-access policy); `undefined` for anything else.
 */
const decodePolicyDocument = (raw: unknown): { value: unknown } | undefined => {
  if (raw === undefined || raw === null) return { value: undefined };
  if (isObject(raw)) return { value: raw };
  if (typeof raw !== 'string') return undefined;
  const direct = tryJson(raw);
  if (direct) return direct;
  const decoded = raw.includes('%') ? tryUrlDecoded(raw) : undefined;
  return decoded === undefined ? undefined : tryJson(decoded);
};

const toEndpoint = (
  { item, unreadable, id }: Placed<Ec2VpcEndpoint>,
  servicePrefixes: readonly string[]
): VpcEndpoint => {
  const policy = decodePolicyDocument(item.PolicyDocument);
  if (policy === undefined) unreadable.set('PolicyDocument', POLICY_NOT_JSON);
  const dnsOptions = item.DnsOptions;
  return {
    id,
    label: `endpoint ${id}`,
    ownerId: item.OwnerId,
    tags: toTags(item.Tags),
    unreadable,
    type: item.VpcEndpointType,
    vpcId: item.VpcId,
    service:
      item.ServiceName === undefined
        ? undefined
        : parseServiceName(item.ServiceName, servicePrefixes),
    state: item.State?.toLowerCase(),
    stateText: item.State,
    policy: policy?.value,
    // Absent lists are empty (gateway endpoints print `SubnetIds: []`, some
    // outputs omit it); only a malformed one is unreadable.
    subnetIds: unlessUnreadable(unreadable, ['SubnetIds'], () => [
      ...(item.SubnetIds ?? []),
    ]),
    routeTableIds: unlessUnreadable(unreadable, ['RouteTableIds'], () => [
      ...(item.RouteTableIds ?? []),
    ]),
    groupIds: unlessUnreadable(unreadable, ['Groups'], () =>
      (item.Groups ?? []).map((group) => group.GroupId)
    ),
    // Absent means off, as AWS prints for gateway endpoints.
    privateDnsEnabled: unlessUnreadable(
      unreadable,
      ['PrivateDnsEnabled'],
      () => item.PrivateDnsEnabled === true
    ),
    privateDnsOnlyForInboundResolverEndpoint: unlessUnreadable(
      unreadable,
      ['DnsOptions'],
      () => dnsOptions?.PrivateDnsOnlyForInboundResolverEndpoint === true
    ),
  };
};

const toPrefixList = ({
  item,
  unreadable,
  id,
}: Placed<Ec2PrefixList>): PrefixList => ({
  id,
  name: item.PrefixListName ?? id,
  label: `prefix list ${id}`,
  cidrs: unlessUnreadable(unreadable, ['Cidrs'], () =>
    item.Cidrs === undefined ? undefined : parseAll(item.Cidrs)
  ),
  unreadable,
});

const toServiceDetail = ({
  item,
  unreadable,
  id,
}: Placed<Ec2ServiceDetail>): ServiceDetail => ({
  name: id,
  label: `the service detail of ${id}`,
  types: new Set((item.ServiceType ?? []).map((t) => t.ServiceType)),
  availabilityZoneIds: item.AvailabilityZoneIds,
  availabilityZones: item.AvailabilityZones,
  privateDnsNames: [
    ...(item.PrivateDnsName ? [item.PrivateDnsName] : []),
    ...(item.PrivateDnsNames ?? []).flatMap((n) =>
      n.PrivateDnsName ? [n.PrivateDnsName] : []
    ),
  ],
  privateDnsNameVerificationState: item.PrivateDnsNameVerificationState,
  vpcEndpointPolicySupported: item.VpcEndpointPolicySupported !== false,
  unreadable,
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

/** A zone name as DNS compares it: lower case, no trailing dot. */
const zoneName = (name: string): string =>
  name.toLowerCase().replace(/\.$/u, '');

const toVpcHostedZones = ({
  item,
  unreadable,
  id,
}: Placed<R53VpcHostedZones>): VpcHostedZones => ({
  vpcId: id,
  label: `the private hosted zones of ${id}`,
  // Absent means the lookup found none: the API always returns the list.
  zones: unlessUnreadable(unreadable, ['HostedZoneSummaries'], () =>
    (item.HostedZoneSummaries ?? []).map((zone) => ({
      id: zone.HostedZoneId,
      name: zoneName(zone.Name),
      ownerAccount: zone.Owner?.OwningAccount,
    }))
  ),
  unreadable,
});

const toSecurityGroup = ({
  item,
  unreadable,
  id,
}: Placed<Ec2SecurityGroup>): SecurityGroup => ({
  id,
  label: `security group ${id}`,
  ownerId: item.OwnerId,
  tags: new Map(),
  unreadable,
  name: item.GroupName,
  vpcId: item.VpcId,
  ingress: (item.IpPermissions ?? []).map(toIngressRule),
});

// ---------------------------------------------------------------------------
// Account-regions

const isRegion = (region: unknown): region is string => {
  if (typeof region !== 'string') return false;
  try {
    regionFacts(region);
    return true;
  } catch {
    return false;
  }
};

/** `AccountId/Region` when the top level has valid ones, for messages. */
const whereOf = (value: unknown): { accountId?: string; region?: string } => {
  if (!isObject(value)) return {};
  const accountId =
    typeof value.AccountId === 'string' && /^\d{12}$/.test(value.AccountId)
      ? value.AccountId
      : undefined;
  const region = isRegion(value.Region) ? value.Region : undefined;
  return {
    ...(accountId === undefined ? {} : { accountId }),
    ...(region === undefined ? {} : { region }),
  };
};

const topLevelOf = (value: unknown, source: string) => {
  if (!isObject(value)) {
    throw new InputError(
      `${source}: (top level): expected an account-region object, got ${typeName(value)}`
    );
  }
  const result = AccountRegionTopLevel.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw new InputError(`${source}: ${describeIssues(result.error.issues)}`);
};

/**
 * Reads one account-region, as a snapshot file or the live loader holds it,
 * into an inventory. Only the top level can fail: its account id, its
 * Region (valid when the AWS SDK's partition table knows it, or it is
 * well-formed), and the presence of each list.
 *
 * @param source - where it came from (`snap.json[2]`), for messages
 * @throws InputError naming the source, the key and what was expected
 */
const readAccountRegion = (value: unknown, source: string): Inventory => {
  const top = topLevelOf(value, source);
  let facts: ReturnType<typeof regionFacts>;
  try {
    facts = regionFacts(top.Region, top.Partition);
  } catch (error) {
    if (error instanceof RegionError) {
      throw new InputError(`${source}: ${error.field}: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  const servicePrefixes = serviceNamePrefixes(facts);
  const context: ReadContext = { problems: [] };
  return createInventory({
    accountId: top.AccountId,
    region: top.Region,
    partition: facts.partition,
    servicePrefixes,
    dnsSuffix: facts.dnsSuffix,
    vpcs: readList<'Vpcs', Ec2Vpc>('Vpcs', top.Vpcs, context).map(toVpc),
    vpcDns: readList<'VpcAttributes', Ec2VpcAttributes>(
      'VpcAttributes',
      top.VpcAttributes,
      context
    ).map(toVpcDns),
    subnets: readList<'Subnets', Ec2Subnet>(
      'Subnets',
      top.Subnets,
      context
    ).map(toSubnet),
    routeTables: readList<'RouteTables', Ec2RouteTable>(
      'RouteTables',
      top.RouteTables,
      context,
      { synthesizeId: true }
    ).map(toRouteTable),
    endpoints: readList<'VpcEndpoints', Ec2VpcEndpoint>(
      'VpcEndpoints',
      top.VpcEndpoints,
      context
    ).map((item) => toEndpoint(item, servicePrefixes)),
    prefixLists: readList<'PrefixLists', Ec2PrefixList>(
      'PrefixLists',
      top.PrefixLists,
      context
    ).map(toPrefixList),
    serviceDetails: readList<'ServiceDetails', Ec2ServiceDetail>(
      'ServiceDetails',
      top.ServiceDetails,
      context,
      { repeatable: true }
    ).map(toServiceDetail),
    securityGroups: readList<'SecurityGroups', Ec2SecurityGroup>(
      'SecurityGroups',
      top.SecurityGroups,
      context
    ).map(toSecurityGroup),
    hostedZones: readList<'VpcHostedZones', R53VpcHostedZones>(
      'VpcHostedZones',
      top.VpcHostedZones ?? [],
      context
    ).map(toVpcHostedZones),
    problems: context.problems,
  });
};

/** One account-region of a file: loaded, or why it could not be. */
type AccountRegionLoad =
  | {
      readonly ok: true;
      /** `landscape.json` or `landscape.json[2]` for the third of an array. */
      readonly source: string;
      readonly inventory: Inventory;
    }
  | {
      readonly ok: false;
      readonly source: string;
      readonly accountId?: string;
      readonly region?: string;
      /** One line, naming the source. */
      readonly message: string;
    };

const loadOne = (value: unknown, source: string): AccountRegionLoad => {
  try {
    return { ok: true, source, inventory: readAccountRegion(value, source) };
  } catch (error) {
    if (error instanceof InputError) {
      return { ok: false, source, ...whereOf(value), message: error.message };
    }
    throw error;
  }
};

/**
 * Parses the text of a snapshot file: one account-region object or a
 * non-empty array of them, each standing alone.
 *
 * @param text - the file's contents
 * @param file - the file name, used in every message
 * @throws InputError when the text is not JSON or holds no account-region
 */
const parseSnapshot = (text: string, file: string): AccountRegionLoad[] => {
  const value = parseJson(text, file);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new InputError(
        `${file}: (top level): expected at least one account-region, got an empty array`
      );
    }
    return value.map((item, index) => loadOne(item, `${file}[${index}]`));
  }
  if (!isObject(value)) {
    throw new InputError(
      `${file}: (top level): expected an account-region object or an array of them, got ${typeName(value)}`
    );
  }
  return [loadOne(value, file)];
};

/**
 * Reads a snapshot file. A file that cannot be read or parsed at all is one
 * failed load named after the file.
 */
const loadSnapshotFile = async (file: string): Promise<AccountRegionLoad[]> => {
  try {
    return parseSnapshot(await readTextFile(file), file);
  } catch (error) {
    if (error instanceof InputError) {
      return [{ ok: false, source: file, message: error.message }];
    }
    throw error;
  }
};

export type { AccountRegionLoad };
export {
  decodePolicyDocument,
  loadSnapshotFile,
  parseSnapshot,
  readAccountRegion,
};
