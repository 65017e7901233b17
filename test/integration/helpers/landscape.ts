/**
 * Builds VPC landscapes in moto with the real EC2 API, so integration tests
 * read back exactly the shapes AWS returns. Each VPC gets subnets in two AZs,
 * optionally an internet gateway, a public route table and a NAT gateway,
 * private route tables (one per AZ), and gateway and interface endpoints.
 *
 * CIDR layout of a VPC `a.b.0.0/16`: public subnet of AZ i is `a.b.i.0/24`;
 * private subnet j (counted over the whole VPC) is `a.b.(100+j).0/24`.
 */
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribePrefixListsCommand,
  DescribeRouteTablesCommand,
  type EC2Client,
  type IpPermission,
  ModifyVpcAttributeCommand,
  type ResourceType,
  type TagSpecification,
} from '@aws-sdk/client-ec2';

/** The region every landscape is built in (the harness sets `AWS_REGION`). */
export const LANDSCAPE_REGION = 'us-east-1';

/** The two AZs landscapes use; in moto they map to `use1-az6` and `use1-az1`. */
export const LANDSCAPE_AZS = ['us-east-1a', 'us-east-1b'] as const;

/** Which route tables a gateway endpoint is attached to. */
export type RouteTableSelection =
  /** Every private route table. */
  | 'private'
  /** The public route table only. */
  | 'public'
  /** Public and private route tables. */
  | 'all'
  /** No route table at all. */
  | 'none'
  /** Private route tables by AZ index (`[0]` = the first AZ's table). */
  | readonly number[];

/** A gateway endpoint to create (S3 or DynamoDB). */
export interface GatewayEndpointSpec {
  readonly service: 's3' | 'dynamodb';
  /** Route tables the endpoint adds its prefix-list route to; default `private`. */
  readonly routeTables?: RouteTableSelection;
  /** An endpoint policy document; moto's default is full access. */
  readonly policy?: unknown;
}

/** An extra ingress rule for an interface endpoint's security group. */
export interface IngressRuleSpec {
  readonly protocol: 'tcp' | 'udp' | '-1';
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidr: string;
}

/** An interface endpoint to create, with its own security group. */
export interface InterfaceEndpointSpec {
  /** A service label (`ssm`) or a full service name (`com.amazonaws.…`). */
  readonly service: string;
  /**
   * AZ indexes to place the endpoint in (one private subnet each, the first
   * of that AZ); default every AZ of the VPC.
   */
  readonly azs?: readonly number[];
  /** Whether the group allows TCP 443 from the VPC CIDR; default `true`. */
  readonly httpsFromVpc?: boolean;
  /** Further ingress rules for the group. */
  readonly extraIngress?: readonly IngressRuleSpec[];
  /** Private DNS; default `true`. */
  readonly privateDns?: boolean;
  /** An endpoint policy document; omitted means the default full access. */
  readonly policy?: unknown;
}

