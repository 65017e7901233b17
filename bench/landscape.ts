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
 * The state of one generation: the seeded draws, the id counter and the
 * resources so far. Every helper below draws from it in a fixed order, so
 * the same size and seed always give the same landscape.
 */
interface Generation {
  readonly random: () => number;
  readonly chance: (p: number) => boolean;
  readonly pick: <T>(items: readonly T[]) => T;
  readonly next: (prefix: string) => string;
  readonly vpcs: Landscape['Vpcs'][number][];
  readonly attributes: Landscape['VpcAttributes'][number][];
  readonly subnets: Landscape['Subnets'][number][];
  readonly routeTables: Landscape['RouteTables'][number][];
  readonly endpoints: GeneratedEndpoint[];
  readonly groups: Landscape['SecurityGroups'][number][];
  /** The services some endpoint uses, for the service details. */
  readonly used: Set<string>;
}

const startGeneration = (seed: number): Generation => {
  const random = mulberry32(seed);
  let counter = 0;
  return {
    random,
    chance: (p) => random() < p,
    pick: <T>(items: readonly T[]): T =>
      items[Math.floor(random() * items.length)] as T,
    next: (prefix) => hexId(prefix, ++counter),
    vpcs: [],
    attributes: [],
    subnets: [],
    routeTables: [],
    endpoints: [],
    groups: [],
    used: new Set(),
  };
};

/** One generated VPC: its index, id and primary CIDR block. */
interface GeneratedVpc {
  readonly index: number;
  readonly id: string;
  readonly cidr: string;
}

/** The subnets of a VPC: the public ones, and the private ones per AZ. */
interface SubnetLayout {
  readonly publicIds: string[];
  readonly privateByAz: string[][];
}

/** The gateway endpoints' ids, decided before the tables that route to them. */
interface Gateways {
  readonly present: boolean;
  readonly s3: string;
  readonly dynamodb: string;
}

const addVpc = (gen: Generation, v: number): GeneratedVpc => {
  const id = gen.next('vpc');
  const cidr = `10.${v % 256}.0.0/16`;
  gen.vpcs.push({
    VpcId: id,
    CidrBlock: cidr,
    CidrBlockAssociationSet: [
      { CidrBlock: cidr, CidrBlockState: { State: 'associated' } },
    ],
    OwnerId: ACCOUNT,
    State: 'available',
    IsDefault: false,
    Tags: nameTag(`vpc-${v}`),
  });
  gen.attributes.push({
    VpcId: id,
    EnableDnsSupport: { Value: !gen.chance(0.03) },
    EnableDnsHostnames: { Value: !gen.chance(0.1) },
  });
  return { index: v, id, cidr };
};

/** About a third public, the rest private, round-robin over the AZs. */
const addSubnets = (
  gen: Generation,
  vpc: GeneratedVpc,
  subnetCount: number
): SubnetLayout => {
  const base = `10.${vpc.index % 256}`;
  const publicCount = Math.min(
    subnetCount > 1 ? Math.max(1, Math.floor(subnetCount / 3)) : 0,
    subnetCount
  );
  const publicIds: string[] = [];
  const privateByAz: string[][] = AZS.map(() => []);
  for (let s = 0; s < subnetCount; s++) {
    const azIndex = s % AZS.length;
    const az = AZS[azIndex] ?? AZS[0];
    const subnetId = gen.next('subnet');
    const isPublic = s < publicCount;
    gen.subnets.push({
      SubnetId: subnetId,
      VpcId: vpc.id,
      AvailabilityZone: az.name,
      AvailabilityZoneId: az.id,
      CidrBlock: `${base}.${s % 256}.0/24`,
      SubnetArn: `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/${subnetId}`,
      OwnerId: ACCOUNT,
      State: 'available',
      MapPublicIpOnLaunch: isPublic,
      Tags: [
        ...nameTag(`vpc-${vpc.index}-${isPublic ? 'public' : 'private'}-${s}`),
        { Key: 'tier', Value: isPublic ? 'public' : 'private' },
      ],
    });
    if (isPublic) publicIds.push(subnetId);
    else privateByAz[azIndex]?.push(subnetId);
  }
  return { publicIds, privateByAz };
};

const associationsOf = (gen: Generation, subnetIds: readonly string[]) =>
  subnetIds.map((SubnetId) => ({
    Main: false,
    SubnetId,
    RouteTableAssociationId: gen.next('rtbassoc'),
    AssociationState: { State: 'associated' as const },
  }));

