import { readFileSync } from 'node:fs';
import {
  DescribePrefixListsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  type DescribeVpcAttributeCommandInput,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  type LoadScope,
  loadSnapshotFromEc2,
} from '../../../functions/shared/aws/ec2-inventory.js';
import {
  AccessDeniedError,
  AwsCallError,
} from '../../../functions/shared/errors.js';
import { readAccountRegion } from '../../../functions/shared/formats/snapshot.js';
import type {
  AccountRegionSnapshot,
  Ec2RouteTable,
  Ec2SecurityGroup,
  Ec2ServiceDetail,
  Ec2Subnet,
  Ec2Vpc,
  Ec2VpcEndpoint,
} from '../../../functions/shared/formats/snapshot-schema.js';
import { findRule, rules } from '../../../rules/index.js';
import { serveSnapshot } from '../../helpers/ec2-mock.js';
import {
  ACCOUNT,
  DYNAMODB_PREFIX_LIST,
  endpoint,
  REGION,
  routeTable,
  S3_PREFIX_LIST,
  securityGroup,
  serviceDetail,
  subnet,
  vpc,
} from '../../helpers/factories.js';

const ec2Mock = mockClient(EC2Client);
const ec2 = new EC2Client({ region: REGION });
const PRINCIPAL = 'vpce-guard-member-role';
const SCOPE: LoadScope = {
  accountId: ACCOUNT,
  region: REGION,
  partition: 'aws',
};

/** The SDK's item types are stricter enums; the factories print the wire. */
// biome-ignore lint/suspicious/noExplicitAny: mock responses cross that gap
const wire = (items: readonly unknown[]): any[] => [...items];

/** An SDK error as the client throws it. */
const awsError = (name: string, message: string, status = 400): Error =>
  Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: status },
  });

type CommandClass = abstract new (...args: never[]) => unknown;

/** The inputs of every call of one command, in call order. */
const inputsOf = (command: CommandClass): Record<string, unknown>[] =>
  ec2Mock
    .calls()
    .map((call) => call.args[0] as unknown)
    .filter((sent) => sent instanceof command)
    .map((sent) => (sent as { input: Record<string, unknown> }).input);

/** What the account-region holds; every list answers on one page. */
interface Landscape {
  readonly vpcs?: readonly Ec2Vpc[];
  readonly subnets?: readonly Ec2Subnet[];
  readonly routeTables?: readonly Ec2RouteTable[];
  readonly endpoints?: readonly Ec2VpcEndpoint[];
  readonly serviceDetails?: readonly Ec2ServiceDetail[];
  readonly securityGroups?: readonly Ec2SecurityGroup[];
}

const givenLandscape = (landscape: Landscape): void => {
  ec2Mock
    .on(DescribeVpcsCommand)
    .resolves({ Vpcs: wire(landscape.vpcs ?? []) });
  ec2Mock
    .on(DescribeSubnetsCommand)
    .resolves({ Subnets: wire(landscape.subnets ?? []) });
  ec2Mock
    .on(DescribeRouteTablesCommand)
    .resolves({ RouteTables: wire(landscape.routeTables ?? []) });
  ec2Mock
    .on(DescribeVpcEndpointsCommand)
    .resolves({ VpcEndpoints: wire(landscape.endpoints ?? []) });
  ec2Mock
    .on(DescribeVpcEndpointServicesCommand)
    .resolves({ ServiceDetails: wire(landscape.serviceDetails ?? []) });
  ec2Mock
    .on(DescribeSecurityGroupsCommand)
    .resolves({ SecurityGroups: wire(landscape.securityGroups ?? []) });
};

/** DescribeVpcAttribute answers for the VPC and attribute it was asked. */
const answerVpcAttributes = (value = true): void => {
  ec2Mock
    .on(DescribeVpcAttributeCommand)
    .callsFake((input: DescribeVpcAttributeCommandInput) =>
      input.Attribute === 'enableDnsSupport'
        ? { VpcId: input.VpcId, EnableDnsSupport: { Value: value } }
        : { VpcId: input.VpcId, EnableDnsHostnames: { Value: value } }
    );
};

