/**
 * Small factories for account-region snapshots in the exact EC2 shapes.
 * Every inventory a test builds goes through the snapshot schema, so the
 * factories cannot drift from the format users write.
 */

import { readAccountRegion } from '../../functions/shared/formats/snapshot.js';
import type {
  AccountRegionSnapshot,
  Ec2IpPermission,
  Ec2PrefixList,
  Ec2Route,
  Ec2RouteTable,
  Ec2SecurityGroup,
  Ec2ServiceDetail,
  Ec2Subnet,
  Ec2Vpc,
  Ec2VpcAttributes,
  Ec2VpcEndpoint,
} from '../../functions/shared/formats/snapshot-schema.js';
import { findRule } from '../../rules/index.js';
import type { Inventory } from '../../rules/model/inventory.js';
import type { Evaluation, Rule, Verdict } from '../../rules/model/rule.js';

/** The account every snapshot the factories build belongs to. */
const ACCOUNT = '111122223333';
/** The Region of every snapshot the factories build. */
const REGION = 'us-east-1';

/** The S3 prefix list of us-east-1 (its real id, a trimmed CIDR list). */
const S3_PREFIX_LIST = {
  PrefixListId: 'pl-63a5400a',
  PrefixListName: `com.amazonaws.${REGION}.s3`,
  Cidrs: ['52.216.0.0/15', '3.5.0.0/19', '54.231.0.0/16'],
} satisfies Ec2PrefixList;
/** The DynamoDB prefix list of us-east-1 (its real id, a trimmed CIDR list). */
const DYNAMODB_PREFIX_LIST = {
  PrefixListId: 'pl-02cd2c6b',
  PrefixListName: `com.amazonaws.${REGION}.dynamodb`,
  Cidrs: ['3.218.182.0/24', '52.94.0.0/22'],
} satisfies Ec2PrefixList;

type Tags = Record<string, string>;
const toTags = (tags: Tags | undefined) =>
  tags === undefined
    ? undefined
    : Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** A VPC; the first CIDR is the primary one. */
const vpc = (
  id: string,
  cidrs: readonly string[] = ['10.0.0.0/16'],
  extra: Partial<Ec2Vpc> = {}
): Ec2Vpc => ({
  VpcId: id,
  CidrBlock: cidrs[0],
  CidrBlockAssociationSet: cidrs.map((CidrBlock) => ({
    CidrBlock,
    CidrBlockState: { State: 'associated' },
  })),
  ...extra,
});

/** The two DNS attributes of a VPC. */
const vpcDns = (
  vpcId: string,
  support = true,
  hostnames = true
): Ec2VpcAttributes => ({
  VpcId: vpcId,
  EnableDnsSupport: { Value: support },
  EnableDnsHostnames: { Value: hostnames },
});

/** A subnet; `az` is the AZ ID suffix (`az1` → `use1-az1`, name `us-east-1a`). */
const subnet = (
  id: string,
  options: { vpcId?: string; az?: string; azName?: string; tags?: Tags } = {}
): Ec2Subnet => {
  const az = options.az ?? 'az1';
  return {
    SubnetId: id,
    VpcId: options.vpcId ?? 'vpc-1',
    AvailabilityZone:
      options.azName ??
      `${REGION}${String.fromCharCode(96 + Number(az.slice(2)))}`,
    AvailabilityZoneId: `use1-${az}`,
    CidrBlock: '10.0.1.0/24',
    Tags: toTags(options.tags),
  };
};

