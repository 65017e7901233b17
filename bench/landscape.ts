/**
 * Deterministic synthetic account-region snapshots for the benchmark. The
 * same size and seed always give the same snapshot, in the exact EC2 shapes
 * the snapshot schema accepts.
 */
import type {
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
} from '../functions/shared/formats/snapshot-schema.js';

/** `T` with the keys `K` present: the bench writes complete resources. */
type With<T, K extends keyof T> = T & {
  readonly [P in K]-?: NonNullable<T[P]>;
};

/** A generated endpoint: its policy is always JSON text or absent. */
type GeneratedEndpoint = With<
  Ec2VpcEndpoint,
  'VpcEndpointId' | 'VpcEndpointType' | 'VpcId' | 'ServiceName' | 'State'
> & { PolicyDocument?: string };

/**
 * A generated account-region: a snapshot whose resources carry every field
 * the rules read, so the bench can recreate it in moto field by field.
 */
interface Landscape {
  readonly AccountId: string;
  readonly Region: string;
  readonly Partition: string;
  readonly Vpcs: readonly With<Ec2Vpc, 'VpcId' | 'CidrBlock'>[];
  readonly VpcAttributes: readonly With<
    Ec2VpcAttributes,
    'VpcId' | 'EnableDnsSupport' | 'EnableDnsHostnames'
  >[];
  readonly Subnets: readonly With<
    Ec2Subnet,
    | 'SubnetId'
    | 'VpcId'
    | 'CidrBlock'
    | 'AvailabilityZone'
    | 'AvailabilityZoneId'
  >[];
  readonly RouteTables: readonly With<
    Ec2RouteTable,
    'RouteTableId' | 'VpcId' | 'Routes' | 'Associations'
  >[];
  readonly VpcEndpoints: readonly GeneratedEndpoint[];
  readonly PrefixLists: readonly With<
    Ec2PrefixList,
    'PrefixListId' | 'PrefixListName' | 'Cidrs'
  >[];
  readonly ServiceDetails: readonly With<
    Ec2ServiceDetail,
    'ServiceName' | 'ServiceType'
  >[];
  readonly SecurityGroups: readonly With<
    Ec2SecurityGroup,
    'GroupId' | 'VpcId' | 'IpPermissions'
  >[];
}

/** How many resources of each kind a landscape holds. */
interface LandscapeSize {
  vpcs: number;
  subnets: number;
  endpoints: number;
}

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const ORG_ID = 'o-a1b2c3d4e5';
const AZS = [
  { name: `${REGION}a`, id: 'use1-az1' },
  { name: `${REGION}b`, id: 'use1-az2' },
  { name: `${REGION}c`, id: 'use1-az4' },
] as const;
const S3_PL = 'pl-63a5400a';
const DDB_PL = 'pl-02cd2c6b';
const INTERFACE_SERVICES = [
  'ssm',
  'ssmmessages',
  'ec2messages',
  'sts',
  'logs',
  'kms',
  'ecr.api',
  'ecr.dkr',
  'secretsmanager',
  'monitoring',
  'sqs',
  'sns',
] as const;

/** mulberry32: a tiny, fast, seeded 32-bit PRNG returning [0, 1). */
const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** A 17-hex-digit id suffix, as EC2 prints them. */
const hexId = (prefix: string, n: number): string =>
  `${prefix}-${n.toString(16).padStart(17, '0')}`;

const serviceName = (service: string): string =>
  `com.amazonaws.${REGION}.${service}`;

/** Splits `total` over `parts` as evenly as possible. */
const share = (total: number, parts: number, index: number): number =>
  Math.floor(total / parts) + (index < total % parts ? 1 : 0);

const nameTag = (name: string) => [{ Key: 'Name', Value: name }];

const restrictivePolicy = (service: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AllowOrgPrincipals',
      Effect: 'Allow',
      Principal: '*',
      Action: `${service.split('.')[0]}:*`,
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } },
    },
  ],
});