/**
 * `vpc-1` … `vpc-N`, each with a main route table, one interface endpoint
 * and its own security group; the subnets are spread over the VPCs.
 */
const landscapeOf = (vpcCount: number, subnetCount: number): Landscape => {
  const vpcIds = Array.from({ length: vpcCount }, (_, i) => `vpc-${i + 1}`);
  const vpcIdOf = (index: number): string =>
    vpcIds[index % vpcCount] ?? 'vpc-1';
  return {
    vpcs: vpcIds.map((id) => vpc(id)),
    subnets: Array.from({ length: subnetCount }, (_, i) =>
      subnet(`subnet-${i + 1}`, { vpcId: vpcIdOf(i) })
    ),
    routeTables: vpcIds.map((id) =>
      routeTable(`rtb-${id}`, { vpcId: id, main: true })
    ),
    endpoints: vpcIds.map((id) =>
      endpoint(`vpce-${id}`, {
        vpcId: id,
        subnets: [],
        groups: [`sg-${id}`],
      })
    ),
    serviceDetails: [serviceDetail('ssm', ['Interface'])],
    securityGroups: vpcIds.map((id) => securityGroup(`sg-${id}`, [], id)),
  };
};

beforeEach(() => {
  ec2Mock.reset();
  givenLandscape({});
  answerVpcAttributes();
  ec2Mock
    .on(DescribePrefixListsCommand)
    .resolves({ PrefixLists: [S3_PREFIX_LIST, DYNAMODB_PREFIX_LIST] });
  ec2Mock.on(GetManagedPrefixListEntriesCommand).resolves({ Entries: [] });
});

describe('loadSnapshotFromEc2 pagination', () => {
  it('concatenates the items of every page', async () => {
    // Arrange
    givenLandscape({ vpcs: [vpc('vpc-1')] });
    ec2Mock
      .on(DescribeSubnetsCommand)
      .resolvesOnce({ Subnets: wire([subnet('subnet-1')]), NextToken: 't1' })
      .resolvesOnce({ Subnets: wire([subnet('subnet-2')]), NextToken: 't2' })
      .resolvesOnce({ Subnets: wire([subnet('subnet-3')]) });
    ec2Mock
      .on(DescribeRouteTablesCommand)
      .resolvesOnce({
        RouteTables: wire([routeTable('rtb-1', { main: true })]),
        NextToken: 't',
      })
      .resolvesOnce({ RouteTables: wire([routeTable('rtb-2')]) });

    // Act
    const snapshot = await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    expect(snapshot.Subnets.map((s) => s.SubnetId)).toEqual([
      'subnet-1',
      'subnet-2',
      'subnet-3',
    ]);
    expect(snapshot.RouteTables.map((t) => t.RouteTableId)).toEqual([
      'rtb-1',
      'rtb-2',
    ]);
    expect(inputsOf(DescribeSubnetsCommand)).toHaveLength(3);
  });

  it.each([
    ['DescribeVpcs', 1000, DescribeVpcsCommand],
    ['DescribeSubnets', 1000, DescribeSubnetsCommand],
    ['DescribeRouteTables', 100, DescribeRouteTablesCommand],
    ['DescribeVpcEndpoints', 1000, DescribeVpcEndpointsCommand],
  ] as const)(
    'asks %s for pages of %i, the most it allows',
    async (_name, pageSize, command) => {
      // Act
      await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

      // Assert
      expect(inputsOf(command)[0]?.MaxResults).toBe(pageSize);
    }
  );
});

describe('loadSnapshotFromEc2 scope', () => {
  const phaseOne = [
    ['DescribeVpcs', DescribeVpcsCommand],
    ['DescribeSubnets', DescribeSubnetsCommand],
    ['DescribeRouteTables', DescribeRouteTablesCommand],
    ['DescribeVpcEndpoints', DescribeVpcEndpointsCommand],
  ] as const;

  it.each(phaseOne)(
    'filters %s by vpc-id when one VPC is asked for',
    async (_name, command) => {
      // Act
      await loadSnapshotFromEc2(ec2, { ...SCOPE, vpcId: 'vpc-7' }, PRINCIPAL);

      // Assert
      expect(inputsOf(command)[0]?.Filters).toEqual([
        { Name: 'vpc-id', Values: ['vpc-7'] },
      ]);
    }
  );

  it.each(phaseOne)(
    'sends %s without a filter for the whole account-region',
    async (_name, command) => {
      // Act
      await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

      // Assert
      expect(inputsOf(command)[0]?.Filters).toBeUndefined();
    }
  );
});

