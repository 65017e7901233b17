/**
 * The table of last verdicts on moto's DynamoDB (issue 15): the adapter's
 * Query, BatchGetItem and BatchWriteItem in the real wire format, a rule
 * run twice through moto's EC2 and DynamoDB sending nothing the second
 * time even with transient faults on the table, and a table that denies
 * access making the run send everything. Config and Security Hub are the
 * stateful fakes of bench/fake-aws.ts: moto keeps no results of custom
 * rules.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { scheduledNotification } from '../../bench/config-events.js';
import { createFakeServices, resultTokenOf } from '../../bench/fake-aws.js';
import {
  type AccountClients,
  runConfigRule,
} from '../../functions/config-rule/run-config-rule.js';
import {
  HTTP_HANDLER_OPTIONS,
  sdkClientConfig,
} from '../../functions/shared/aws/client-config.js';
import {
  readRuleVerdicts,
  readVerdicts,
  recordVerdicts,
  type VerdictScope,
  type VerdictTable,
} from '../../functions/shared/aws/verdict-table.js';
import { UpdatedAtMemo } from '../../functions/shared/report/securityhub-reporter.js';
import { ruleNamed } from '../helpers/factories.js';
import {
  FaultInjector,
  FaultServer,
  retryWithoutWaiting,
  withoutTimers,
} from './helpers/faults.js';
import { buildLandscape, type Landscape } from './helpers/landscape.js';
import { resetMoto } from './helpers/moto.js';

// moto's default account.
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const RULE = 'private-subnet-gateway-endpoints';
const TABLE = 'vpce-guard-last-verdicts-it';
const NOW = new Date('2026-11-23T11:00:00.000Z');

/** The handler's client settings without socket timers or retry waits. */
const testClientConfig = () => {
  const config = sdkClientConfig(undefined);
  return {
    ...config,
    requestHandler: withoutTimers(HTTP_HANDLER_OPTIONS),
    retryStrategy: retryWithoutWaiting(config.maxAttempts),
  };
};

const scopeOf = (ruleArnSuffix: string): VerdictScope => ({
  accountId: ACCOUNT,
  region: REGION,
  configRuleArn: `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-${ruleArnSuffix}`,
});

