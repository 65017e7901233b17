/**
 * Pay only for what changed (issue 15): against stateful fakes of Config,
 * Security Hub and the verdict table (bench/fake-aws.ts), a repeat run on
 * an unchanged account sends nothing, a change sends only the resources
 * whose verdict changed, results are refreshed after `refreshDays`, and
 * no failure loses a verdict: an unreadable table sends everything, and a
 * report that fails half-way is retried to the same stored state.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError } from '../../../bench/fake-aws.js';
import {
  type RuleRunResult,
  runConfigRule,
} from '../../../functions/config-rule/run-config-rule.js';
import type { AccountRegionSnapshot } from '../../../functions/shared/formats/snapshot-schema.js';
import { serveSnapshot } from '../../helpers/ec2-mock.js';
import {
  endpoint,
  route,
  routeTable,
  securityGroup,
  serviceDetail,
  snapshot,
  subnet,
} from '../../helpers/factories.js';
import {
  createFakeRun,
  FAKE_RULE_NAME,
  type FakeRun,
  fakeChangeEvent,
  fakePeriodicEvent,
} from '../../helpers/fake-run.js';

const ec2 = mockClient(EC2Client);
const SUBNET_RULE = 'private-subnet-gateway-endpoints';
const ENDPOINT_RULE = 'interface-endpoint-multi-az';

/**
 * One VPC: subnets a and b behind `rtb-a` (gateway endpoints, NAT),
 * subnet c behind `rtb-c` (the same), all COMPLIANT for the gateway rule;
 * an ssm endpoint in one AZ, NON_COMPLIANT for multi-AZ.
 */
const landscape = (
  extraRoutesOfA: Parameters<typeof route.cidr>[] = [],
  subnets = ['subnet-a', 'subnet-b', 'subnet-c']
): AccountRegionSnapshot => {
  const gatewayRoutes = [
    route.cidr('0.0.0.0/0', { NatGatewayId: 'nat-1' }),
    route.prefixList('pl-63a5400a', 'vpce-s3'),
    route.prefixList('pl-02cd2c6b', 'vpce-ddb'),
  ];
  return snapshot({
    Subnets: subnets.map((id, index) =>
      subnet(id, { az: index % 2 === 0 ? 'az1' : 'az2' })
    ),
    RouteTables: [
      routeTable('rtb-main', { main: true }),
      routeTable('rtb-a', {
        subnets: subnets.filter((id) => id !== 'subnet-c'),
        routes: [
          ...gatewayRoutes,
          ...extraRoutesOfA.map((args) => route.cidr(...args)),
        ],
      }),
      routeTable('rtb-c', {
        subnets: subnets.filter((id) => id === 'subnet-c'),
        routes: gatewayRoutes,
      }),
    ],
    VpcEndpoints: [
      endpoint('vpce-s3', {
        type: 'Gateway',
        service: 's3',
        routeTables: ['rtb-a', 'rtb-c'],
      }),
      endpoint('vpce-ddb', {
        type: 'Gateway',
        service: 'dynamodb',
        routeTables: ['rtb-a', 'rtb-c'],
      }),
      endpoint('vpce-ssm', { subnets: ['subnet-a'] }),
    ],
    ServiceDetails: [
      serviceDetail('s3', ['Gateway']),
      serviceDetail('dynamodb', ['Gateway']),
      serviceDetail('ssm', ['Interface']),
    ],
    SecurityGroups: [securityGroup('sg-1')],
  });
};

/** A route inside S3's prefix list to the NAT gateway: traffic bypasses the endpoint. */
const S3_BYPASS: Parameters<typeof route.cidr> = [
  '52.216.0.0/16',
  { NatGatewayId: 'nat-1' },
];

const serve = (account: AccountRegionSnapshot): void => {
  ec2.reset();
  serveSnapshot(ec2, account);
};

const routeTableChange = (parameters: Record<string, unknown> = {}) =>
  fakeChangeEvent(
    'AWS::EC2::RouteTable',
    'rtb-a',
    { routeTableId: 'rtb-a', vpcId: 'vpc-1' },
    parameters
  );

const sentIds = (result: RuleRunResult): string[] =>
  result.sentToConfig.flatMap((call) =>
    (call.Evaluations ?? []).map((e) => e.ComplianceResourceId ?? '?')
  );

const findingIds = (result: RuleRunResult): string[] =>
  result.sentToSecurityHub.flatMap((call) =>
    (call.Findings ?? []).map((f) => f.Id ?? '?')
  );