describe('loadSnapshotFromEc2 VPC attributes', () => {
  it('asks both DNS attributes only of VPCs with an interface endpoint', async () => {
    // Arrange: vpc-2 has only a gateway endpoint, vpc-3 none.
    givenLandscape({
      vpcs: [vpc('vpc-1'), vpc('vpc-2'), vpc('vpc-3')],
      endpoints: [
        endpoint('vpce-1', { vpcId: 'vpc-1' }),
        endpoint('vpce-2', { vpcId: 'vpc-1', service: 'ec2' }),
        endpoint('vpce-3', { vpcId: 'vpc-2', type: 'Gateway', service: 's3' }),
      ],
    });
    answerVpcAttributes(false);

    // Act
    const snapshot = await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    expect(inputsOf(DescribeVpcAttributeCommand)).toEqual(
      expect.arrayContaining([
        { VpcId: 'vpc-1', Attribute: 'enableDnsSupport' },
        { VpcId: 'vpc-1', Attribute: 'enableDnsHostnames' },
      ])
    );
    expect(inputsOf(DescribeVpcAttributeCommand)).toHaveLength(2);
    expect(snapshot.VpcAttributes).toEqual([
      {
        VpcId: 'vpc-1',
        EnableDnsSupport: { Value: false },
        EnableDnsHostnames: { Value: false },
      },
    ]);
  });

  it('keeps at most five VPCs in flight', async () => {
    // Arrange
    givenLandscape(landscapeOf(12, 12));
    const inFlight = new Map<string, number>();
    let mostVpcs = 0;
    ec2Mock
      .on(DescribeVpcAttributeCommand)
      .callsFake(async (input: DescribeVpcAttributeCommandInput) => {
        const vpcId = input.VpcId ?? '';
        inFlight.set(vpcId, (inFlight.get(vpcId) ?? 0) + 1);
        mostVpcs = Math.max(mostVpcs, inFlight.size);
        // Hold the call until every call that could start has started:
        // setImmediate runs after the pending promise jobs, whatever the
        // machine's speed.
        await new Promise((resolve) => setImmediate(resolve));
        const left = (inFlight.get(vpcId) ?? 1) - 1;
        if (left === 0) inFlight.delete(vpcId);
        else inFlight.set(vpcId, left);
        return {
          VpcId: vpcId,
          EnableDnsSupport: { Value: true },
          EnableDnsHostnames: { Value: true },
        };
      });

    // Act
    const snapshot = await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    expect(mostVpcs).toBe(5);
    expect(snapshot.VpcAttributes).toHaveLength(12);
  });
});