/** One VPC of a landscape. */
export interface VpcSpec {
  /** The `Name` tag, and the key to find the VPC in the result. */
  readonly name: string;
  /** A `/16` CIDR; default `10.<index>.0.0/16`. */
  readonly cidr?: string;
  /** `enableDnsSupport`; default `true`. */
  readonly dnsSupport?: boolean;
  /** `enableDnsHostnames`; default `true`. */
  readonly dnsHostnames?: boolean;
  /** Number of AZs (1 or 2) of {@link LANDSCAPE_AZS}; default 2. */
  readonly azCount?: 1 | 2;
  /** Private subnets over the whole VPC, spread round-robin over the AZs; default one per AZ. */
  readonly privateSubnets?: number;
  /**
   * An internet gateway, one public subnet per AZ with a public route table
   * (`0.0.0.0/0` → IGW) and a NAT gateway in the first public subnet that the
   * private route tables send `0.0.0.0/0` to; default `true`. Without it the
   * private route tables hold only the local route (and endpoint routes).
   */
  readonly internet?: boolean;
  readonly gatewayEndpoints?: readonly GatewayEndpointSpec[];
  readonly interfaceEndpoints?: readonly InterfaceEndpointSpec[];
  /** Extra tags on the VPC. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** What {@link buildLandscape} creates. */
export interface LandscapeSpec {
  readonly vpcs: readonly VpcSpec[];
}

/** A created subnet. */
export interface BuiltSubnet {
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly cidr: string;
  /** The route table it is explicitly associated with. */
  readonly routeTableId: string;
}

/** A created gateway endpoint. */
export interface BuiltGatewayEndpoint {
  readonly service: 's3' | 'dynamodb';
  readonly serviceName: string;
  readonly vpcEndpointId: string;
  /** The prefix list its routes point at. */
  readonly prefixListId: string;
  readonly routeTableIds: readonly string[];
}

/** A created interface endpoint. */
export interface BuiltInterfaceEndpoint {
  readonly serviceName: string;
  readonly vpcEndpointId: string;
  readonly securityGroupId: string;
  readonly subnetIds: readonly string[];
}

/** The ids of one created VPC. */
export interface BuiltVpc {
  readonly name: string;
  readonly vpcId: string;
  readonly cidr: string;
  /** The route table AWS created with the VPC. */
  readonly mainRouteTableId: string;
  readonly internetGatewayId?: string;
  readonly natGatewayId?: string;
  readonly publicRouteTableId?: string;
  readonly publicSubnets: readonly BuiltSubnet[];
  readonly privateSubnets: readonly BuiltSubnet[];
  /** One per AZ, in AZ order. */
  readonly privateRouteTableIds: readonly string[];
  readonly gatewayEndpoints: readonly BuiltGatewayEndpoint[];
  readonly interfaceEndpoints: readonly BuiltInterfaceEndpoint[];
}

/** The ids of a created landscape. */
export interface Landscape {
  readonly region: string;
  readonly vpcs: readonly BuiltVpc[];
  /** The VPC with that name; throws if there is none. */
  vpc(name: string): BuiltVpc;
}

/** The value, or an error naming what the API failed to return. */
const must = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) {
    throw new Error(`moto returned no ${what}`);
  }
  return value;
};

/** A `Name` tag (plus extras) for a resource created with `TagSpecifications`. */
const tagged = (
  type: ResourceType,
  name: string,
  extra: Readonly<Record<string, string>> = {}
): TagSpecification[] => [
  {
    ResourceType: type,
    Tags: Object.entries({ Name: name, ...extra }).map(([Key, Value]) => ({
      Key,
      Value,
    })),
  },
];

/** The full service name of a label (`ssm` → `com.amazonaws.us-east-1.ssm`). */
export const serviceName = (service: string): string =>
  service.includes('.')
    ? service
    : `com.amazonaws.${LANDSCAPE_REGION}.${service}`;

/** The `a.b` of an `a.b.0.0/16` CIDR. */
const sixteenPrefix = (cidr: string): string => {
  const match = /^(\d{1,3}\.\d{1,3})\.0\.0\/16$/.exec(cidr);
  if (match?.[1] === undefined) {
    throw new Error(`landscape VPCs need an a.b.0.0/16 CIDR, got ${cidr}`);
  }
  return match[1];
};

/** Resolves prefix-list ids by service name, with one lookup per builder run. */
const prefixListResolver = (ec2: EC2Client) => {
  let cache: Promise<Map<string, string>> | undefined;
  return async (name: string): Promise<string> => {
    cache ??= ec2
      .send(new DescribePrefixListsCommand({}))
      .then(
        (out) =>
          new Map(
            (out.PrefixLists ?? []).flatMap((list) =>
              list.PrefixListName !== undefined &&
              list.PrefixListId !== undefined
                ? [[list.PrefixListName, list.PrefixListId] as const]
                : []
            )
          )
      );
    return must((await cache).get(name), `prefix list ${name}`);
  };
};

