/**
 * The wire format of a snapshot: what `aws ec2 describe-*` prints,
 * PascalCase and all, for one account-region. The live loader
 * (functions/shared/aws/ec2-inventory.ts) produces the same shape.
 *
 * Tolerant by design (README, "Real accounts"): objects are loose (AWS adds
 * fields), enum values are plain strings (AWS adds types, states, route
 * targets), and every field of a list item is optional. A field that is
 * present but malformed is reported by the reader (snapshot.ts) as
 * unreadable on that one resource; the schema only says what a readable
 * value looks like.
 */
import * as z from 'zod/mini';
import { parseCidr } from '../../../rules/model/cidr.js';

const cidrText = z.string().check(
  z.refine((value) => parseCidr(value) !== undefined, {
    message: 'expected a CIDR block such as 10.0.0.0/16',
  })
);

const Tag = z.looseObject({ Key: z.string(), Value: z.string() });
const Tags = z.array(Tag);

const Vpc = z.looseObject({
  VpcId: z.optional(z.string()),
  OwnerId: z.optional(z.string()),
  CidrBlock: z.optional(cidrText),
  CidrBlockAssociationSet: z.optional(
    z.array(
      z.looseObject({
        CidrBlock: cidrText,
        CidrBlockState: z.optional(z.looseObject({ State: z.string() })),
      })
    )
  ),
  Ipv6CidrBlockAssociationSet: z.optional(
    z.array(
      z.looseObject({
        Ipv6CidrBlock: z.optional(cidrText),
        Ipv6CidrBlockState: z.optional(z.looseObject({ State: z.string() })),
      })
    )
  ),
  Tags: z.optional(Tags),
});

const AttributeBoolean = z.looseObject({ Value: z.boolean() });

const VpcAttributes = z.looseObject({
  VpcId: z.optional(z.string()),
  EnableDnsSupport: z.optional(AttributeBoolean),
  EnableDnsHostnames: z.optional(AttributeBoolean),
});

const Subnet = z.looseObject({
  SubnetId: z.optional(z.string()),
  VpcId: z.optional(z.string()),
  OwnerId: z.optional(z.string()),
  AvailabilityZone: z.optional(z.string()),
  AvailabilityZoneId: z.optional(z.string()),
  CidrBlock: z.optional(z.string()),
  SubnetArn: z.optional(z.string()),
  Tags: z.optional(Tags),
});

/** The route fields that name where traffic goes, as AWS documents them. */
const ROUTE_TARGET_FIELDS = [
  'GatewayId',
  'NatGatewayId',
  'TransitGatewayId',
  'VpcPeeringConnectionId',
  'EgressOnlyInternetGatewayId',
  'LocalGatewayId',
  'CarrierGatewayId',
  'CoreNetworkArn',
  'InstanceId',
  'NetworkInterfaceId',
] as const;

const Route = z
  .looseObject({
    DestinationCidrBlock: z.optional(cidrText),
    DestinationIpv6CidrBlock: z.optional(cidrText),
    DestinationPrefixListId: z.optional(z.string()),
    GatewayId: z.optional(z.string()),
    NatGatewayId: z.optional(z.string()),
    TransitGatewayId: z.optional(z.string()),
    VpcPeeringConnectionId: z.optional(z.string()),
    EgressOnlyInternetGatewayId: z.optional(z.string()),
    LocalGatewayId: z.optional(z.string()),
    CarrierGatewayId: z.optional(z.string()),
    CoreNetworkArn: z.optional(z.string()),
    InstanceId: z.optional(z.string()),
    NetworkInterfaceId: z.optional(z.string()),
    Origin: z.optional(z.string()),
    State: z.optional(z.string()),
  })
  .check(
    z.refine(
      (route) =>
        route.DestinationCidrBlock !== undefined ||
        route.DestinationIpv6CidrBlock !== undefined ||
        route.DestinationPrefixListId !== undefined,
      {
        message:
          'expected one of DestinationCidrBlock, DestinationIpv6CidrBlock, DestinationPrefixListId',
      }
    )
  );

const RouteTableAssociation = z.looseObject({
  Main: z.boolean(),
  SubnetId: z.optional(z.string()),
  GatewayId: z.optional(z.string()),
  RouteTableAssociationId: z.optional(z.string()),
  AssociationState: z.optional(z.looseObject({ State: z.string() })),
});