const fullAccessPolicy = {
  Version: '2008-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
};

const perimeterPolicy = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
    {
      Sid: 'DenyOutsideOrg',
      Effect: 'Deny',
      Principal: '*',
      Action: '*',
      Resource: '*',
      Condition: {
        StringNotEquals: { 'aws:PrincipalOrgID': ORG_ID },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      },
    },
  ],
};

const pickPolicy = (random: () => number, service: string): unknown => {
  const roll = random();
  if (roll < 0.45) return restrictivePolicy(service);
  if (roll < 0.8) return fullAccessPolicy;
  return perimeterPolicy;
};

const serviceDetail = (
  service: string,
  types: readonly string[]
): Landscape['ServiceDetails'][number] => ({
  ServiceName: serviceName(service),
  ServiceType: types.map((ServiceType) => ({ ServiceType })),
  AvailabilityZoneIds: AZS.map((az) => az.id),
  AvailabilityZones: AZS.map((az) => az.name),
  ...(types.includes('Interface')
    ? {
        PrivateDnsName: `${service}.${REGION}.amazonaws.com`,
        PrivateDnsNames: [
          { PrivateDnsName: `${service}.${REGION}.amazonaws.com` },
        ],
        PrivateDnsNameVerificationState: 'verified',
      }
    : {}),
  VpcEndpointPolicySupported: true,
  Owner: 'amazon',
});

const route = (destination: Partial<Ec2Route>, target: Partial<Ec2Route>) =>
  ({
    ...destination,
    ...target,
    Origin: 'CreateRoute',
    State: 'active',
  }) as Ec2Route;

/**
 * A realistic account-region: per VPC a /16 with public and private subnets
 * over three AZs, a main table, a public table and per-AZ private tables,
 * gateway and interface endpoints with a mix of policies, and security
 * groups with and without HTTPS ingress.
 */
