/**
 * A rule run against the stateful fakes of bench/fake-aws.ts: Config,
 * Security Hub and the verdict table remember what earlier runs sent, so a
 * test can run a rule twice and see what the second run skips. EC2 is
 * whatever the test serves (aws-sdk-client-mock, see ec2-mock.ts).
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import pino, { type Logger } from 'pino';
import {
  changeNotification,
  scheduledNotification,
} from '../../bench/config-events.js';
import {
  createFakeServices,
  FAKE_VERDICT_TABLE,
  type FakeServices,
  resultTokenOf,
} from '../../bench/fake-aws.js';
import type {
  AccountClients,
  RuleRunDependencies,
} from '../../functions/config-rule/run-config-rule.js';
import {
  CallCounter,
  countCalls,
} from '../../functions/shared/aws/call-counter.js';
import type { VerdictTable } from '../../functions/shared/aws/verdict-table.js';
import { UpdatedAtMemo } from '../../functions/shared/report/securityhub-reporter.js';
import { ruleNamed } from './factories.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const RULE_ARN = `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-delta1`;
const LOCAL = {
  region: REGION,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};

/** The Config rule name the fake events carry. */
const FAKE_RULE_NAME = 'vpce-guard-rule';

/** A clock a test moves by hand. */
class TestClock {
  private nowMs: number;

  public constructor(start: string) {
    this.nowMs = Date.parse(start);
  }

  /** The current time. */
  public readonly now = (): Date => new Date(this.nowMs);

  /** Moves the clock on by `days` days. */
  public advanceDays(days: number): void {
    this.nowMs += days * 24 * 60 * 60 * 1000;
  }
}

/** The fakes, the clients that reach them and what the runs logged. */
interface FakeRun {
  readonly fakes: FakeServices;
  readonly clock: TestClock;
  /**
   * Every call the rule's Config, Security Hub and DynamoDB clients made
   * (EC2 answered by aws-sdk-client-mock bypasses the middleware stack).
   */
  readonly calls: CallCounter;
  /** Every pino line logged, parsed. */
  readonly logLines: Record<string, unknown>[];
  readonly table: VerdictTable;
  /** What `runConfigRule` needs for `ruleId`, reporting to the fakes. */
  dependencies(ruleId: string): RuleRunDependencies;
}

const lineCollector = (lines: Record<string, unknown>[]): Logger =>
  pino(
    { level: 'info' },
    {
      write: (line: string) => {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    }
  );

/**
 * Fresh fakes and clients reporting to them; the verdict table's backoff
 * waits are recorded, never slept.
 */
const createFakeRun = (start = '2026-11-23T11:00:00.000Z'): FakeRun => {
  const clock = new TestClock(start);
  const fakes = createFakeServices(clock.now);
  const calls = new CallCounter();
  const logLines: Record<string, unknown>[] = [];
  const config = new ConfigServiceClient(LOCAL);
  const securityHub = new SecurityHubClient(LOCAL);
  const dynamodb = new DynamoDBClient(LOCAL);
  const ec2 = new EC2Client(LOCAL);
  const route53 = new Route53Client(LOCAL);
  for (const client of [config, securityHub, dynamodb, ec2, route53]) {
    countCalls(client, calls);
  }
  fakes.config.attach(config, fakes.faults);
  fakes.securityHub.attach(securityHub, fakes.faults);
  fakes.dynamodb.attach(dynamodb, fakes.faults);
  const clients: AccountClients = {
    ec2,
    route53,
    config,
    securityHub,
    principal: 'test-role',
  };
  const table: VerdictTable = {
    client: dynamodb,
    tableName: FAKE_VERDICT_TABLE,
    principal: 'test-function-role',
    sleep: async () => {},
  };
  const updatedAt = new UpdatedAtMemo();
  return {
    fakes,
    clock,
    calls,
    logLines,
    table,
    dependencies: (ruleId) => ({
      rule: ruleNamed(ruleId),
      clientsFor: async () => clients,
      logger: lineCollector(logLines),
      runbookBaseUrl: 'https://runbooks.example.test',
      clock: clock.now,
      updatedAt,
      verdictTable: table,
    }),
  };
};

const baseEvent = (
  invokingEvent: unknown,
  parameters: Record<string, unknown>
) => ({
  version: '1.0',
  invokingEvent: JSON.stringify(invokingEvent),
  ruleParameters: JSON.stringify(parameters),
  resultToken: resultTokenOf(FAKE_RULE_NAME),
  eventLeftScope: false,
  executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/config-role`,
  configRuleArn: RULE_ARN,
  configRuleName: FAKE_RULE_NAME,
  configRuleId: 'config-rule-delta1',
  accountId: ACCOUNT,
});

/** A periodic event whose result token the fake Config records for. */
const fakePeriodicEvent = (parameters: Record<string, unknown> = {}) =>
  baseEvent(
    scheduledNotification(ACCOUNT, '2026-11-23T10:00:00.000Z'),
    parameters
  );

/** A change notification of `resourceType` `resourceId` in `vpcId`. */
const fakeChangeEvent = (
  resourceType: string,
  resourceId: string,
  configuration: Record<string, unknown>,
  parameters: Record<string, unknown> = {}
) =>
  baseEvent(
    changeNotification({
      accountId: ACCOUNT,
      region: REGION,
      resourceType,
      resourceId,
      configuration,
      capturedAt: '2026-11-23T09:30:00.000Z',
      notifiedAt: '2026-11-23T09:31:00.000Z',
    }),
    parameters
  );

export type { FakeRun };
export {
  createFakeRun,
  FAKE_RULE_NAME,
  fakeChangeEvent,
  fakePeriodicEvent,
  TestClock,
};