const RouteTable = z.looseObject({
  RouteTableId: z.optional(z.string()),
  VpcId: z.optional(z.string()),
  OwnerId: z.optional(z.string()),
  Routes: z.optional(z.array(Route)),
  Associations: z.optional(z.array(RouteTableAssociation)),
  Tags: z.optional(Tags),
});

const VpcEndpoint = z.looseObject({
  VpcEndpointId: z.optional(z.string()),
  VpcEndpointType: z.optional(z.string()),
  VpcId: z.optional(z.string()),
  ServiceName: z.optional(z.string()),
  State: z.optional(z.string()),
  // JSON text, URL-encoded JSON text or an object: decoded by the reader.
  PolicyDocument: z.optional(z.unknown()),
  RouteTableIds: z.optional(z.array(z.string())),
  SubnetIds: z.optional(z.array(z.string())),
  Groups: z.optional(
    z.array(
      z.looseObject({ GroupId: z.string(), GroupName: z.optional(z.string()) })
    )
  ),
  PrivateDnsEnabled: z.optional(z.boolean()),
  DnsOptions: z.optional(
    z.looseObject({
      DnsRecordIpType: z.optional(z.string()),
      PrivateDnsOnlyForInboundResolverEndpoint: z.optional(z.boolean()),
    })
  ),
  OwnerId: z.optional(z.string()),
  Tags: z.optional(Tags),
});

const PrefixList = z.looseObject({
  PrefixListId: z.optional(z.string()),
  PrefixListName: z.optional(z.string()),
  Cidrs: z.optional(z.array(cidrText)),
});

const ServiceDetail = z.looseObject({
  ServiceName: z.optional(z.string()),
  ServiceType: z.optional(z.array(z.looseObject({ ServiceType: z.string() }))),
  AvailabilityZoneIds: z.optional(z.array(z.string())),
  AvailabilityZones: z.optional(z.array(z.string())),
  PrivateDnsName: z.optional(z.string()),
  PrivateDnsNames: z.optional(
    z.array(z.looseObject({ PrivateDnsName: z.optional(z.string()) }))
  ),
  PrivateDnsNameVerificationState: z.optional(z.string()),
  VpcEndpointPolicySupported: z.optional(z.boolean()),
  Owner: z.optional(z.string()),
});

const IpPermission = z.looseObject({
  IpProtocol: z.string(),
  FromPort: z.optional(z.number()),
  ToPort: z.optional(z.number()),
  IpRanges: z.optional(z.array(z.looseObject({ CidrIp: cidrText }))),
  Ipv6Ranges: z.optional(z.array(z.looseObject({ CidrIpv6: cidrText }))),
  UserIdGroupPairs: z.optional(
    z.array(z.looseObject({ GroupId: z.optional(z.string()) }))
  ),
  PrefixListIds: z.optional(
    z.array(z.looseObject({ PrefixListId: z.optional(z.string()) }))
  ),
});

const SecurityGroup = z.looseObject({
  GroupId: z.optional(z.string()),
  GroupName: z.optional(z.string()),
  VpcId: z.optional(z.string()),
  OwnerId: z.optional(z.string()),
  IpPermissions: z.optional(z.array(IpPermission)),
});

/**
 * `ListHostedZonesByVPC` for one VPC: its id (the request's `VPCId`) and
 * the response's `HostedZoneSummaries`.
 */
const VpcHostedZones = z.looseObject({
  VpcId: z.optional(z.string()),
  HostedZoneSummaries: z.optional(
    z.array(
      z.looseObject({
        HostedZoneId: z.string(),
        Name: z.string(),
        Owner: z.optional(
          z.looseObject({
            OwningAccount: z.optional(z.string()),
            OwningService: z.optional(z.string()),
          })
        ),
      })
    )
  ),
});

/**
 * The top level of one account-region: the only part whose problems cost
 * the whole account-region (there is nothing to evaluate without it).
 */
const AccountRegionTopLevel = z.looseObject({
  AccountId: z
    .string()
    .check(z.regex(/^\d{12}$/, { message: 'expected a 12-digit account id' })),
  Region: z.string(),
  Partition: z.optional(z.string()),
  Vpcs: z.array(z.unknown()),
  VpcAttributes: z.array(z.unknown()),
  Subnets: z.array(z.unknown()),
  RouteTables: z.array(z.unknown()),
  VpcEndpoints: z.array(z.unknown()),
  PrefixLists: z.array(z.unknown()),
  ServiceDetails: z.array(z.unknown()),
  SecurityGroups: z.array(z.unknown()),
  // Only the VPCs a rule needs are looked up; older snapshots have none.
  VpcHostedZones: z.optional(z.array(z.unknown())),
});