/** Creates one VPC of a landscape. */
const buildVpc = async (
  ec2: EC2Client,
  spec: VpcSpec,
  index: number,
  prefixListId: (name: string) => Promise<string>
): Promise<BuiltVpc> => {
  const cidr = spec.cidr ?? `10.${index}.0.0/16`;
  const ab = sixteenPrefix(cidr);
  const azs = LANDSCAPE_AZS.slice(0, spec.azCount ?? 2);
  const internet = spec.internet ?? true;
  const name = spec.name;

  const vpcId = must(
    (
      await ec2.send(
        new CreateVpcCommand({
          CidrBlock: cidr,
          TagSpecifications: tagged('vpc', name, spec.tags),
        })
      )
    ).Vpc?.VpcId,
    'VpcId'
  );
  await ec2.send(
    new ModifyVpcAttributeCommand({
      VpcId: vpcId,
      EnableDnsSupport: { Value: spec.dnsSupport ?? true },
    })
  );
  await ec2.send(
    new ModifyVpcAttributeCommand({
      VpcId: vpcId,
      EnableDnsHostnames: { Value: spec.dnsHostnames ?? true },
    })
  );
  const mainRouteTableId = must(
    (
      await ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'association.main', Values: ['true'] },
          ],
        })
      )
    ).RouteTables?.[0]?.RouteTableId,
    'main route table'
  );

  const createSubnet = async (
    subnetCidr: string,
    az: string,
    subnetName: string
  ): Promise<string> =>
    must(
      (
        await ec2.send(
          new CreateSubnetCommand({
            VpcId: vpcId,
            CidrBlock: subnetCidr,
            AvailabilityZone: az,
            TagSpecifications: tagged('subnet', subnetName),
          })
        )
      ).Subnet?.SubnetId,
      'SubnetId'
    );
  const createRouteTable = async (tableName: string): Promise<string> =>
    must(
      (
        await ec2.send(
          new CreateRouteTableCommand({
            VpcId: vpcId,
            TagSpecifications: tagged('route-table', tableName),
          })
        )
      ).RouteTable?.RouteTableId,
      'RouteTableId'
    );
  const associate = async (routeTableId: string, subnetId: string) => {
    await ec2.send(
      new AssociateRouteTableCommand({
        RouteTableId: routeTableId,
        SubnetId: subnetId,
      })
    );
  };

  // Internet side: IGW, public subnets and route table, NAT gateway.
  let internetGatewayId: string | undefined;
  let natGatewayId: string | undefined;
  let publicRouteTableId: string | undefined;
  const publicSubnets: BuiltSubnet[] = [];
  if (internet) {
    internetGatewayId = must(
      (
        await ec2.send(
          new CreateInternetGatewayCommand({
            TagSpecifications: tagged('internet-gateway', `${name}-igw`),
          })
        )
      ).InternetGateway?.InternetGatewayId,
      'InternetGatewayId'
    );
    await ec2.send(
      new AttachInternetGatewayCommand({
        InternetGatewayId: internetGatewayId,
        VpcId: vpcId,
      })
    );
    const routeTableId = await createRouteTable(`${name}-public`);
    publicRouteTableId = routeTableId;
    await ec2.send(
      new CreateRouteCommand({
        RouteTableId: routeTableId,
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: internetGatewayId,
      })
    );
    for (const [i, az] of azs.entries()) {
      const subnetCidr = `${ab}.${i}.0/24`;
      const subnetId = await createSubnet(
        subnetCidr,
        az,
        `${name}-public-${az}`
      );
      await associate(routeTableId, subnetId);
      publicSubnets.push({
        subnetId,
        availabilityZone: az,
        cidr: subnetCidr,
        routeTableId,
      });
    }
    const allocationId = must(
      (await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' })))
        .AllocationId,
      'AllocationId'
    );
    natGatewayId = must(
      (
        await ec2.send(
          new CreateNatGatewayCommand({
            SubnetId: must(publicSubnets[0], 'public subnet').subnetId,
            AllocationId: allocationId,
            TagSpecifications: tagged('natgateway', `${name}-nat`),
          })
        )
      ).NatGateway?.NatGatewayId,
      'NatGatewayId'
    );
  }

  // Private side: one route table per AZ, subnets round-robin over the AZs.
  const privateRouteTableIds: string[] = [];
  for (const az of azs) {
    const routeTableId = await createRouteTable(`${name}-private-${az}`);
    if (natGatewayId !== undefined) {
      await ec2.send(
        new CreateRouteCommand({
          RouteTableId: routeTableId,
          DestinationCidrBlock: '0.0.0.0/0',
          NatGatewayId: natGatewayId,
        })
      );
    }
    privateRouteTableIds.push(routeTableId);
  }
  const privateSubnets: BuiltSubnet[] = [];
  const privateCount = spec.privateSubnets ?? azs.length;
  if (privateCount > 150) {
    throw new Error(`at most 150 private subnets per VPC, got ${privateCount}`);
  }
  for (let j = 0; j < privateCount; j += 1) {
    const azIndex = j % azs.length;
    const az = must(azs[azIndex], 'AZ');
    const routeTableId = must(privateRouteTableIds[azIndex], 'route table');
    const subnetCidr = `${ab}.${100 + j}.0/24`;
    const subnetId = await createSubnet(
      subnetCidr,
      az,
      `${name}-private-${j + 1}`
    );
    await associate(routeTableId, subnetId);
    privateSubnets.push({
      subnetId,
      availabilityZone: az,
      cidr: subnetCidr,
      routeTableId,
    });
  }

  const selectRouteTables = (selection: RouteTableSelection): string[] => {
    const publicIds =
      publicRouteTableId === undefined ? [] : [publicRouteTableId];
    if (selection === 'private') return [...privateRouteTableIds];
    if (selection === 'public') return publicIds;
    if (selection === 'all') return [...publicIds, ...privateRouteTableIds];
    if (selection === 'none') return [];
    return selection.map((i) =>
      must(privateRouteTableIds[i], `private route table #${i}`)
    );
  };

  const gatewayEndpoints: BuiltGatewayEndpoint[] = [];
  for (const gateway of spec.gatewayEndpoints ?? []) {
    const fullName = serviceName(gateway.service);
    const routeTableIds = selectRouteTables(gateway.routeTables ?? 'private');
    const vpcEndpointId = must(
      (
        await ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: vpcId,
            VpcEndpointType: 'Gateway',
            ServiceName: fullName,
            RouteTableIds: routeTableIds,
            PolicyDocument:
              gateway.policy === undefined
                ? undefined
                : JSON.stringify(gateway.policy),
          })
        )
      ).VpcEndpoint?.VpcEndpointId,
      'VpcEndpointId'
    );
    gatewayEndpoints.push({
      service: gateway.service,
      serviceName: fullName,
      vpcEndpointId,
      prefixListId: await prefixListId(fullName),
      routeTableIds,
    });
  }

  const interfaceEndpoints: BuiltInterfaceEndpoint[] = [];
  for (const [k, iface] of (spec.interfaceEndpoints ?? []).entries()) {
    const fullName = serviceName(iface.service);
    const label = fullName.split('.').at(-1) ?? `endpoint-${k}`;
    const securityGroupId = must(
      (
        await ec2.send(
          new CreateSecurityGroupCommand({
            VpcId: vpcId,
            GroupName: `${name}-${label}-${k}-endpoint`,
            Description: `${fullName} interface endpoint`,
          })
        )
      ).GroupId,
      'GroupId'
    );
    const permissions: IpPermission[] = [
      ...((iface.httpsFromVpc ?? true)
        ? [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidr } as const]
        : []),
      ...(iface.extraIngress ?? []),
    ].map((rule) => ({
      IpProtocol: rule.protocol,
      FromPort: rule.fromPort,
      ToPort: rule.toPort,
      IpRanges: [{ CidrIp: rule.cidr }],
    }));
    if (permissions.length > 0) {
      await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: securityGroupId,
          IpPermissions: permissions,
        })
      );
    }
    const subnetIds = (iface.azs ?? azs.map((_, i) => i)).map((azIndex) => {
      const az = must(azs[azIndex], `AZ #${azIndex}`);
      return must(
        privateSubnets.find((s) => s.availabilityZone === az),
        `private subnet in ${az}`
      ).subnetId;
    });
    const vpcEndpointId = must(
      (
        await ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: vpcId,
            VpcEndpointType: 'Interface',
            ServiceName: fullName,
            SubnetIds: subnetIds,
            SecurityGroupIds: [securityGroupId],
            PrivateDnsEnabled: iface.privateDns ?? true,
            PolicyDocument:
              iface.policy === undefined
                ? undefined
                : JSON.stringify(iface.policy),
          })
        )
      ).VpcEndpoint?.VpcEndpointId,
      'VpcEndpointId'
    );
    interfaceEndpoints.push({
      serviceName: fullName,
      vpcEndpointId,
      securityGroupId,
      subnetIds,
    });
  }

  return {
    name,
    vpcId,
    cidr,
    mainRouteTableId,
    ...(internetGatewayId === undefined ? {} : { internetGatewayId }),
    ...(natGatewayId === undefined ? {} : { natGatewayId }),
    ...(publicRouteTableId === undefined ? {} : { publicRouteTableId }),
    publicSubnets,
    privateSubnets,
    privateRouteTableIds,
    gatewayEndpoints,
    interfaceEndpoints,
  };
};