describe('loadSnapshotFromEc2 endpoint services', () => {
  it('asks DescribeVpcEndpointServices for exactly the distinct service names', async () => {
    // Arrange
    givenLandscape({
      vpcs: [vpc('vpc-1')],
      endpoints: [
        endpoint('vpce-1', { service: 'ssm' }),
        endpoint('vpce-2', { service: 'ssm', vpcId: 'vpc-1' }),
        endpoint('vpce-3', { service: 's3', type: 'Gateway' }),
      ],
      serviceDetails: [serviceDetail('ssm', ['Interface'])],
    });

    // Act
    const snapshot = await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    const inputs = inputsOf(DescribeVpcEndpointServicesCommand);
    expect(inputs).toHaveLength(1);
    expect([...((inputs[0]?.ServiceNames as string[]) ?? [])].sort()).toEqual([
      `com.amazonaws.${REGION}.s3`,
      `com.amazonaws.${REGION}.ssm`,
    ]);
    expect(snapshot.ServiceDetails.map((d) => d.ServiceName)).toEqual([
      `com.amazonaws.${REGION}.ssm`,
    ]);
  });

  it('skips endpoint services, security groups and VPC attributes without endpoints', async () => {
    // Arrange
    givenLandscape(landscapeOf(2, 4));
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });

    // Act
    const snapshot = await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    expect(inputsOf(DescribeVpcEndpointServicesCommand)).toHaveLength(0);
    expect(inputsOf(DescribeSecurityGroupsCommand)).toHaveLength(0);
    expect(inputsOf(DescribeVpcAttributeCommand)).toHaveLength(0);
    expect(snapshot.ServiceDetails).toEqual([]);
    expect(snapshot.SecurityGroups).toEqual([]);
  });

  it('drops only the service name AWS says does not exist, and asks again', async () => {
    // Arrange
    const gone = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123';
    givenLandscape({
      vpcs: [vpc('vpc-1')],
      endpoints: [
        endpoint('vpce-1', { service: 'ssm' }),
        endpoint('vpce-2', { service: gone }),
      ],
    });
    ec2Mock
      .on(DescribeVpcEndpointServicesCommand)
      .rejectsOnce(
        awsError(
          'InvalidServiceName',
          `The Vpc Endpoint Service '${gone}' does not exist`
        )
      )
      .resolves({
        ServiceDetails: wire([serviceDetail('ssm', ['Interface'])]),
      });

    // Act
    const snapshot = await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    const inputs = inputsOf(DescribeVpcEndpointServicesCommand);
    expect(inputs.map((input) => input.ServiceNames)).toEqual([
      [`com.amazonaws.${REGION}.ssm`, gone],
      [`com.amazonaws.${REGION}.ssm`],
    ]);
    expect(snapshot.ServiceDetails.map((d) => d.ServiceName)).toEqual([
      `com.amazonaws.${REGION}.ssm`,
    ]);
  });

  it('stops asking when every service name is rejected', async () => {
    // Arrange
    const names = ['vpce-svc-1', 'vpce-svc-2'].map(
      (id) => `com.amazonaws.vpce.${REGION}.${id}`
    );
    givenLandscape({
      vpcs: [vpc('vpc-1')],
      endpoints: names.map((service, i) => endpoint(`vpce-${i}`, { service })),
    });
    ec2Mock
      .on(DescribeVpcEndpointServicesCommand)
      .rejectsOnce(
        awsError(
          'InvalidServiceName',
          `The Vpc Endpoint Service '${names[0]}' does not exist`
        )
      )
      .rejectsOnce(
        awsError(
          'InvalidServiceName',
          `The Vpc Endpoint Service '${names[1]}' does not exist`
        )
      );

    // Act
    const snapshot = await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    expect(inputsOf(DescribeVpcEndpointServicesCommand)).toHaveLength(2);
    expect(snapshot.ServiceDetails).toEqual([]);
  });

  it('fails when InvalidServiceName names no service it was asked for', async () => {
    // Arrange
    givenLandscape({ vpcs: [vpc('vpc-1')], endpoints: [endpoint('vpce-1')] });
    ec2Mock
      .on(DescribeVpcEndpointServicesCommand)
      .rejects(awsError('InvalidServiceName', 'The service is unknown'));

    // Act
    const load = loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    await expect(load).rejects.toMatchObject({
      name: 'AwsCallError',
      action: 'ec2:DescribeVpcEndpointServices',
    });
    expect(inputsOf(DescribeVpcEndpointServicesCommand)).toHaveLength(1);
  });
});

describe('loadSnapshotFromEc2 security groups', () => {
  it('asks for the distinct groups of the endpoints in chunks of 200 ids', async () => {
    // Arrange
    const groups = Array.from({ length: 250 }, (_, i) => `sg-${i}`);
    givenLandscape({
      vpcs: [vpc('vpc-1')],
      endpoints: [
        endpoint('vpce-1', { groups: groups.slice(0, 150) }),
        endpoint('vpce-2', { groups: groups.slice(100) }),
      ],
    });

    // Act
    await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    const filters = inputsOf(DescribeSecurityGroupsCommand).map(
      (input) => input.Filters as { Name: string; Values: string[] }[]
    );
    expect(filters.map((f) => f[0]?.Name)).toEqual(['group-id', 'group-id']);
    expect(filters.map((f) => f[0]?.Values.length)).toEqual([200, 50]);
    expect(filters.flatMap((f) => f[0]?.Values ?? [])).toEqual(groups);
  });
});