/** `DescribeVpcs.Vpcs` item (the fields vpce-guard reads). */
type Ec2Vpc = z.infer<typeof Vpc>;
/** `DescribeSubnets.Subnets` item. */
type Ec2Subnet = z.infer<typeof Subnet>;
/** `DescribeRouteTables.RouteTables[].Routes` item. */
type Ec2Route = z.infer<typeof Route>;
/** `DescribeRouteTables.RouteTables` item. */
type Ec2RouteTable = z.infer<typeof RouteTable>;
/** `DescribeVpcEndpoints.VpcEndpoints` item. */
type Ec2VpcEndpoint = z.infer<typeof VpcEndpoint>;
/** `DescribePrefixLists.PrefixLists` item. */
type Ec2PrefixList = z.infer<typeof PrefixList>;
/** `DescribeVpcEndpointServices.ServiceDetails` item. */
type Ec2ServiceDetail = z.infer<typeof ServiceDetail>;
/** `DescribeSecurityGroups.SecurityGroups` item. */
type Ec2SecurityGroup = z.infer<typeof SecurityGroup>;
/** `DescribeSecurityGroups.SecurityGroups[].IpPermissions` item. */
type Ec2IpPermission = z.infer<typeof IpPermission>;
/** The two DNS attributes of a VPC, from two `DescribeVpcAttribute` calls. */
type Ec2VpcAttributes = z.infer<typeof VpcAttributes>;
/** One VPC's `ListHostedZonesByVPC` answer. */
type R53VpcHostedZones = z.infer<typeof VpcHostedZones>;
/** An EC2 tag list. */
type Ec2Tags = z.infer<typeof Tags>;

/**
 * One account-region as a snapshot file holds it. The lists' items are
 * typed loosely: each is read on its own, and one that is malformed costs
 * only itself.
 */
interface AccountRegionSnapshot {
  readonly AccountId: string;
  readonly Region: string;
  readonly Partition?: string | undefined;
  readonly Vpcs: readonly Ec2Vpc[];
  readonly VpcAttributes: readonly Ec2VpcAttributes[];
  readonly Subnets: readonly Ec2Subnet[];
  readonly RouteTables: readonly Ec2RouteTable[];
  readonly VpcEndpoints: readonly Ec2VpcEndpoint[];
  readonly PrefixLists: readonly Ec2PrefixList[];
  readonly ServiceDetails: readonly Ec2ServiceDetail[];
  readonly SecurityGroups: readonly Ec2SecurityGroup[];
  readonly VpcHostedZones?: readonly R53VpcHostedZones[] | undefined;
}

/** The item schema of each list, with the key that identifies an item. */
const LIST_SCHEMAS = {
  Vpcs: { schema: Vpc, idKey: 'VpcId' },
  VpcAttributes: { schema: VpcAttributes, idKey: 'VpcId' },
  Subnets: { schema: Subnet, idKey: 'SubnetId' },
  RouteTables: { schema: RouteTable, idKey: 'RouteTableId' },
  VpcEndpoints: { schema: VpcEndpoint, idKey: 'VpcEndpointId' },
  PrefixLists: { schema: PrefixList, idKey: 'PrefixListId' },
  ServiceDetails: { schema: ServiceDetail, idKey: 'ServiceName' },
  SecurityGroups: { schema: SecurityGroup, idKey: 'GroupId' },
  VpcHostedZones: { schema: VpcHostedZones, idKey: 'VpcId' },
} as const;

/**
 * Lists inside an item where one bad element costs only that element:
 * every other permission of a group, every other tag, still reads. In
 * every other list (routes, associations, CIDR blocks) any element can
 * decide a verdict, so a bad one makes the whole field unreadable.
 */
const ELEMENT_TOLERANT_FIELDS: ReadonlySet<string> = new Set([
  'IpPermissions',
  'Tags',
]);

export type {
  AccountRegionSnapshot,
  Ec2IpPermission,
  Ec2PrefixList,
  Ec2Route,
  Ec2RouteTable,
  Ec2SecurityGroup,
  Ec2ServiceDetail,
  Ec2Subnet,
  Ec2Tags,
  Ec2Vpc,
  Ec2VpcAttributes,
  Ec2VpcEndpoint,
  R53VpcHostedZones,
};
export {
  AccountRegionTopLevel,
  ELEMENT_TOLERANT_FIELDS,
  LIST_SCHEMAS,
  ROUTE_TARGET_FIELDS,
};
