import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  awsError,
  createFakeServices,
  FAKE_VERDICT_TABLE,
  type FakeServices,
} from '../../../bench/fake-aws.js';
import {
  CallCounter,
  countCalls,
} from '../../../functions/shared/aws/call-counter.js';
import {
  expiryDaysOf,
  partitionOf,
  readRuleVerdicts,
  readVerdicts,
  recordVerdicts,
  type VerdictRecord,
  type VerdictScope,
  type VerdictTable,
} from '../../../functions/shared/aws/verdict-table.js';
import {
  AccessDeniedError,
  AwsCallError,
} from '../../../functions/shared/errors.js';

const NOW = new Date('2026-11-23T11:00:00.000Z');
const SCOPE: VerdictScope = {
  accountId: '111122223333',
  region: 'us-east-1',
  configRuleArn:
    'arn:aws:config:us-east-1:111122223333:config-rule/config-rule-abc123',
};

const record = (
  resourceId: string,
  annotation = 'all good'
): VerdictRecord => ({
  resourceId,
  complianceType: 'COMPLIANT',
  annotation,
  recordedAt: NOW,
  findingImported: true,
});

const ids = (count: number, prefix = 'subnet'): string[] =>
  Array.from(
    { length: count },
    (_, i) => `${prefix}-${String(i).padStart(5, '0')}`
  );

describe('the verdict table adapter', () => {
  let fakes: FakeServices;
  let table: VerdictTable;
  let calls: CallCounter;
  let waits: number[];

  beforeEach(() => {
    fakes = createFakeServices(() => NOW);
    calls = new CallCounter();
    waits = [];
    const client = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    countCalls(client, calls);
    fakes.dynamodb.attach(client, fakes.faults);
    table = {
      client,
      tableName: FAKE_VERDICT_TABLE,
      principal: 'the function role',
      sleep: async (ms) => {
        waits.push(ms);
      },
    };
  });

  it('reads back what it recorded, 25 items per write call', async () => {
    // Arrange
    const records = ids(60).map((id) => record(id));

    // Act
    await recordVerdicts(table, SCOPE, records, 30);
    const read = await readRuleVerdicts(table, SCOPE);

    // Assert
    expect(read.size).toBe(60);
    expect(read.get('subnet-00042')).toEqual({
      complianceType: 'COMPLIANT',
      annotation: 'all good',
      recordedAt: NOW,
      findingImported: true,
    });
    expect(calls.byOperation()).toEqual({
      'DynamoDB:BatchWriteItemCommand': 3,
      'DynamoDB:QueryCommand': 1,
    });
  });

  it('keys items by account, Region and rule ARN, and sets their TTL to twice refreshDays', async () => {
    // Act
    await recordVerdicts(table, SCOPE, [record('subnet-1')], 30);

    // Assert
    expect(fakes.dynamodb.itemsOf(FAKE_VERDICT_TABLE)).toEqual([
      {
        rule: { S: partitionOf(SCOPE) },
        resource: { S: 'subnet-1' },
        complianceType: { S: 'COMPLIANT' },
        annotation: { S: 'all good' },
        recordedAt: { N: String(NOW.getTime()) },
        finding: { BOOL: true },
        expiresAt: { N: String(NOW.getTime() / 1000 + 60 * 86_400) },
      },
    ]);
    expect(partitionOf(SCOPE)).toBe(
      `111122223333/us-east-1/${SCOPE.configRuleArn}`
    );
  });

  it.each([
    [30, 60],
    [7, 14],
    [0, 2],
  ])('lets an item of refreshDays %d expire after %d days', (days, expiry) => {
    expect(expiryDaysOf(days)).toBe(expiry);
  });

  it('pages through a partition of more than 1 MB', async () => {
    // Arrange: 2,500 items of about 1 kB.
    await recordVerdicts(
      table,
      SCOPE,
      ids(2_500).map((id) => record(id, 'a'.repeat(1_000))),
      30
    );

    // Act
    const read = await readRuleVerdicts(table, SCOPE);

    // Assert
    expect(read.size).toBe(2_500);
    expect(calls.byOperation()['DynamoDB:QueryCommand']).toBeGreaterThan(1);
  });

  it('reads only the resources asked for, 100 keys per call, and never the whole partition', async () => {
    // Arrange
    await recordVerdicts(
      table,
      SCOPE,
      ids(300).map((id) => record(id)),
      30
    );

    // Act
    const read = await readVerdicts(table, SCOPE, [
      ...ids(250),
      'subnet-never-recorded',
    ]);

    // Assert
    expect(read.size).toBe(250);
    expect(read.has('subnet-never-recorded')).toBe(false);
    expect(calls.byOperation()['DynamoDB:BatchGetItemCommand']).toBe(3);
    expect(calls.byOperation()['DynamoDB:QueryCommand']).toBeUndefined();
  });

  it('keeps another rule’s partition out of a read', async () => {
    // Arrange
    const other = { ...SCOPE, configRuleArn: `${SCOPE.configRuleArn}-other` };
    await recordVerdicts(table, other, [record('subnet-1')], 30);

    // Act
    const read = await readRuleVerdicts(table, SCOPE);

    // Assert
    expect(read.size).toBe(0);
  });

  it('asks again for unprocessed keys and items, backing off', async () => {
    // Arrange
    fakes.dynamodb.leaveUnprocessed(2);
    await recordVerdicts(
      table,
      SCOPE,
      ids(20).map((id) => record(id)),
      30
    );
    fakes.dynamodb.leaveUnprocessed(1);

    // Act
    const read = await readVerdicts(table, SCOPE, ids(20));

    // Assert
    expect(read.size).toBe(20);
    expect(fakes.dynamodb.itemsOf(FAKE_VERDICT_TABLE)).toHaveLength(20);
    expect(waits).toEqual([50, 100, 50]);
  });

  it('gives up, naming the action, when items stay unprocessed', async () => {
    // Arrange
    fakes.dynamodb.leaveUnprocessed(100);

    // Act
    const write = recordVerdicts(
      table,
      SCOPE,
      ids(20).map((id) => record(id)),
      30
    );

    // Assert
    await expect(write).rejects.toThrow(AwsCallError);
    await expect(
      recordVerdicts(table, SCOPE, [record('a'), record('b')], 30)
    ).rejects.toThrow(/dynamodb:BatchWriteItem left 1 items .* after 8 calls/);
  });

  it.each([
    ['Query', () => readRuleVerdicts(table, SCOPE)],
    ['BatchGetItem', () => readVerdicts(table, SCOPE, ['subnet-1'])],
    ['BatchWriteItem', () => recordVerdicts(table, SCOPE, [record('x')], 30)],
  ])(
    'names dynamodb:%s and the role when access is denied',
    async (operation, call) => {
      // Arrange
      fakes.faults.fail({
        operation: `DynamoDB:${operation}`,
        error: () => awsError('AccessDeniedException', 'no'),
      });

      // Act
      const result = call();

      // Assert
      await expect(result).rejects.toThrow(AccessDeniedError);
      await expect(call()).rejects.toThrow(
        `access denied: the function role may not call dynamodb:${operation}`
      );
    }
  );

  it('reads an item it did not write as nothing recorded', async () => {
    // Arrange
    await recordVerdicts(table, SCOPE, [record('subnet-1')], 30);
    const [item] = fakes.dynamodb.itemsOf(FAKE_VERDICT_TABLE);
    if (item?.complianceType) item.complianceType.S = 'MAYBE';

    // Act
    const read = await readRuleVerdicts(table, SCOPE);

    // Assert
    expect(read.size).toBe(0);
  });
});