const generateLandscape = (size: LandscapeSize, seed: number): Landscape => {
  const random = mulberry32(seed);
  const chance = (p: number): boolean => random() < p;
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(random() * items.length)] as T;

  const vpcs: Landscape['Vpcs'][number][] = [];
  const attributes: Landscape['VpcAttributes'][number][] = [];
  const subnets: Landscape['Subnets'][number][] = [];
  const routeTables: Landscape['RouteTables'][number][] = [];
  const endpoints: GeneratedEndpoint[] = [];
  const groups: Landscape['SecurityGroups'][number][] = [];
  const used = new Set<string>();
  let counter = 0;
  const next = (prefix: string): string => hexId(prefix, ++counter);

  for (let v = 0; v < size.vpcs; v++) {
    const vpcId = next('vpc');
    const cidr = `10.${v % 256}.0.0/16`;
    const base = `10.${v % 256}`;
    vpcs.push({
      VpcId: vpcId,
      CidrBlock: cidr,
      CidrBlockAssociationSet: [
        { CidrBlock: cidr, CidrBlockState: { State: 'associated' } },
      ],
      OwnerId: ACCOUNT,
      State: 'available',
      IsDefault: false,
      Tags: nameTag(`vpc-${v}`),
    });
    attributes.push({
      VpcId: vpcId,
      EnableDnsSupport: { Value: !chance(0.03) },
      EnableDnsHostnames: { Value: !chance(0.1) },
    });

    // Subnets: about a third public, the rest private, round-robin over AZs.
    const subnetCount = share(size.subnets, size.vpcs, v);
    const publicCount = Math.min(
      subnetCount > 1 ? Math.max(1, Math.floor(subnetCount / 3)) : 0,
      subnetCount
    );
    const publicIds: string[] = [];
    const privateByAz: string[][] = AZS.map(() => []);
    for (let s = 0; s < subnetCount; s++) {
      const azIndex = s % AZS.length;
      const az = AZS[azIndex] ?? AZS[0];
      const subnetId = next('subnet');
      const isPublic = s < publicCount;
      subnets.push({
        SubnetId: subnetId,
        VpcId: vpcId,
        AvailabilityZone: az.name,
        AvailabilityZoneId: az.id,
        CidrBlock: `${base}.${s % 256}.0/24`,
        SubnetArn: `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/${subnetId}`,
        OwnerId: ACCOUNT,
        State: 'available',
        MapPublicIpOnLaunch: isPublic,
        Tags: [
          ...nameTag(`vpc-${v}-${isPublic ? 'public' : 'private'}-${s}`),
          { Key: 'tier', Value: isPublic ? 'public' : 'private' },
        ],
      });
      if (isPublic) publicIds.push(subnetId);
      else privateByAz[azIndex]?.push(subnetId);
    }

    const local: Ec2Route = {
      DestinationCidrBlock: cidr,
      GatewayId: 'local',
      Origin: 'CreateRouteTable',
      State: 'active',
    };
    const igw = next('igw');
    const hasGateways = chance(0.8);
    const s3Endpoint = next('vpce');
    const ddbEndpoint = next('vpce');
    const privateTableIds: string[] = [];

    // Main table: local only (subnets without an explicit association).
    const mainId = next('rtb');
    routeTables.push({
      RouteTableId: mainId,
      VpcId: vpcId,
      Routes: [local],
      Associations: [
        {
          Main: true,
          RouteTableAssociationId: next('rtbassoc'),
          AssociationState: { State: 'associated' },
        },
      ],
      Tags: nameTag(`vpc-${v}-main`),
    });
    // Public table.
    if (publicIds.length > 0) {
      routeTables.push({
        RouteTableId: next('rtb'),
        VpcId: vpcId,
        Routes: [
          local,
          route({ DestinationCidrBlock: '0.0.0.0/0' }, { GatewayId: igw }),
        ],
        Associations: publicIds.map((SubnetId) => ({
          Main: false,
          SubnetId,
          RouteTableAssociationId: next('rtbassoc'),
          AssociationState: { State: 'associated' },
        })),
        Tags: nameTag(`vpc-${v}-public`),
      });
    }
    // Per-AZ private tables with NAT default routes.
    privateByAz.forEach((ids, azIndex) => {
      if (ids.length === 0) return;
      const tableId = next('rtb');
      const nat = next('nat');
      const routes: Ec2Route[] = [
        local,
        route({ DestinationCidrBlock: '0.0.0.0/0' }, { NatGatewayId: nat }),
      ];
      if (hasGateways) {
        routes.push(
          route({ DestinationPrefixListId: S3_PL }, { GatewayId: s3Endpoint })
        );
        if (!chance(0.1)) {
          routes.push(
            route(
              { DestinationPrefixListId: DDB_PL },
              { GatewayId: ddbEndpoint }
            )
          );
        }
      }
      if (chance(0.15)) {
        // A more-specific NAT route inside the S3 prefix list.
        routes.push(
          route(
            { DestinationCidrBlock: '52.216.0.0/16' },
            { NatGatewayId: nat }
          )
        );
      }
      privateTableIds.push(tableId);
      routeTables.push({
        RouteTableId: tableId,
        VpcId: vpcId,
        Routes: routes,
        Associations: ids.map((SubnetId) => ({
          Main: false,
          SubnetId,
          RouteTableAssociationId: next('rtbassoc'),
          AssociationState: { State: 'associated' },
        })),
        Tags: nameTag(`vpc-${v}-private-${AZS[azIndex]?.name ?? azIndex}`),
      });
    });

    // Security groups: one allowing 443 from the VPC, one without it.
    const httpsGroup = next('sg');
    const sshGroup = next('sg');
    const https: Ec2IpPermission = {
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      IpRanges: [{ CidrIp: cidr }],
    };
    const ssh: Ec2IpPermission = {
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      IpRanges: [{ CidrIp: cidr }],
    };
    groups.push(
      {
        GroupId: httpsGroup,
        GroupName: `vpc-${v}-endpoints`,
        VpcId: vpcId,
        IpPermissions: [https],
      },
      {
        GroupId: sshGroup,
        GroupName: `vpc-${v}-admin`,
        VpcId: vpcId,
        IpPermissions: [ssh],
      }
    );

    // Endpoints: the gateway pair first, then interface endpoints.
    const endpointCount = share(size.endpoints, size.vpcs, v);
    let made = 0;
    if (hasGateways) {
      for (const [id, service] of [
        [s3Endpoint, 's3'],
        [ddbEndpoint, 'dynamodb'],
      ] as const) {
        if (made >= endpointCount) break;
        used.add(service);
        endpoints.push({
          VpcEndpointId: id,
          VpcEndpointType: 'Gateway',
          VpcId: vpcId,
          ServiceName: serviceName(service),
          State: 'available',
          PolicyDocument: JSON.stringify(pickPolicy(random, service)),
          RouteTableIds: [...privateTableIds],
          SubnetIds: [],
          Groups: [],
          PrivateDnsEnabled: false,
          OwnerId: ACCOUNT,
          Tags: nameTag(`vpc-${v}-${service}`),
        });
        made++;
      }
    }
    const azsWithPrivate = privateByAz
      .map((ids, azIndex) => ({ ids, azIndex }))
      .filter((entry) => entry.ids.length > 0);
    for (let e = 0; made < endpointCount; e++, made++) {
      const service =
        INTERFACE_SERVICES[e % INTERFACE_SERVICES.length] ?? 'ssm';
      used.add(service);
      const azCount = Math.min(
        azsWithPrivate.length,
        1 + Math.floor(random() * 3)
      );
      const endpointSubnets = azsWithPrivate
        .slice(0, azCount)
        .map((entry) => pick(entry.ids));
      endpoints.push({
        VpcEndpointId: next('vpce'),
        VpcEndpointType: 'Interface',
        VpcId: vpcId,
        ServiceName: serviceName(service),
        State: 'available',
        PolicyDocument: JSON.stringify(pickPolicy(random, service)),
        RouteTableIds: [],
        SubnetIds: endpointSubnets,
        Groups: [{ GroupId: chance(0.85) ? httpsGroup : sshGroup }],
        PrivateDnsEnabled: !chance(0.1),
        DnsOptions: { DnsRecordIpType: 'ipv4' },
        OwnerId: ACCOUNT,
        Tags: nameTag(`vpc-${v}-${service}`),
      });
    }
  }

  const prefixLists: Landscape['PrefixLists'][number][] = [
    {
      PrefixListId: S3_PL,
      PrefixListName: serviceName('s3'),
      Cidrs: [
        '3.5.0.0/19',
        '16.182.0.0/16',
        '18.34.0.0/19',
        '52.216.0.0/15',
        '54.231.0.0/16',
      ],
    },
    {
      PrefixListId: DDB_PL,
      PrefixListName: serviceName('dynamodb'),
      Cidrs: ['3.218.180.0/22', '35.71.64.0/22', '52.94.0.0/22'],
    },
  ];
  const serviceDetails: Landscape['ServiceDetails'][number][] = [
    serviceDetail('s3', ['Gateway']),
    serviceDetail('s3', ['Interface']),
    serviceDetail('dynamodb', ['Gateway']),
    ...INTERFACE_SERVICES.filter((service) => used.has(service)).map(
      (service) => serviceDetail(service, ['Interface'])
    ),
  ];

  return {
    AccountId: ACCOUNT,
    Region: REGION,
    Partition: 'aws',
    Vpcs: vpcs,
    VpcAttributes: attributes,
    Subnets: subnets,
    RouteTables: routeTables,
    VpcEndpoints: endpoints,
    PrefixLists: prefixLists,
    ServiceDetails: serviceDetails,
    SecurityGroups: groups,
  };
};

export type { Landscape, LandscapeSize };
export { generateLandscape };