/** Routes, in the shapes DescribeRouteTables prints. */
const route = {
  local: (cidr = '10.0.0.0/16'): Ec2Route => ({
    DestinationCidrBlock: cidr,
    GatewayId: 'local',
    Origin: 'CreateRouteTable',
    State: 'active',
  }),
  /** A static CIDR route; `target` is e.g. `{ NatGatewayId: 'nat-1' }`. */
  cidr: (
    cidr: string,
    target: Partial<Ec2Route>,
    extra: Partial<Ec2Route> = {}
  ): Ec2Route => ({
    ...(cidr.includes(':')
      ? { DestinationIpv6CidrBlock: cidr }
      : { DestinationCidrBlock: cidr }),
    ...target,
    Origin: 'CreateRoute',
    State: 'active',
    ...extra,
  }),
  /** A gateway-endpoint route to a prefix list. */
  prefixList: (
    prefixListId: string,
    gatewayId: string,
    extra: Partial<Ec2Route> = {}
  ): Ec2Route => ({
    DestinationPrefixListId: prefixListId,
    GatewayId: gatewayId,
    Origin: 'CreateRoute',
    State: 'active',
    ...extra,
  }),
};

/** A route table; `main` adds the main association, `subnets` explicit ones. */
const routeTable = (
  id: string,
  options: {
    vpcId?: string;
    main?: boolean;
    subnets?: readonly string[];
    routes?: readonly Ec2Route[];
  } = {}
): Ec2RouteTable => ({
  RouteTableId: id,
  VpcId: options.vpcId ?? 'vpc-1',
  Routes: [route.local(), ...(options.routes ?? [])],
  Associations: [
    ...(options.main
      ? [
          {
            Main: true,
            RouteTableAssociationId: `${id}-main`,
            AssociationState: { State: 'associated' },
          },
        ]
      : []),
    ...(options.subnets ?? []).map((SubnetId) => ({
      Main: false,
      SubnetId,
      RouteTableAssociationId: `${id}-${SubnetId}`,
      AssociationState: { State: 'associated' },
    })),
  ],
});

/** Options of {@link endpoint}. */
interface EndpointOptions {
  type?: string;
  service?: string;
  vpcId?: string;
  state?: string;
  policy?: unknown;
  subnets?: readonly string[];
  routeTables?: readonly string[];
  groups?: readonly string[];
  privateDns?: boolean;
  inboundOnly?: boolean;
  tags?: Tags;
  ownerId?: string;
}

/** A VPC endpoint. `service` is a label (`s3`) or a full service name. */
const endpoint = (
  id: string,
  options: EndpointOptions = {}
): Ec2VpcEndpoint => {
  const service = options.service ?? 'ssm';
  const type = options.type ?? 'Interface';
  return {
    VpcEndpointId: id,
    VpcEndpointType: type,
    VpcId: options.vpcId ?? 'vpc-1',
    ServiceName: service.includes('.')
      ? service
      : `com.amazonaws.${REGION}.${service}`,
    State: options.state ?? 'available',
    PolicyDocument:
      options.policy === undefined ? undefined : JSON.stringify(options.policy),
    SubnetIds: [
      ...(options.subnets ??
        (type === 'Interface' ? ['subnet-a', 'subnet-b'] : [])),
    ],
    RouteTableIds: [...(options.routeTables ?? [])],
    Groups: (options.groups ?? (type === 'Interface' ? ['sg-1'] : [])).map(
      (GroupId) => ({ GroupId })
    ),
    PrivateDnsEnabled: options.privateDns ?? type === 'Interface',
    DnsOptions:
      options.inboundOnly === undefined
        ? { DnsRecordIpType: 'ipv4' }
        : {
            DnsRecordIpType: 'ipv4',
            PrivateDnsOnlyForInboundResolverEndpoint: options.inboundOnly,
          },
    OwnerId: options.ownerId ?? ACCOUNT,
    Tags: toTags(options.tags),
  };
};

/** A service detail; `types` such as `['Interface']`. */
const serviceDetail = (
  service: string,
  types: readonly string[],
  extra: Partial<Ec2ServiceDetail> = {}
): Ec2ServiceDetail => {
  const name = service.includes('.')
    ? service
    : `com.amazonaws.${REGION}.${service}`;
  return {
    ServiceName: name,
    ServiceType: types.map((ServiceType) => ({ ServiceType })),
    AvailabilityZoneIds: ['use1-az1', 'use1-az2', 'use1-az4'],
    PrivateDnsName: `${service}.${REGION}.amazonaws.com`,
    PrivateDnsNameVerificationState: 'verified',
    VpcEndpointPolicySupported: true,
    Owner: 'amazon',
    ...extra,
  };
};

