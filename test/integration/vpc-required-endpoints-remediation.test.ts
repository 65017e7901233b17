/**
 * The SSM document of `vpc-required-endpoints`
 * (rules/vpc-required-endpoints/remediation.yaml) against moto: its planning
 * script picks one private subnet per AZ where a missing service is offered,
 * its create script creates the endpoints, and `scan --region` then finds
 * the VPC COMPLIANT. The scripts run in python3 with boto3, which reaches
 * moto through the AWS_ENDPOINT_URL the harness exports.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { runCli, writeTemp } from '../helpers/cli.js';
import {
  type AutomationDocument,
  loadDocument,
  runScriptStep,
} from '../helpers/ssm-document.js';
import {
  type BuiltVpc,
  buildLandscape,
  LANDSCAPE_REGION,
  type Landscape,
} from './helpers/landscape.js';
import { motoEndpoint, resetMoto } from './helpers/moto.js';

/** What the `PlanEndpoints` step returns. */
interface Plan {
  readonly ServicesToCreate: string[];
  readonly EndpointsToCreate: string;
  readonly Action: string;
  readonly Plan: string[];
}

/** One endpoint of a plan's `EndpointsToCreate`. */
interface PlannedEndpoint {
  readonly Service: string;
  readonly ServiceName: string;
  readonly SubnetIds: string[];
  readonly PrivateDnsEnabled: boolean;
}

/** What the `CreateEndpoints` step returns. */
interface Created {
  readonly VpcEndpointIds: string[];
  readonly Created: string[];
}

interface JsonEvaluation {
  readonly ruleId: string;
  readonly resourceId: string;
  readonly complianceType: string;
  readonly annotation: string;
}

const RULE = 'vpc-required-endpoints';

const document: AutomationDocument = loadDocument(
  `rules/${RULE}/remediation.yaml`
);

const plan = (
  vpc: BuiltVpc,
  requiredServices: readonly string[],
  securityGroupIds: readonly string[]
): Plan =>
  runScriptStep(document, 'PlanEndpoints', {
    VpcId: vpc.vpcId,
    Region: LANDSCAPE_REGION,
    RequiredServices: requiredServices,
    SecurityGroupIds: securityGroupIds,
  }) as Plan;

const plannedEndpoints = (result: Plan): PlannedEndpoint[] =>
  JSON.parse(result.EndpointsToCreate) as PlannedEndpoint[];

/** The rule's verdict of one VPC from `scan --region`, with ssm and ec2 required. */
const verdictOf = async (vpcId: string): Promise<JsonEvaluation> => {
  const params = writeTemp('rule-params.json', {
    [RULE]: { requiredServices: 'ssm,ec2' },
  });
  const result = await runCli(
    'scan',
    '--region',
    LANDSCAPE_REGION,
    '--rules',
    RULE,
    '--rule-params',
    params,
    '--format',
    'json',
    '--exit-zero'
  );
  expect({ status: result.status, stderr: result.stderr }).toEqual({
    status: 0,
    stderr: '',
  });
  const evaluations = (
    JSON.parse(result.stdout) as { evaluations: JsonEvaluation[] }
  ).evaluations;
  const found = evaluations.find((e) => e.resourceId === vpcId);
  if (found === undefined) throw new Error(`no evaluation of ${vpcId}`);
  return found;
};

const sorted = (values: Iterable<string>): string[] => [...values].sort();

/** Takes `count` addresses of a subnet, with network interfaces. */
const useAddresses = async (
  ec2: EC2Client,
  subnetId: string,
  count: number
): Promise<void> => {
  for (let i = 0; i < count; i += 1) {
    await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }));
  }
};

/** The ids of `vpc`'s private subnets at `indexes` (in creation order). */
const privateSubnetIds = (
  vpc: BuiltVpc,
  indexes: readonly number[]
): string[] => indexes.map((i) => vpc.privateSubnets[i]?.subnetId ?? '');