const periodicEvent = (ruleArnSuffix: string) => ({
  version: '1.0',
  invokingEvent: JSON.stringify(
    scheduledNotification(ACCOUNT, '2026-11-23T10:00:00.000Z')
  ),
  ruleParameters: '{}',
  resultToken: resultTokenOf(`vpce-guard-${ruleArnSuffix}`),
  eventLeftScope: false,
  executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/config-role`,
  configRuleArn: scopeOf(ruleArnSuffix).configRuleArn,
  configRuleName: `vpce-guard-${ruleArnSuffix}`,
  configRuleId: `config-rule-${ruleArnSuffix}`,
  accountId: ACCOUNT,
});

/** The table in moto, reached through `injector` when one is given. */
const tableOf = (injector?: FaultInjector): VerdictTable => {
  const client = new DynamoDBClient(testClientConfig());
  injector?.attach(client);
  return {
    client,
    tableName: TABLE,
    principal: 'the function role',
    sleep: async () => {},
  };
};

/** A fresh container's run of the subnet rule: moto's EC2, the fakes, the table. */
const runner = () => {
  const fakes = createFakeServices(() => NOW);
  const config = new ConfigServiceClient(testClientConfig());
  const securityHub = new SecurityHubClient(testClientConfig());
  fakes.config.attach(config, fakes.faults);
  fakes.securityHub.attach(securityHub, fakes.faults);
  const clients: AccountClients = {
    ec2: new EC2Client(testClientConfig()),
    route53: new Route53Client(testClientConfig()),
    config,
    securityHub,
    principal: 'the function role',
  };
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    }
  );
  return {
    fakes,
    lines,
    run: (ruleArnSuffix: string, table: VerdictTable) =>
      runConfigRule(periodicEvent(ruleArnSuffix), {
        rule: ruleNamed(RULE),
        clientsFor: async () => clients,
        logger,
        runbookBaseUrl: 'https://runbooks.example.test',
        clock: () => NOW,
        updatedAt: new UpdatedAtMemo(),
        verdictTable: table,
      }),
  };
};

describe('the table of last verdicts in moto', () => {
  let server: FaultServer;
  let landscape: Landscape;

  beforeAll(async () => {
    server = await FaultServer.start();
    await resetMoto();
    landscape = await buildLandscape(new EC2Client({}), {
      vpcs: [
        {
          name: 'good',
          privateSubnets: 3,
          gatewayEndpoints: [{ service: 's3' }, { service: 'dynamodb' }],
        },
      ],
    });
    const dynamodb = new DynamoDBClient({});
    await dynamodb.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'rule', KeyType: 'HASH' },
          { AttributeName: 'resource', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'rule', AttributeType: 'S' },
          { AttributeName: 'resource', AttributeType: 'S' },
        ],
      })
    );
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: TABLE,
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      })
    );
    dynamodb.destroy();
  });

  afterAll(async () => {
    await server.close();
  });

  it('records verdicts and reads them back by partition and by resource', async () => {
    // Arrange
    const table = tableOf();
    const scope = scopeOf('adapter');
    const records = Array.from({ length: 130 }, (_, i) => ({
      resourceId: `subnet-${String(i).padStart(3, '0')}`,
      complianceType: 'NON_COMPLIANT' as const,
      annotation: `route ${i} bypasses the endpoint`,
      recordedAt: NOW,
      findingImported: true,
    }));

    // Act
    await recordVerdicts(table, scope, records, 30);
    const all = await readRuleVerdicts(table, scope);
    const some = await readVerdicts(table, scope, ['subnet-007', 'subnet-x']);

    // Assert
    expect(all.size).toBe(130);
    expect(all.get('subnet-129')).toEqual({
      complianceType: 'NON_COMPLIANT',
      annotation: 'route 129 bypasses the endpoint',
      recordedAt: NOW,
      findingImported: true,
    });
    expect([...some.keys()]).toEqual(['subnet-007']);
  });

  it('sends nothing on the second run, with every kind of transient fault on the table’s calls', async () => {
    // Arrange: attempts are counted per operation over both runs.
    const injector = new FaultInjector(server, {
      script: [
        { operation: 'DynamoDB:Query', fault: 'throttling', times: 1 },
        { operation: 'DynamoDB:Query', fault: 'timeout', from: 2, times: 1 },
        {
          operation: 'DynamoDB:BatchWriteItem',
          fault: 'server-error',
          times: 1,
        },
        {
          operation: 'DynamoDB:BatchWriteItem',
          fault: 'connection-reset',
          from: 1,
          times: 1,
        },
      ],
    });
    const { run, fakes } = runner();
    const subnets = landscape.vpc('good').privateSubnets.length;

    // Act
    const first = await run('transient', tableOf(injector));
    const second = await run('transient', tableOf(injector));

    // Assert
    expect(injector.injected()).toEqual({
      throttling: 1,
      timeout: 1,
      'server-error': 1,
      'connection-reset': 1,
    });
    expect(first.delta.priorState).toBe('read');
    expect(first.delta.sent).toBeGreaterThanOrEqual(subnets);
    expect(second.delta).toEqual({
      priorState: 'read',
      sent: 0,
      skipped: first.delta.sent,
      reasons: {},
    });
    expect(fakes.securityHub.ingested).toBe(first.delta.sent);
  });

  it('sends everything and warns when the table denies access', async () => {
    // Arrange
    const { run } = runner();
    await run('denied', tableOf());
    const injector = new FaultInjector(server, {
      script: [{ operation: 'DynamoDB:Query', fault: 'access-denied' }],
    });
    const denied = runner();

    // Act
    const result = await denied.run('denied', tableOf(injector));

    // Assert
    expect(result.delta.priorState).toBe('unreadable');
    expect(result.delta.skipped).toBe(0);
    expect(result.delta.sent).toBe(result.evaluations.length);
    expect(injector.attemptsOf('DynamoDB:Query')).toHaveLength(1);
    expect(denied.lines.filter((line) => line.level === 40)).toEqual([
      expect.objectContaining({
        msg: 'could not read the last recorded verdicts; sending every evaluation',
        err: expect.objectContaining({
          type: 'AccessDeniedError',
          message: expect.stringContaining(
            'access denied: the function role may not call dynamodb:Query'
          ),
        }),
      }),
    ]);
  });
});
