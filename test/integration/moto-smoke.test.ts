/**
 * Proves the integration harness: moto answers on loopback, the landscape
 * builder creates what it reports, and `resetMoto()` wipes it again.
 */
import {
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  buildLandscape,
  buildScaledLandscape,
  type Landscape,
} from './helpers/landscape.js';
import { motoEndpoint, resetMoto } from './helpers/moto.js';

const ec2 = new EC2Client({});

/** VPC ids moto holds apart from its default VPC. */
const customVpcIds = async (): Promise<string[]> => {
  const { Vpcs = [] } = await ec2.send(new DescribeVpcsCommand({}));
  return Vpcs.filter((v) => v.IsDefault !== true).map((v) => v.VpcId ?? '');
};

describe('moto harness', () => {
  it('points the SDK at moto on loopback with test credentials', async () => {
    expect(motoEndpoint()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(process.env.AWS_REGION).toBe('us-east-1');
    expect(process.env.AWS_PROFILE).toBeUndefined();
    expect(await ec2.config.region()).toBe('us-east-1');
  });
});

describe('buildLandscape', () => {
  let landscape: Landscape;

  beforeAll(async () => {
    await resetMoto();
    landscape = await buildLandscape(ec2, {
      vpcs: [
        {
          name: 'app',
          gatewayEndpoints: [{ service: 's3', routeTables: [0] }],
          interfaceEndpoints: [
            { service: 'ssm', httpsFromVpc: false, privateDns: false },
          ],
        },
        {
          name: 'data',
          cidr: '10.50.0.0/16',
          dnsHostnames: false,
          internet: false,
          gatewayEndpoints: [
            {
              service: 'dynamodb',
              policy: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: '*',
                    Action: 'dynamodb:GetItem',
                    Resource: '*',
                  },
                ],
              },
            },
          ],
        },
      ],
    });
  });

  it('creates the VPCs with their CIDRs and DNS attributes', async () => {
    const app = landscape.vpc('app');
    const data = landscape.vpc('data');
    const { Vpcs = [] } = await ec2.send(
      new DescribeVpcsCommand({ VpcIds: [app.vpcId, data.vpcId] })
    );
    expect(Vpcs.map((v) => v.CidrBlock).sort()).toEqual([
      '10.0.0.0/16',
      '10.50.0.0/16',
    ]);
    const hostnames = await ec2.send(
      new DescribeVpcAttributeCommand({
        VpcId: data.vpcId,
        Attribute: 'enableDnsHostnames',
      })
    );
    expect(hostnames.EnableDnsHostnames?.Value).toBe(false);
  });

  it('places subnets in two AZs with their AZ IDs', async () => {
    const app = landscape.vpc('app');
    const { Subnets = [] } = await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [{ Name: 'vpc-id', Values: [app.vpcId] }],
      })
    );
    expect(Subnets).toHaveLength(4);
    expect(new Set(Subnets.map((s) => s.AvailabilityZone))).toEqual(
      new Set(['us-east-1a', 'us-east-1b'])
    );
    expect(
      Subnets.every((s) => s.AvailabilityZoneId?.startsWith('use1-'))
    ).toBe(true);
  });

  it('routes public traffic to the IGW and private traffic to the NAT gateway', async () => {
    const app = landscape.vpc('app');
    const { RouteTables = [] } = await ec2.send(
      new DescribeRouteTablesCommand({
        RouteTableIds: [
          app.publicRouteTableId ?? '',
          ...app.privateRouteTableIds,
        ],
      })
    );
    const defaultRoute = (id: string) =>
      RouteTables.find((t) => t.RouteTableId === id)?.Routes?.find(
        (r) => r.DestinationCidrBlock === '0.0.0.0/0'
      );
    expect(defaultRoute(app.publicRouteTableId ?? '')?.GatewayId).toBe(
      app.internetGatewayId
    );
    for (const id of app.privateRouteTableIds) {
      expect(defaultRoute(id)?.NatGatewayId).toBe(app.natGatewayId);
    }
  });

  it('adds the gateway endpoint route to the chosen route table only', async () => {
    const app = landscape.vpc('app');
    const [s3] = app.gatewayEndpoints;
    const { RouteTables = [] } = await ec2.send(
      new DescribeRouteTablesCommand({
        RouteTableIds: [...app.privateRouteTableIds],
      })
    );
    const endpointRoutes = (id: string | undefined) =>
      RouteTables.find((t) => t.RouteTableId === id)?.Routes?.filter(
        (r) => r.DestinationPrefixListId !== undefined
      );
    expect(endpointRoutes(app.privateRouteTableIds[0])).toEqual([
      expect.objectContaining({
        DestinationPrefixListId: s3?.prefixListId,
        GatewayId: s3?.vpcEndpointId,
      }),
    ]);
    expect(endpointRoutes(app.privateRouteTableIds[1])).toEqual([]);
  });

  it('creates endpoints with the requested policy, DNS and security group', async () => {
    const app = landscape.vpc('app');
    const data = landscape.vpc('data');
    const ssm = app.interfaceEndpoints[0];
    const dynamodb = data.gatewayEndpoints[0];
    const { VpcEndpoints = [] } = await ec2.send(
      new DescribeVpcEndpointsCommand({
        VpcEndpointIds: [
          ssm?.vpcEndpointId ?? '',
          dynamodb?.vpcEndpointId ?? '',
        ],
      })
    );
    const byId = (id: string | undefined) =>
      VpcEndpoints.find((e) => e.VpcEndpointId === id);
    expect(byId(ssm?.vpcEndpointId)).toMatchObject({
      VpcEndpointType: 'Interface',
      ServiceName: 'com.amazonaws.us-east-1.ssm',
      PrivateDnsEnabled: false,
      SubnetIds: expect.arrayContaining([...(ssm?.subnetIds ?? [])]),
      Groups: [expect.objectContaining({ GroupId: ssm?.securityGroupId })],
    });
    expect(
      JSON.parse(byId(dynamodb?.vpcEndpointId)?.PolicyDocument ?? '{}')
    ).toMatchObject({ Statement: [{ Action: 'dynamodb:GetItem' }] });
    const { SecurityGroups = [] } = await ec2.send(
      new DescribeSecurityGroupsCommand({
        GroupIds: [ssm?.securityGroupId ?? ''],
      })
    );
    expect(SecurityGroups[0]?.IpPermissions).toEqual([]);
  });

  it('leaves only the default VPC after resetMoto', async () => {
    expect(await customVpcIds()).toHaveLength(2);
    await resetMoto();
    expect(await customVpcIds()).toEqual([]);
  });
});

describe('buildScaledLandscape', () => {
  it('creates N VPCs with M subnets and both endpoint kinds each', async () => {
    await resetMoto();
    const landscape = await buildScaledLandscape(ec2, {
      vpcs: 3,
      subnetsPerVpc: 4,
    });
    expect(await customVpcIds()).toHaveLength(3);
    const { Subnets = [] } = await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: landscape.vpcs.map((v) => v.vpcId) },
        ],
      })
    );
    expect(Subnets).toHaveLength(12);
    const { VpcEndpoints = [] } = await ec2.send(
      new DescribeVpcEndpointsCommand({})
    );
    expect(VpcEndpoints.map((e) => e.VpcEndpointType).sort()).toEqual([
      'Gateway',
      'Gateway',
      'Gateway',
      'Interface',
      'Interface',
      'Interface',
    ]);
  });
});