/** A private AZ's routes: NAT by default, gateway endpoints, now and then a NAT route inside S3's list. */
const privateRoutes = (
  gen: Generation,
  local: Ec2Route,
  nat: string,
  gateways: Gateways
): Ec2Route[] => {
  const routes: Ec2Route[] = [
    local,
    route({ DestinationCidrBlock: '0.0.0.0/0' }, { NatGatewayId: nat }),
  ];
  if (gateways.present) {
    routes.push(
      route({ DestinationPrefixListId: S3_PL }, { GatewayId: gateways.s3 })
    );
    if (!gen.chance(0.1)) {
      routes.push(
        route(
          { DestinationPrefixListId: DDB_PL },
          { GatewayId: gateways.dynamodb }
        )
      );
    }
  }
  if (gen.chance(0.15)) {
    // A more-specific NAT route inside the S3 prefix list.
    routes.push(
      route({ DestinationCidrBlock: '52.216.0.0/16' }, { NatGatewayId: nat })
    );
  }
  return routes;
};

/**
 * The main table (local only, for subnets without an explicit
 * association), a public table and per-AZ private tables.
 *
 * @returns the private tables' ids, which gateway endpoints attach to
 */
const addRouteTables = (
  gen: Generation,
  vpc: GeneratedVpc,
  layout: SubnetLayout,
  igw: string,
  gateways: Gateways
): string[] => {
  const local: Ec2Route = {
    DestinationCidrBlock: vpc.cidr,
    GatewayId: 'local',
    Origin: 'CreateRouteTable',
    State: 'active',
  };
  gen.routeTables.push({
    RouteTableId: gen.next('rtb'),
    VpcId: vpc.id,
    Routes: [local],
    Associations: [
      {
        Main: true,
        RouteTableAssociationId: gen.next('rtbassoc'),
        AssociationState: { State: 'associated' },
      },
    ],
    Tags: nameTag(`vpc-${vpc.index}-main`),
  });
  if (layout.publicIds.length > 0) {
    gen.routeTables.push({
      RouteTableId: gen.next('rtb'),
      VpcId: vpc.id,
      Routes: [
        local,
        route({ DestinationCidrBlock: '0.0.0.0/0' }, { GatewayId: igw }),
      ],
      Associations: associationsOf(gen, layout.publicIds),
      Tags: nameTag(`vpc-${vpc.index}-public`),
    });
  }
  const privateTableIds: string[] = [];
  layout.privateByAz.forEach((ids, azIndex) => {
    if (ids.length === 0) return;
    const tableId = gen.next('rtb');
    const routes = privateRoutes(gen, local, gen.next('nat'), gateways);
    privateTableIds.push(tableId);
    gen.routeTables.push({
      RouteTableId: tableId,
      VpcId: vpc.id,
      Routes: routes,
      Associations: associationsOf(gen, ids),
      Tags: nameTag(
        `vpc-${vpc.index}-private-${AZS[azIndex]?.name ?? azIndex}`
      ),
    });
  });
  return privateTableIds;
};

/**
 * One group allowing 443 from the VPC, one without it.
 *
 * @returns their ids: HTTPS, then SSH
 */
const addSecurityGroups = (
  gen: Generation,
  vpc: GeneratedVpc
): readonly [string, string] => {
  const httpsGroup = gen.next('sg');
  const sshGroup = gen.next('sg');
  const ingress = (port: number): Ec2IpPermission => ({
    IpProtocol: 'tcp',
    FromPort: port,
    ToPort: port,
    IpRanges: [{ CidrIp: vpc.cidr }],
  });
  gen.groups.push(
    {
      GroupId: httpsGroup,
      GroupName: `vpc-${vpc.index}-endpoints`,
      VpcId: vpc.id,
      IpPermissions: [ingress(443)],
    },
    {
      GroupId: sshGroup,
      GroupName: `vpc-${vpc.index}-admin`,
      VpcId: vpc.id,
      IpPermissions: [ingress(22)],
    }
  );
  return [httpsGroup, sshGroup];
};

/**
 * `endpointCount` endpoints: the gateway pair first (when the VPC has
 * gateways), then interface endpoints over one to three private AZs.
 */
