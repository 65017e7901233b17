import * as z from 'zod';
import { parseCidr } from './cidr.js';

// The snapshot holds what `aws ec2 describe-*` prints, PascalCase and all.
// Objects are loose: AWS adds fields over time and a snapshot made by a newer
// CLI must still load. Only the fields the rules read are declared, and those
// are checked strictly so a hand-edited file fails with a precise message.

const cidrText = z.string().refine((value) => parseCidr(value) !== undefined, {
  message: 'expected a CIDR block such as 10.0.0.0/16',
});

const jsonText = z.string().refine(
  (value) => {
    try {
      JSON.parse(value);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected a JSON policy document in a string' }
);

const Tags = z.array(z.looseObject({ Key: z.string(), Value: z.string() }));

const Vpc = z.looseObject({
  VpcId: z.string(),
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
  OwnerId: z.string().optional(),
  Tags: Tags.optional(),
});

const AttributeBoolean = z.looseObject({ Value: z.boolean() });

const VpcAttributes = z.looseObject({
  VpcId: z.string(),
  EnableDnsSupport: AttributeBoolean,
  EnableDnsHostnames: AttributeBoolean,
});

const Subnet = z.looseObject({
  SubnetId: z.string(),
  VpcId: z.string(),
  AvailabilityZone: z.string(),
  AvailabilityZoneId: z.string(),
  CidrBlock: z.string().optional(),
  SubnetArn: z.string().optional(),
  OwnerId: z.string().optional(),
  Tags: Tags.optional(),
});

const Route = z
  .looseObject({
    DestinationCidrBlock: cidrText.optional(),
    DestinationIpv6CidrBlock: cidrText.optional(),
    DestinationPrefixListId: z.string().optional(),
    GatewayId: z.string().optional(),
    NatGatewayId: z.string().optional(),
    TransitGatewayId: z.string().optional(),
    VpcPeeringConnectionId: z.string().optional(),
    NetworkInterfaceId: z.string().optional(),
    InstanceId: z.string().optional(),
    EgressOnlyInternetGatewayId: z.string().optional(),
    LocalGatewayId: z.string().optional(),
    CarrierGatewayId: z.string().optional(),
    CoreNetworkArn: z.string().optional(),
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

const RouteTable = z.looseObject({
  RouteTableId: z.string(),
  VpcId: z.string(),
  Routes: z.array(Route),
  Associations: z.array(
    z.looseObject({
      Main: z.boolean(),
      SubnetId: z.string().optional(),
      GatewayId: z.string().optional(),
      RouteTableAssociationId: z.string().optional(),
      AssociationState: z.looseObject({ State: z.string() }).optional(),
    })
  ),
  Tags: Tags.optional(),
});

const VpcEndpoint = z.looseObject({
  VpcEndpointId: z.string(),
  VpcEndpointType: z.string(),
  VpcId: z.string(),
  ServiceName: z.string(),
  State: z.string(),
  PolicyDocument: jsonText.optional(),
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
  PrefixListId: z.string(),
  PrefixListName: z.string(),
  Cidrs: z.array(cidrText),
});

const ServiceDetail = z.looseObject({
  ServiceName: z.string(),
  ServiceType: z.array(z.looseObject({ ServiceType: z.string() })),
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
  GroupId: z.string(),
  GroupName: z.string().optional(),
  VpcId: z.string().optional(),
  IpPermissions: z.array(IpPermission),
});

/** One account-region: the unit a snapshot file holds one or many of. */
const AccountRegionSnapshot = z.looseObject({
  AccountId: z
    .string()
    .regex(/^\d{12}$/, { message: 'expected a 12-digit account id' }),
  Region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, {
    message: 'expected a Region id such as us-east-1',
  }),
  Partition: z.string().regex(/^aws(-[a-z]+)*$/, {
    message: 'expected a partition such as aws, aws-cn or aws-us-gov',
  }),
  Vpcs: z.array(Vpc),
  VpcAttributes: z.array(VpcAttributes),
  Subnets: z.array(Subnet),
  RouteTables: z.array(RouteTable),
  VpcEndpoints: z.array(VpcEndpoint),
  PrefixLists: z.array(PrefixList),
  ServiceDetails: z.array(ServiceDetail),
  SecurityGroups: z.array(SecurityGroup),
});

/** One account-region of a snapshot, as the EC2 API returns it. */
type AccountRegionSnapshot = z.infer<typeof AccountRegionSnapshot>;
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
/** An EC2 tag list. */
type Ec2Tags = z.infer<typeof Tags>;

export type {
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
};
export { AccountRegionSnapshot };