/** Wraps built VPCs in a {@link Landscape}. */
const landscapeOf = (vpcs: readonly BuiltVpc[]): Landscape => ({
  region: LANDSCAPE_REGION,
  vpcs,
  vpc(name) {
    return must(
      vpcs.find((v) => v.name === name),
      `VPC named ${name} in this landscape`
    );
  },
});

/**
 * Creates the VPCs of `spec` in moto, one after the other, and returns the
 * ids of everything created.
 *
 * @example
 * const landscape = await buildLandscape(new EC2Client({}), {
 *   vpcs: [{
 *     name: 'app',
 *     gatewayEndpoints: [{ service: 's3', routeTables: [0] }],
 *     interfaceEndpoints: [{ service: 'ssm', httpsFromVpc: false }],
 *   }],
 * });
 */
export const buildLandscape = async (
  ec2: EC2Client,
  spec: LandscapeSpec
): Promise<Landscape> => {
  const names = new Set(spec.vpcs.map((v) => v.name));
  if (names.size !== spec.vpcs.length) {
    throw new Error('landscape VPC names must be unique');
  }
  const prefixListId = prefixListResolver(ec2);
  const vpcs: BuiltVpc[] = [];
  for (const [index, vpcSpec] of spec.vpcs.entries()) {
    vpcs.push(await buildVpc(ec2, vpcSpec, index, prefixListId));
  }
  return landscapeOf(vpcs);
};