describe('loadSnapshotFromEc2 prefix lists', () => {
  it('asks DescribePrefixLists once for the S3 and DynamoDB names of the Region', async () => {
    // Act
    const snapshot = await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    const inputs = inputsOf(DescribePrefixListsCommand);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]?.Filters).toEqual([
      {
        Name: 'prefix-list-name',
        Values: [
          `com.amazonaws.${REGION}.s3`,
          `com.amazonaws.${REGION}.dynamodb`,
        ],
      },
    ]);
    expect(snapshot.PrefixLists).toEqual([
      S3_PREFIX_LIST,
      DYNAMODB_PREFIX_LIST,
    ]);
    expect(inputsOf(GetManagedPrefixListEntriesCommand)).toHaveLength(0);
  });

  it.each([
    ['cn-north-1', 'aws-cn', ['cn.com.amazonaws', 'com.amazonaws']],
    ['eusc-de-east-1', 'aws-eusc', ['eu.amazonaws', 'com.amazonaws']],
  ])(
    'asks for the prefix-list names of every naming scheme of %s',
    async (region, partition, prefixes) => {
      // Act
      await loadSnapshotFromEc2(
        ec2,
        { ...SCOPE, region, partition },
        PRINCIPAL
      );

      // Assert
      expect(inputsOf(DescribePrefixListsCommand)[0]?.Filters).toEqual([
        {
          Name: 'prefix-list-name',
          Values: prefixes.flatMap((p) => [
            `${p}.${region}.s3`,
            `${p}.${region}.dynamodb`,
          ]),
        },
      ]);
    }
  );

  it('reads the entries of a prefix list returned without Cidrs, as moto returns it', async () => {
    // Arrange
    const { Cidrs: _omitted, ...withoutCidrs } = S3_PREFIX_LIST;
    ec2Mock
      .on(DescribePrefixListsCommand)
      .resolves({ PrefixLists: [withoutCidrs, DYNAMODB_PREFIX_LIST] });
    ec2Mock
      .on(GetManagedPrefixListEntriesCommand)
      .resolvesOnce({
        Entries: [{ Cidr: '52.216.0.0/15' }, { Cidr: '3.5.0.0/19' }],
        NextToken: 't',
      })
      .resolvesOnce({ Entries: [{ Cidr: '54.231.0.0/16' }] });

    // Act
    const snapshot = await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    const inputs = inputsOf(GetManagedPrefixListEntriesCommand);
    expect(inputs).toHaveLength(2);
    expect(inputs[0]).toMatchObject({
      PrefixListId: S3_PREFIX_LIST.PrefixListId,
      MaxResults: 100,
    });
    expect(snapshot.PrefixLists).toEqual([
      S3_PREFIX_LIST,
      DYNAMODB_PREFIX_LIST,
    ]);
  });
});

describe('loadSnapshotFromEc2 call budget', () => {
  // The loader's call budget (README "`scan --region`, `snapshot`") with one
  // page each: Vpcs, Subnets, RouteTables, VpcEndpoints, PrefixLists,
  // VpcEndpointServices, SecurityGroups, plus two DescribeVpcAttribute per
  // VPC with an interface endpoint.
  const budget = (vpcCount: number): number => 7 + 2 * vpcCount;

  it.each([
    [1, 1],
    [1, 400],
    [3, 3],
    [3, 900],
    [8, 16],
  ])(
    'makes 7 + 2×N calls for %i VPCs with interface endpoints and %i subnets',
    async (vpcCount, subnetCount) => {
      // Arrange
      givenLandscape(landscapeOf(vpcCount, subnetCount));

      // Act
      await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

      // Assert
      expect(ec2Mock.calls().length).toBe(budget(vpcCount));
    }
  );

  it('makes as many calls for 500 subnets as for one', async () => {
    // Arrange
    givenLandscape(landscapeOf(2, 1));
    await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);
    const few = ec2Mock.calls().length;
    ec2Mock.resetHistory();
    givenLandscape(landscapeOf(2, 500));

    // Act
    await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    expect(ec2Mock.calls().length).toBe(few);
    expect(few).toBe(budget(2));
  });
});