const addEndpoints = (
  gen: Generation,
  vpc: GeneratedVpc,
  endpointCount: number,
  context: {
    readonly layout: SubnetLayout;
    readonly gateways: Gateways;
    readonly privateTableIds: readonly string[];
    readonly groups: readonly [string, string];
  }
): void => {
  const { layout, gateways, privateTableIds, groups } = context;
  let made = 0;
  if (gateways.present) {
    for (const [id, service] of [
      [gateways.s3, 's3'],
      [gateways.dynamodb, 'dynamodb'],
    ] as const) {
      if (made >= endpointCount) break;
      gen.used.add(service);
      gen.endpoints.push({
        VpcEndpointId: id,
        VpcEndpointType: 'Gateway',
        VpcId: vpc.id,
        ServiceName: serviceName(service),
        State: 'available',
        PolicyDocument: JSON.stringify(pickPolicy(gen.random, service)),
        RouteTableIds: [...privateTableIds],
        SubnetIds: [],
        Groups: [],
        PrivateDnsEnabled: false,
        OwnerId: ACCOUNT,
        Tags: nameTag(`vpc-${vpc.index}-${service}`),
      });
      made++;
    }
  }
  const azsWithPrivate = layout.privateByAz.filter((ids) => ids.length > 0);
  for (let e = 0; made < endpointCount; e++, made++) {
    const service = INTERFACE_SERVICES[e % INTERFACE_SERVICES.length] ?? 'ssm';
    gen.used.add(service);
    const azCount = Math.min(
      azsWithPrivate.length,
      1 + Math.floor(gen.random() * 3)
    );
    const endpointSubnets = azsWithPrivate
      .slice(0, azCount)
      .map((ids) => gen.pick(ids));
    gen.endpoints.push({
      VpcEndpointId: gen.next('vpce'),
      VpcEndpointType: 'Interface',
      VpcId: vpc.id,
      ServiceName: serviceName(service),
      State: 'available',
      PolicyDocument: JSON.stringify(pickPolicy(gen.random, service)),
      RouteTableIds: [],
      SubnetIds: endpointSubnets,
      Groups: [{ GroupId: gen.chance(0.85) ? groups[0] : groups[1] }],
      PrivateDnsEnabled: !gen.chance(0.1),
      DnsOptions: { DnsRecordIpType: 'ipv4' },
      OwnerId: ACCOUNT,
      Tags: nameTag(`vpc-${vpc.index}-${service}`),
    });
  }
};

/** The S3 and DynamoDB prefix lists the gateway routes name. */
const PREFIX_LISTS: Landscape['PrefixLists'][number][] = [
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

/**
 * A realistic account-region: per VPC a /16 with public and private subnets
 * over three AZs, a main table, a public table and per-AZ private tables,
 * gateway and interface endpoints with a mix of policies, and security
 * groups with and without HTTPS ingress.
 */
const generateLandscape = (size: LandscapeSize, seed: number): Landscape => {
  const gen = startGeneration(seed);
  for (let v = 0; v < size.vpcs; v++) {
    const vpc = addVpc(gen, v);
    const layout = addSubnets(gen, vpc, share(size.subnets, size.vpcs, v));
    const igw = gen.next('igw');
    const present = gen.chance(0.8);
    const gateways = {
      present,
      s3: gen.next('vpce'),
      dynamodb: gen.next('vpce'),
    };
    const privateTableIds = addRouteTables(gen, vpc, layout, igw, gateways);
    const groups = addSecurityGroups(gen, vpc);
    addEndpoints(gen, vpc, share(size.endpoints, size.vpcs, v), {
      layout,
      gateways,
      privateTableIds,
      groups,
    });
  }
  return {
    AccountId: ACCOUNT,
    Region: REGION,
    Partition: 'aws',
    Vpcs: gen.vpcs,
    VpcAttributes: gen.attributes,
    Subnets: gen.subnets,
    RouteTables: gen.routeTables,
    VpcEndpoints: gen.endpoints,
    PrefixLists: structuredClone(PREFIX_LISTS),
    ServiceDetails: [
      serviceDetail('s3', ['Gateway']),
      serviceDetail('s3', ['Interface']),
      serviceDetail('dynamodb', ['Gateway']),
      ...INTERFACE_SERVICES.filter((service) => gen.used.has(service)).map(
        (service) => serviceDetail(service, ['Interface'])
      ),
    ],
    SecurityGroups: gen.groups,
  };
};

export type { Landscape, LandscapeSize };
export { generateLandscape };