/** Size of a {@link buildScaledLandscape} landscape. */
export interface ScaledLandscapeSpec {
  /** Number of VPCs (at most 250: CIDRs are `10.<i>.0.0/16`). */
  readonly vpcs: number;
  /** Private subnets per VPC, spread over two AZs. */
  readonly subnetsPerVpc: number;
}

/**
 * Creates `vpcs` identical VPCs for call-budget tests. Each VPC, `scale-<i>`,
 * has exactly `subnetsPerVpc` subnets (all private, no internet gateway or
 * NAT), one route table per AZ, an S3 gateway endpoint on both route tables
 * and an SSM interface endpoint in both AZs with HTTPS from the VPC allowed.
 */
export const buildScaledLandscape = async (
  ec2: EC2Client,
  size: ScaledLandscapeSpec
): Promise<Landscape> => {
  if (size.vpcs > 250 || size.subnetsPerVpc < 2) {
    throw new Error('a scaled landscape needs ≤ 250 VPCs and ≥ 2 subnets each');
  }
  return buildLandscape(ec2, {
    vpcs: Array.from({ length: size.vpcs }, (_, i) => ({
      name: `scale-${i}`,
      internet: false,
      privateSubnets: size.subnetsPerVpc,
      gatewayEndpoints: [{ service: 's3' }],
      interfaceEndpoints: [{ service: 'ssm' }],
    })),
  });
};