describe('loadSnapshotFromEc2 result', () => {
  it('passes the snapshot schema and evaluates as the rules expect', async () => {
    // Arrange: vpce-1 spans two AZs, vpce-2 one.
    const created = new Date('2024-05-01T12:00:00.000Z');
    givenLandscape({
      vpcs: [vpc('vpc-1')],
      subnets: [
        subnet('subnet-a', { az: 'az1' }),
        subnet('subnet-b', { az: 'az2' }),
      ],
      routeTables: [routeTable('rtb-1', { main: true })],
      endpoints: [
        { ...endpoint('vpce-1'), CreationTimestamp: created },
        endpoint('vpce-2', { service: 'ec2', subnets: ['subnet-a'] }),
      ] as Ec2VpcEndpoint[],
      serviceDetails: [
        serviceDetail('ssm', ['Interface']),
        serviceDetail('ec2', ['Interface']),
      ],
      securityGroups: [securityGroup('sg-1')],
    });
    const rule = findRule('interface-endpoint-multi-az')?.prepare({});

    // Act
    const snapshot = await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);
    const inventory = readAccountRegion(snapshot, 'ec2');
    const evaluations = rule?.evaluate(inventory) ?? [];

    // Assert
    expect(inventory.problems).toEqual([]);
    expect(snapshot).toMatchObject({
      AccountId: ACCOUNT,
      Region: REGION,
      Partition: 'aws',
    });
    expect(snapshot.VpcEndpoints[0]?.CreationTimestamp).toBe(
      '2024-05-01T12:00:00.000Z'
    );
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(evaluations.map((e) => [e.resourceId, e.complianceType])).toEqual([
      ['vpce-1', 'COMPLIANT'],
      ['vpce-2', 'NON_COMPLIANT'],
    ]);
  });
});

describe('loadSnapshotFromEc2 errors', () => {
  it('turns UnauthorizedOperation into an AccessDeniedError naming the action and principal', async () => {
    // Arrange
    ec2Mock
      .on(DescribeSubnetsCommand)
      .rejects(
        awsError(
          'UnauthorizedOperation',
          'You are not authorized to perform this operation.'
        )
      );

    // Act
    const load = loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    await expect(load).rejects.toThrow(AccessDeniedError);
    await expect(load).rejects.toThrow(
      `access denied: ${PRINCIPAL} may not call ec2:DescribeSubnets`
    );
  });

  const refused = awsError('UnauthorizedOperation', 'not authorized');
  it.each([
    [
      'ec2:DescribeVpcAttribute',
      () => ec2Mock.on(DescribeVpcAttributeCommand).rejects(refused),
    ],
    [
      'ec2:DescribeSecurityGroups',
      () => ec2Mock.on(DescribeSecurityGroupsCommand).rejects(refused),
    ],
    [
      'ec2:DescribeVpcEndpointServices',
      () => ec2Mock.on(DescribeVpcEndpointServicesCommand).rejects(refused),
    ],
    [
      'ec2:DescribePrefixLists',
      () => ec2Mock.on(DescribePrefixListsCommand).rejects(refused),
    ],
  ])('names %s when AWS refuses it', async (action, refuse) => {
    // Arrange
    givenLandscape(landscapeOf(1, 1));
    refuse();

    // Act
    const load = loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    await expect(load).rejects.toMatchObject({
      name: 'AccessDeniedError',
      action,
    });
  });

  it('names ec2:GetManagedPrefixListEntries when AWS refuses it', async () => {
    // Arrange
    const { Cidrs: _omitted, ...withoutCidrs } = S3_PREFIX_LIST;
    ec2Mock
      .on(DescribePrefixListsCommand)
      .resolves({ PrefixLists: [withoutCidrs] });
    ec2Mock
      .on(GetManagedPrefixListEntriesCommand)
      .rejects(awsError('UnauthorizedOperation', 'not authorized'));

    // Act
    const load = loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    await expect(load).rejects.toMatchObject({
      name: 'AccessDeniedError',
      action: 'ec2:GetManagedPrefixListEntries',
    });
  });

  it.each([
    ['ServiceUnavailable', 503],
    ['InternalError', 500],
    ['RequestLimitExceeded', 503],
  ])(
    'turns %s into an AwsCallError naming the action',
    async (name, status) => {
      // Arrange
      ec2Mock
        .on(DescribeRouteTablesCommand)
        .rejects(awsError(name, 'try again later', status));

      // Act
      const load = loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

      // Assert
      await expect(load).rejects.toThrow(AwsCallError);
      await expect(load).rejects.toMatchObject({
        name: 'AwsCallError',
        action: 'ec2:DescribeRouteTables',
        message: `ec2:DescribeRouteTables failed: ${name}: try again later`,
      });
    }
  );

  it('fails instead of returning a snapshot when a later page fails', async () => {
    // Arrange
    ec2Mock
      .on(DescribeSubnetsCommand)
      .resolvesOnce({ Subnets: wire([subnet('subnet-1')]), NextToken: 't' })
      .rejects(awsError('ServiceUnavailable', 'down', 503));

    // Act
    const load = loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);

    // Assert
    await expect(load).rejects.toMatchObject({
      action: 'ec2:DescribeSubnets',
    });
  });
});

