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
import * as z from 'zod';
import { parseCidr } from '../../../rules/model/cidr.js';

const cidrText = z.string().refine((value) => parseCidr(value) !== undefined, {
  message: 'expected a CIDR block such as 10.0.0.0/16',
});

const Tag = z.looseObject({ Key: z.string(), Value: z.string() });
const Tags = z.array(Tag);

const Vpc = z.looseObject({
  VpcId: z.string().optional(),
  OwnerId: z.string().optional(),
  CidrBlock: cidrText.optional(),
  CidrBlockAssociationSet: z
    .array(
      z.looseObject({
        CidrBlock: cidrText,
        CidrBlockState: z.looseObject({ State: z.string() }).optional(),
      })
    )
    .optional(),
  Ipv6CidrBlockAssociationSet: z
    .array(
      z.looseObject({
        Ipv6CidrBlock: cidrText.optional(),
        Ipv6CidrBlockState: z.looseObject({ State: z.string() }).optional(),
      })
    )
    .optional(),
  Tags: Tags.optional(),
});

const AttributeBoolean = z.looseObject({ Value: z.boolean() });

const VpcAttributes = z.looseObject({
  VpcId: z.string().optional(),
  EnableDnsSupport: AttributeBoolean.optional(),
  EnableDnsHostnames: AttributeBoolean.optional(),
});

const Subnet = z.looseObject({
  SubnetId: z.string().optional(),
  VpcId: z.string().optional(),
  OwnerId: z.string().optional(),
  AvailabilityZone: z.string().optional(),
  AvailabilityZoneId: z.string().optional(),
  CidrBlock: z.string().optional(),
  SubnetArn: z.string().optional(),
  Tags: Tags.optional(),
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
    DestinationCidrBlock: cidrText.optional(),
    DestinationIpv6CidrBlock: cidrText.optional(),
    DestinationPrefixListId: z.string().optional(),
    GatewayId: z.string().optional(),
    NatGatewayId: z.string().optional(),
    TransitGatewayId: z.string().optional(),
    VpcPeeringConnectionId: z.string().optional(),
    EgressOnlyInternetGatewayId: z.string().optional(),
    LocalGatewayId: z.string().optional(),
    CarrierGatewayId: z.string().optional(),
    CoreNetworkArn: z.string().optional(),
    InstanceId: z.string().optional(),
    NetworkInterfaceId: z.string().optional(),
    Origin: z.string().optional(),
    State: z.string().optional(),
  })
  .refine(
    (route) =>
      route.DestinationCidrBlock !== undefined ||
      route.DestinationIpv6CidrBlock !== undefined ||
      route.DestinationPrefixListId !== undefined,
    {
      message:
        'expected one of DestinationCidrBlock, DestinationIpv6CidrBlock, DestinationPrefixListId',
    }
  );

const RouteTableAssociation = z.looseObject({
  Main: z.boolean(),
  SubnetId: z.string().optional(),
  GatewayId: z.string().optional(),
  RouteTableAssociationId: z.string().optional(),
  AssociationState: z.looseObject({ State: z.string() }).optional(),
});

const RouteTable = z.looseObject({
  RouteTableId: z.string().optional(),
  VpcId: z.string().optional(),
  OwnerId: z.string().optional(),
  Routes: z.array(Route).optional(),
  Associations: z.array(RouteTableAssociation).optional(),
  Tags: Tags.optional(),
});

const VpcEndpoint = z.looseObject({
  VpcEndpointId: z.string().optional(),
  VpcEndpointType: z.string().optional(),
  VpcId: z.string().optional(),
  ServiceName: z.string().optional(),
  State: z.string().optional(),
  // JSON text, URL-encoded JSON text or an object: decoded by the reader.
  PolicyDocument: z.unknown().optional(),
  RouteTableIds: z.array(z.string()).optional(),
  SubnetIds: z.array(z.string()).optional(),
  Groups: z
    .array(
      z.looseObject({ GroupId: z.string(), GroupName: z.string().optional() })
    )
    .optional(),
  PrivateDnsEnabled: z.boolean().optional(),
  DnsOptions: z
    .looseObject({
      DnsRecordIpType: z.string().optional(),
      PrivateDnsOnlyForInboundResolverEndpoint: z.boolean().optional(),
    })
    .optional(),
  OwnerId: z.string().optional(),
  Tags: Tags.optional(),
});

const PrefixList = z.looseObject({
  PrefixListId: z.string().optional(),
  PrefixListName: z.string().optional(),
  Cidrs: z.array(cidrText).optional(),
});

const ServiceDetail = z.looseObject({
  ServiceName: z.string().optional(),
  ServiceType: z.array(z.looseObject({ ServiceType: z.string() })).optional(),
  AvailabilityZoneIds: z.array(z.string()).optional(),
  AvailabilityZones: z.array(z.string()).optional(),
  PrivateDnsName: z.string().optional(),
  PrivateDnsNames: z
    .array(z.looseObject({ PrivateDnsName: z.string().optional() }))
    .optional(),
  PrivateDnsNameVerificationState: z.string().optional(),
  VpcEndpointPolicySupported: z.boolean().optional(),
  Owner: z.string().optional(),
});

const IpPermission = z.looseObject({
  IpProtocol: z.string(),
  FromPort: z.number().optional(),
  ToPort: z.number().optional(),
  IpRanges: z.array(z.looseObject({ CidrIp: cidrText })).optional(),
  Ipv6Ranges: z.array(z.looseObject({ CidrIpv6: cidrText })).optional(),
  UserIdGroupPairs: z
    .array(z.looseObject({ GroupId: z.string().optional() }))
    .optional(),
  PrefixListIds: z
    .array(z.looseObject({ PrefixListId: z.string().optional() }))
    .optional(),
});

const SecurityGroup = z.looseObject({
  GroupId: z.string().optional(),
  GroupName: z.string().optional(),
  VpcId: z.string().optional(),
  OwnerId: z.string().optional(),
  IpPermissions: z.array(IpPermission).optional(),
});

/**
 * `ListHostedZonesByVPC` for one VPC: its id (the request's `VPCId`) and
 * the response's `HostedZoneSummaries`.
 */
const VpcHostedZones = z.looseObject({
  VpcId: z.string().optional(),
  HostedZoneSummaries: z
    .array(
      z.looseObject({
        HostedZoneId: z.string(),
        Name: z.string(),
        Owner: z
          .looseObject({
            OwningAccount: z.string().optional(),
            OwningService: z.string().optional(),
          })
          .optional(),
      })
    )
    .optional(),
});

/**
 * The top level of one account-region: the only part whose problems cost
 * the whole account-region (there is nothing to evaluate without it).
 */
const AccountRegionTopLevel = z.looseObject({
  AccountId: z
    .string()
    .regex(/^\d{12}$/, { message: 'expected a 12-digit account id' }),
  Region: z.string(),
  Partition: z.string().optional(),
  Vpcs: z.array(z.unknown()),
  VpcAttributes: z.array(z.unknown()),
  Subnets: z.array(z.unknown()),
  RouteTables: z.array(z.unknown()),
  VpcEndpoints: z.array(z.unknown()),
  PrefixLists: z.array(z.unknown()),
  ServiceDetails: z.array(z.unknown()),
  SecurityGroups: z.array(z.unknown()),
  // Only the VPCs a rule needs are looked up; older snapshots have none.
  VpcHostedZones: z.array(z.unknown()).optional(),
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