/** What Config, Security Hub and the table hold: the stored state. */
const storedState = (run: FakeRun) => ({
  config: run.fakes.config
    .resultsOf(FAKE_RULE_NAME)
    .map((result) => [
      result.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId,
      result.ComplianceType,
      result.Annotation,
    ]),
  findings: [...run.fakes.securityHub.findings.values()]
    .map((finding) => [finding.Id, finding.Compliance?.Status])
    .sort(),
  table: run.fakes.dynamodb
    .itemsOf(run.table.tableName)
    .map((item) => [
      item.resource?.S,
      item.complianceType?.S,
      item.annotation?.S,
    ]),
});

/** Calls per `Service:Operation`. */
const callsByOperation = (run: FakeRun): Record<string, number> =>
  Object.fromEntries(
    Object.entries(run.calls.byOperation()).map(([operation, calls]) => [
      operation.replace(/Command$/, ''),
      calls,
    ])
  );

const warnings = (run: FakeRun) =>
  run.logLines.filter((line) => line.level === 40);

describe('runConfigRule with the table of last verdicts', () => {
  let run: FakeRun;

  beforeEach(() => {
    run = createFakeRun();
    serve(landscape());
  });

  it('sends everything on the first run, then nothing on an unchanged account', async () => {
    // Act
    const first = await runConfigRule(
      fakePeriodicEvent(),
      run.dependencies(SUBNET_RULE)
    );
    const firstCalls = callsByOperation(run);
    const second = await runConfigRule(
      fakePeriodicEvent(),
      run.dependencies(SUBNET_RULE)
    );

    // Assert
    expect(sentIds(first)).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
    expect(first.delta).toEqual({
      priorState: 'read',
      sent: 3,
      skipped: 0,
      reasons: { new: 3 },
    });
    expect(second.sentToConfig).toEqual([]);
    expect(second.sentToSecurityHub).toEqual([]);
    expect(second.delta).toEqual({
      priorState: 'read',
      sent: 0,
      skipped: 3,
      reasons: {},
    });
    expect(firstCalls).toEqual({
      'ConfigService:GetComplianceDetailsByConfigRule': 1,
      'ConfigService:PutEvaluations': 1,
      'DynamoDB:BatchWriteItem': 1,
      'DynamoDB:Query': 1,
      'SecurityHub:BatchImportFindings': 1,
    });
    // The repeat adds the stale-cleanup page and one Query page, no more.
    expect(callsByOperation(run)).toEqual({
      'ConfigService:GetComplianceDetailsByConfigRule': 2,
      'ConfigService:PutEvaluations': 1,
      'DynamoDB:BatchWriteItem': 1,
      'DynamoDB:Query': 2,
      'SecurityHub:BatchImportFindings': 1,
    });
    expect(run.fakes.config.recorded).toBe(3);
    expect(run.fakes.securityHub.ingested).toBe(3);
  });

  it('sends only the subnets of the changed route table, reading only the VPC’s resources', async () => {
    // Arrange
    await runConfigRule(fakePeriodicEvent(), run.dependencies(SUBNET_RULE));
    serve(landscape([S3_BYPASS]));
    const before = callsByOperation(run);

    // Act
    const change = await runConfigRule(
      routeTableChange(),
      run.dependencies(SUBNET_RULE)
    );

    // Assert
    expect(sentIds(change)).toEqual(['subnet-a', 'subnet-b']);
    expect(findingIds(change)).toEqual([
      `vpce-guard/${SUBNET_RULE}/us-east-1/subnet-a`,
      `vpce-guard/${SUBNET_RULE}/us-east-1/subnet-b`,
    ]);
    expect(change.delta.reasons).toEqual({ changed: 2 });
    const after = callsByOperation(run);
    expect(after['DynamoDB:Query']).toBe(before['DynamoDB:Query']);
    expect(
      (after['DynamoDB:BatchGetItem'] ?? 0) -
        (before['DynamoDB:BatchGetItem'] ?? 0)
    ).toBe(1);
    expect(storedState(run).config).toEqual([
      ['subnet-a', 'NON_COMPLIANT', expect.stringContaining('52.216.0.0/16')],
      ['subnet-b', 'NON_COMPLIANT', expect.stringContaining('52.216.0.0/16')],
      ['subnet-c', 'COMPLIANT', expect.any(String)],
    ]);
  });

  it('sends no second import of an unchanged finding when an event is delivered again', async () => {
    // Arrange
    await runConfigRule(fakePeriodicEvent(), run.dependencies(SUBNET_RULE));
    serve(landscape([S3_BYPASS]));
    await runConfigRule(routeTableChange(), run.dependencies(SUBNET_RULE));
    const ingested = run.fakes.securityHub.ingested;

    // Act
    const again = await runConfigRule(
      routeTableChange(),
      run.dependencies(SUBNET_RULE)
    );

    // Assert
    expect(again.sentToConfig).toEqual([]);
    expect(again.sentToSecurityHub).toEqual([]);
    expect(run.fakes.securityHub.ingested).toBe(ingested);
  });

  it.each([
    ['not yet due after 29 days', '30', 29, []],
    ['due after 30 days', '30', 30, ['subnet-a', 'subnet-b', 'subnet-c']],
    [
      'due after 7 days with refreshDays 7',
      '7',
      7,
      ['subnet-a', 'subnet-b', 'subnet-c'],
    ],
    [
      'due at once with refreshDays 0',
      '0',
      0,
      ['subnet-a', 'subnet-b', 'subnet-c'],
    ],
  ])(
    'refreshes unchanged results: %s',
    async (_name, refreshDays, days, expected) => {
      // Arrange
      const parameters = { refreshDays };
      await runConfigRule(
        fakePeriodicEvent(parameters),
        run.dependencies(SUBNET_RULE)
      );
      run.clock.advanceDays(days);

      // Act
      const repeat = await runConfigRule(
        fakePeriodicEvent(parameters),
        run.dependencies(SUBNET_RULE)
      );

      // Assert
      expect(sentIds(repeat)).toEqual(expected);
      expect(findingIds(repeat)).toHaveLength(expected.length);
      expect(repeat.delta.reasons).toEqual(
        expected.length === 0 ? {} : { refresh: expected.length }
      );
    }
  );

  it('reports NOT_APPLICABLE, once, a resource the table holds and the account no longer has', async () => {
    // Arrange
    await runConfigRule(fakePeriodicEvent(), run.dependencies(SUBNET_RULE));
    serve(landscape([], ['subnet-a', 'subnet-c']));

    // Act
    const gone = await runConfigRule(
      fakePeriodicEvent(),
      run.dependencies(SUBNET_RULE)
    );
    const repeat = await runConfigRule(
      fakePeriodicEvent(),
      run.dependencies(SUBNET_RULE)
    );

    // Assert
    expect(
      gone.sentToConfig.flatMap((call) =>
        (call.Evaluations ?? []).map((e) => [
          e.ComplianceResourceId,
          e.ComplianceType,
          e.Annotation,
        ])
      )
    ).toEqual([['subnet-b', 'NOT_APPLICABLE', 'resource no longer exists']]);
    expect(repeat.sentToConfig).toEqual([]);
  });

  it('imports the findings of unchanged results once securityHub is turned on', async () => {
    // Arrange
    await runConfigRule(
      fakePeriodicEvent({ securityHub: 'false' }),
      run.dependencies(SUBNET_RULE)
    );

    // Act
    const turnedOn = await runConfigRule(
      fakePeriodicEvent(),
      run.dependencies(SUBNET_RULE)
    );

    // Assert
    expect(turnedOn.delta.reasons).toEqual({ finding: 3 });
    expect(findingIds(turnedOn)).toHaveLength(3);
    expect(run.fakes.securityHub.findings.size).toBe(3);
  });

  it('neither reads nor writes the table in TestMode, and sends everything', async () => {
    // Arrange
    await runConfigRule(fakePeriodicEvent(), run.dependencies(SUBNET_RULE));
    const before = callsByOperation(run);

    // Act
    const testMode = await runConfigRule(
      { ...fakePeriodicEvent(), resultToken: 'TESTMODE' },
      run.dependencies(SUBNET_RULE)
    );

    // Assert
    expect(sentIds(testMode)).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
    expect(testMode.delta.priorState).toBe('unused');
    const after = callsByOperation(run);
    expect(after['DynamoDB:Query']).toBe(before['DynamoDB:Query']);
    expect(after['DynamoDB:BatchWriteItem']).toBe(
      before['DynamoDB:BatchWriteItem']
    );
  });

  it('sends everything without a table', async () => {
    // Act
    const result = await runConfigRule(fakePeriodicEvent(), {
      ...run.dependencies(SUBNET_RULE),
      verdictTable: undefined,
    });
    const repeat = await runConfigRule(fakePeriodicEvent(), {
      ...run.dependencies(SUBNET_RULE),
      verdictTable: undefined,
    });

    // Assert
    expect(sentIds(result)).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
    expect(sentIds(repeat)).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
    expect(repeat.delta.priorState).toBe('unused');
  });

  it('keeps each rule’s verdicts apart in one table', async () => {
    // Arrange
    await runConfigRule(fakePeriodicEvent(), run.dependencies(SUBNET_RULE));

    // Act
    const otherRule = await runConfigRule(
      {
        ...fakePeriodicEvent(),
        configRuleArn:
          'arn:aws:config:us-east-1:111122223333:config-rule/config-rule-other',
      },
      run.dependencies(ENDPOINT_RULE)
    );

    // Assert
    expect(sentIds(otherRule)).toEqual(['vpce-ddb', 'vpce-s3', 'vpce-ssm']);
    expect(otherRule.delta.reasons).toEqual({ new: 3 });
  });
});