/** A security group with inbound permissions. */
const securityGroup = (
  id: string,
  ingress: readonly Ec2IpPermission[] = [],
  vpcId = 'vpc-1'
): Ec2SecurityGroup => ({
  GroupId: id,
  GroupName: id,
  VpcId: vpcId,
  IpPermissions: [...ingress],
});

/** Inbound permissions, in the shapes DescribeSecurityGroups prints. */
const ingress = {
  tcp: (
    from: number,
    to: number,
    source: Partial<Ec2IpPermission>
  ): Ec2IpPermission => ({
    IpProtocol: 'tcp',
    FromPort: from,
    ToPort: to,
    ...source,
  }),
  https: (source: Partial<Ec2IpPermission>): Ec2IpPermission =>
    ingress.tcp(443, 443, source),
  fromCidr: (cidr: string): Partial<Ec2IpPermission> => ({
    IpRanges: [{ CidrIp: cidr }],
  }),
  fromCidr6: (cidr: string): Partial<Ec2IpPermission> => ({
    Ipv6Ranges: [{ CidrIpv6: cidr }],
  }),
  fromGroup: (groupId: string): Partial<Ec2IpPermission> => ({
    UserIdGroupPairs: [{ GroupId: groupId }],
  }),
  fromPrefixList: (id: string): Partial<Ec2IpPermission> => ({
    PrefixListIds: [{ PrefixListId: id }],
  }),
};

/**
 * An account-region snapshot: one VPC (`vpc-1`, 10.0.0.0/16, DNS on) and the
 * S3/DynamoDB prefix lists unless overridden.
 */
const snapshot = (
  parts: Partial<AccountRegionSnapshot> = {}
): AccountRegionSnapshot => ({
  AccountId: ACCOUNT,
  Region: REGION,
  Partition: 'aws',
  Vpcs: [vpc('vpc-1')],
  VpcAttributes: [vpcDns('vpc-1')],
  Subnets: [],
  RouteTables: [],
  VpcEndpoints: [],
  PrefixLists: [S3_PREFIX_LIST, DYNAMODB_PREFIX_LIST],
  ServiceDetails: [],
  SecurityGroups: [],
  ...parts,
});

/** Reads the snapshot as a file is read and builds its inventory. */
const inventoryOf = (parts: Partial<AccountRegionSnapshot> = {}): Inventory =>
  readAccountRegion(snapshot(parts), 'test snapshot');

/** The registered rule with this id; a test naming an unknown one fails. */
const ruleNamed = (id: string): Rule => {
  const rule = findRule(id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
};

/** Runs one rule over a snapshot. */
const evaluate = (
  ruleId: string,
  parts: Partial<AccountRegionSnapshot>,
  parameters: Record<string, unknown> = {}
): Evaluation[] => {
  return ruleNamed(ruleId).prepare(parameters).evaluate(inventoryOf(parts));
};

/** The verdict of one rule for one resource. */
const verdictOf = (
  ruleId: string,
  parts: Partial<AccountRegionSnapshot>,
  resourceId: string,
  parameters: Record<string, unknown> = {}
): Verdict => {
  const found = evaluate(ruleId, parts, parameters).find(
    (e) => e.resourceId === resourceId
  );
  if (!found) throw new Error(`${ruleId} reported nothing for ${resourceId}`);
  return { complianceType: found.complianceType, annotation: found.annotation };
};

export {
  ACCOUNT,
  DYNAMODB_PREFIX_LIST,
  endpoint,
  evaluate,
  ingress,
  inventoryOf,
  REGION,
  route,
  routeTable,
  ruleNamed,
  S3_PREFIX_LIST,
  securityGroup,
  serviceDetail,
  snapshot,
  subnet,
  verdictOf,
  vpc,
  vpcDns,
};