describe('VpceGuard-VpcRequiredEndpoints against moto', () => {
  const ec2 = new EC2Client({});
  let landscape: Landscape;
  let endpointGroupId: string;

  beforeAll(async () => {
    // Refuses a non-loopback endpoint before any script can call AWS.
    motoEndpoint();
    await resetMoto();
    landscape = await buildLandscape(ec2, {
      vpcs: [
        // A public subnet in each AZ and two private ones (0 and 2 in the
        // first AZ, 1 and 3 in the second).
        { name: 'planned', privateSubnets: 4 },
        { name: 'fixed', privateSubnets: 2 },
        { name: 'no-hostnames', privateSubnets: 2, dnsHostnames: false },
      ],
    });
    // The public subnets keep the most free addresses, and private subnets
    // 0 and 1 more than 2 and 3: only a plan that skips public subnets and
    // then prefers free addresses picks 0 and 1.
    const [first, second, third, fourth] = privateSubnetIds(
      landscape.vpc('planned'),
      [0, 1, 2, 3]
    );
    for (const [subnetId, count] of [
      [first, 2],
      [second, 2],
      [third, 4],
      [fourth, 4],
    ] as const) {
      await useAddresses(ec2, subnetId ?? '', count);
    }
    const fixed = landscape.vpc('fixed');
    for (const subnet of fixed.privateSubnets) {
      await useAddresses(ec2, subnet.subnetId, 2);
    }
    endpointGroupId =
      (
        await ec2.send(
          new CreateSecurityGroupCommand({
            VpcId: fixed.vpcId,
            GroupName: 'fixed-endpoints',
            Description: 'interface endpoints',
          })
        )
      ).GroupId ?? '';
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: endpointGroupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            IpRanges: [{ CidrIp: fixed.cidr }],
          },
        ],
      })
    );
  });

  it('plans ssm and ec2 in the private subnet with the most free addresses of each AZ, with private DNS, and leaves s3 to a gateway endpoint', () => {
    // Arrange
    const vpc = landscape.vpc('planned');
    const chosen = sorted(privateSubnetIds(vpc, [0, 1]));

    // Act
    const result = plan(vpc, ['ssm', 'ec2', 's3'], ['sg-0123456789abcdef0']);

    // Assert
    expect(result.Action).toBe('create');
    expect(result.ServicesToCreate).toEqual(['ssm', 'ec2']);
    expect(
      plannedEndpoints(result).map((e) => ({
        ...e,
        SubnetIds: sorted(e.SubnetIds),
      }))
    ).toEqual([
      {
        Service: 'ssm',
        ServiceName: `com.amazonaws.${LANDSCAPE_REGION}.ssm`,
        SubnetIds: chosen,
        PrivateDnsEnabled: true,
      },
      {
        Service: 'ec2',
        ServiceName: `com.amazonaws.${LANDSCAPE_REGION}.ec2`,
        SubnetIds: chosen,
        PrivateDnsEnabled: true,
      },
    ]);
    expect(result.Plan).toContainEqual(
      expect.stringMatching(/^s3: create a gateway endpoint/)
    );
  });

  it('plans private DNS off, and says why, in a VPC without DNS hostnames', () => {
    // Arrange
    const vpc = landscape.vpc('no-hostnames');

    // Act
    const result = plan(vpc, ['ssm'], []);

    // Assert
    expect(plannedEndpoints(result)).toEqual([
      expect.objectContaining({ Service: 'ssm', PrivateDnsEnabled: false }),
    ]);
    expect(result.Plan).toContainEqual(
      `private DNS off: enableDnsHostnames is false on ${vpc.vpcId}, and private DNS needs both; clients keep resolving the public names until you turn them on and enable private DNS (interface-endpoint-private-dns runbook)`
    );
    expect(result.Plan).toContainEqual(
      expect.stringMatching(
        /^no SecurityGroupIds: the VPC's default security group is used/
      )
    );
  });

  it('creates the planned endpoints, after which the rule finds the VPC COMPLIANT and a new plan creates nothing', async () => {
    // Arrange
    const vpc = landscape.vpc('fixed');
    const before = await verdictOf(vpc.vpcId);
    const planned = plan(vpc, ['ssm', 'ec2'], [endpointGroupId]);

    // Act
    const created = runScriptStep(document, 'CreateEndpoints', {
      VpcId: vpc.vpcId,
      Region: LANDSCAPE_REGION,
      EndpointsToCreate: planned.EndpointsToCreate,
      SecurityGroupIds: [endpointGroupId],
      ExecutionId: '00000000-0000-4000-8000-000000000000',
    }) as Created;

    // Assert
    expect(before).toMatchObject({
      complianceType: 'NON_COMPLIANT',
      annotation:
        'no private access to ssm and ec2: no available interface endpoint in the VPC, no associated private hosted zone for their DNS names',
    });
    expect(created.VpcEndpointIds).toHaveLength(2);
    const { VpcEndpoints: endpoints = [] } = await ec2.send(
      new DescribeVpcEndpointsCommand({
        VpcEndpointIds: created.VpcEndpointIds,
      })
    );
    expect(sorted(endpoints.map((e) => e.ServiceName ?? ''))).toEqual([
      `com.amazonaws.${LANDSCAPE_REGION}.ec2`,
      `com.amazonaws.${LANDSCAPE_REGION}.ssm`,
    ]);
    for (const endpoint of endpoints) {
      expect(endpoint).toMatchObject({
        VpcId: vpc.vpcId,
        VpcEndpointType: 'Interface',
        State: 'available',
        PrivateDnsEnabled: true,
      });
      expect(sorted(endpoint.SubnetIds ?? [])).toEqual(
        sorted(vpc.privateSubnets.map((s) => s.subnetId))
      );
      expect(endpoint.Groups?.map((g) => g.GroupId)).toEqual([endpointGroupId]);
    }
    expect(await verdictOf(vpc.vpcId)).toMatchObject({
      complianceType: 'COMPLIANT',
      annotation: 'private access to ssm and ec2 through endpoints in the VPC',
    });
    const again = plan(vpc, ['ssm', 'ec2'], [endpointGroupId]);
    expect(again).toMatchObject({ Action: 'none', ServicesToCreate: [] });
  });
});