describe('runConfigRule when a call fails', () => {
  let run: FakeRun;

  beforeEach(() => {
    run = createFakeRun();
    serve(landscape());
  });

  it.each([
    ['AccessDenied', 'AccessDeniedException'],
    ['throttled', 'ThrottlingException'],
  ])(
    'sends everything and warns when the table cannot be read (%s)',
    async (_name, code) => {
      // Arrange
      await runConfigRule(fakePeriodicEvent(), run.dependencies(SUBNET_RULE));
      run.fakes.faults.fail({
        operation: 'DynamoDB:Query',
        error: () => awsError(code, 'no'),
      });

      // Act
      const result = await runConfigRule(
        fakePeriodicEvent(),
        run.dependencies(SUBNET_RULE)
      );

      // Assert
      expect(sentIds(result)).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
      expect(findingIds(result)).toHaveLength(3);
      expect(result.delta).toEqual({
        priorState: 'unreadable',
        sent: 3,
        skipped: 0,
        reasons: { unknown: 3 },
      });
      expect(warnings(run)).toEqual([
        expect.objectContaining({
          msg: 'could not read the last recorded verdicts; sending every evaluation',
          table: run.table.tableName,
          err: expect.objectContaining({
            message: expect.stringContaining('dynamodb:Query'),
          }),
        }),
      ]);
    }
  );

  it('sends everything and warns when a change event cannot read its resources', async () => {
    // Arrange
    await runConfigRule(fakePeriodicEvent(), run.dependencies(SUBNET_RULE));
    run.fakes.faults.fail({
      operation: 'DynamoDB:BatchGetItem',
      error: () => awsError('AccessDeniedException', 'no'),
    });

    // Act
    const result = await runConfigRule(
      routeTableChange(),
      run.dependencies(SUBNET_RULE)
    );

    // Assert
    expect(sentIds(result)).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
    expect(warnings(run)).toHaveLength(1);
  });

  it.each([
    ['PutEvaluations, after its first batch', 'ConfigService:PutEvaluations'],
    ['BatchImportFindings', 'SecurityHub:BatchImportFindings'],
  ])(
    'converges when %s fails and Lambda retries the event',
    async (_name, operation) => {
      // Arrange: 150 endpoints, so the delta needs two PutEvaluations calls.
      const endpoints = Array.from({ length: 150 }, (_, i) =>
        endpoint(`vpce-${String(i).padStart(3, '0')}`, {
          subnets: ['subnet-a'],
        })
      );
      const account = { ...landscape(), VpcEndpoints: endpoints };
      serve(account);
      const reference = createFakeRun();
      await runConfigRule(
        fakePeriodicEvent(),
        reference.dependencies(ENDPOINT_RULE)
      );
      run.fakes.faults.fail({
        operation,
        from: operation === 'ConfigService:PutEvaluations' ? 1 : 0,
        times: 1,
        error: () => awsError('AccessDeniedException', 'no'),
      });

      // Act
      const failed = runConfigRule(
        fakePeriodicEvent(),
        run.dependencies(ENDPOINT_RULE)
      );
      await expect(failed).rejects.toThrow(/access denied/);
      const tableAfterFailure = storedState(run).table;
      const retry = await runConfigRule(
        fakePeriodicEvent(),
        run.dependencies(ENDPOINT_RULE)
      );

      // Assert
      expect(tableAfterFailure).toEqual([]);
      expect(retry.delta.sent).toBe(150);
      expect(storedState(run)).toEqual(storedState(reference));
      expect(storedState(run).table).toHaveLength(150);
    }
  );

  it('succeeds and warns when the verdicts sent cannot be recorded; the next run sends them again', async () => {
    // Arrange
    run.fakes.faults.fail({
      operation: 'DynamoDB:BatchWriteItem',
      times: 1,
      error: () => awsError('AccessDeniedException', 'no'),
    });

    // Act
    const first = await runConfigRule(
      fakePeriodicEvent(),
      run.dependencies(SUBNET_RULE)
    );
    const next = await runConfigRule(
      fakePeriodicEvent(),
      run.dependencies(SUBNET_RULE)
    );

    // Assert
    expect(sentIds(first)).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
    expect(warnings(run)).toEqual([
      expect.objectContaining({
        msg: 'could not record the verdicts sent; the next run sends them again',
        unrecorded: 3,
      }),
    ]);
    expect(sentIds(next)).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
  });
});