describe('loadSnapshotFromEc2 on real-account shapes', () => {
  /** A test/fixtures/real-shapes snapshot, as EC2 would answer for it. */
  const serveShape = (file: string): AccountRegionSnapshot => {
    const shape = JSON.parse(
      readFileSync(`test/fixtures/real-shapes/${file}`, 'utf8')
    ) as AccountRegionSnapshot;
    serveSnapshot(ec2Mock, shape);
    return shape;
  };

  const evaluateAll = (snapshot: AccountRegionSnapshot) => {
    const inventory = readAccountRegion(snapshot, 'ec2');
    return rules.flatMap((rule) => {
      const prepared = rule.prepare({});
      return [...prepared.evaluate(inventory), ...prepared.notOwned(inventory)];
    });
  };

  it('loads a shared-VPC participant, asks nothing about the owner’s VPC, and leaves its subnets to the owner', async () => {
    // Arrange: subnets and VPC owned by 111122223333, seen by 444455556666
    const shape = serveShape('shared-vpc-participant.json');

    // Act
    const snapshot = await loadSnapshotFromEc2(
      ec2,
      { accountId: shape.AccountId, region: shape.Region, partition: 'aws' },
      PRINCIPAL
    );
    const results = evaluateAll(snapshot);

    // Assert
    expect(inputsOf(DescribeVpcAttributeCommand)).toEqual([]);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => 'ownerId' in r)).toBe(true);
  });

  it.each([
    'lattice-resource-endpoint.json',
    'lattice-service-network-endpoint.json',
  ])(
    'loads %s, asks for no service detail of an endpoint without ServiceName, and judges it not applicable',
    async (file) => {
      // Arrange
      const shape = serveShape(file);
      const lattice = shape.VpcEndpoints.find(
        (e) => e.ServiceName === undefined
      );

      // Act
      const snapshot = await loadSnapshotFromEc2(ec2, SCOPE, PRINCIPAL);
      const results = evaluateAll(snapshot);

      // Assert
      for (const input of inputsOf(DescribeVpcEndpointServicesCommand)) {
        expect(input.ServiceNames).not.toContain(undefined);
      }
      const verdicts = results.filter(
        (r) => r.resourceId === lattice?.VpcEndpointId
      );
      expect(verdicts).toHaveLength(4);
      for (const verdict of verdicts) {
        expect(verdict).toMatchObject({ complianceType: 'NOT_APPLICABLE' });
      }
    }
  );
});
