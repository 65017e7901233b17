/**
 * The table of last verdicts: per account, Region, Config rule and
 * resource, what vpce-guard last sent and Config (and Security Hub) took.
 * A periodic run reads its rule's whole partition (one Query page per
 * about 1 MB, thousands of resources); a change event reads only the
 * resources it evaluated, 100 per BatchGetItem, so it never pages through
 * the rule's results. Items are written only when something was sent.
 * README "Cost" explains why this table and not Config's own results.
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandOutput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { ComplianceType } from '../../../rules/model/rule.js';
import { AwsCallError, toAwsCallError } from '../errors.js';
import type { RecordedResult } from '../report/delta.js';
import { mapWithLimit } from './map-with-limit.js';

/** Where the verdicts live and who reads them. */
interface VerdictTable {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** The identity the calls are made as, named in AccessDenied messages. */
  readonly principal: string;
  /**
   * Waits before unprocessed items are asked again (DynamoDB asks for a
   * backoff); `setTimeout` unless a test injects one.
   */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Whose verdicts: one partition per account, Region and Config rule. */
interface VerdictScope {
  readonly accountId: string;
  readonly region: string;
  /**
   * The rule's ARN from the event. Its `config-rule-…` id changes when a
   * rule is deleted and created again, and Config deletes the old rule's
   * results with it: the new rule starts from an empty partition.
   */
  readonly configRuleArn: string;
}

/** One verdict to record. */
interface VerdictRecord extends RecordedResult {
  readonly resourceId: string;
  readonly recordedAt: Date;
  readonly findingImported: boolean;
}

/** BatchGetItem takes at most 100 keys per call. */
const GET_BATCH = 100;
/** BatchWriteItem takes at most 25 requests per call. */
const WRITE_BATCH = 25;
/** Write calls in flight at once (an on-demand table absorbs far more). */
const WRITE_CONCURRENCY = 4;
/** Calls per batch of unprocessed keys or items before giving up. */
const MAX_ROUNDS = 8;
const FIRST_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 2_000;

const COMPLIANCE_TYPES: ReadonlySet<string> = new Set<ComplianceType>([
  'COMPLIANT',
  'NON_COMPLIANT',
  'NOT_APPLICABLE',
]);

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** The partition key of `scope`. */
const partitionOf = (scope: VerdictScope): string =>
  `${scope.accountId}/${scope.region}/${scope.configRuleArn}`;

const keyOf = (
  scope: VerdictScope,
  resourceId: string
): Record<string, AttributeValue> => ({
  rule: { S: partitionOf(scope) },
  resource: { S: resourceId },
});

/**
 * How long an item outlives its last write: a resource that still exists
 * is written again at least every `refreshDays`, so an item untouched for
 * twice that belongs to a resource, rule or account that is gone.
 * DynamoDB's TTL deletes it then, at no cost.
 */
const expiryDaysOf = (refreshDays: number): number =>
  Math.max(2 * refreshDays, 2);

const itemOf = (
  scope: VerdictScope,
  record: VerdictRecord,
  refreshDays: number
): Record<string, AttributeValue> => {
  const recordedMs = record.recordedAt.getTime();
  const expiresAt =
    Math.floor(recordedMs / 1000) + expiryDaysOf(refreshDays) * 86_400;
  return {
    ...keyOf(scope, record.resourceId),
    complianceType: { S: record.complianceType },
    annotation: { S: record.annotation },
    recordedAt: { N: String(recordedMs) },
    finding: { BOOL: record.findingImported },
    expiresAt: { N: String(expiresAt) },
  };
};

/**
 * The recorded result an item holds, or `undefined` for an item this code
 * did not write: it counts as nothing recorded, so the verdict is sent.
 */
const recordedOf = (
  item: Record<string, AttributeValue>
): [string, RecordedResult] | undefined => {
  const resourceId = item.resource?.S;
  const complianceType = item.complianceType?.S;
  const annotation = item.annotation?.S;
  const recordedMs = Number(item.recordedAt?.N);
  if (
    resourceId === undefined ||
    complianceType === undefined ||
    !COMPLIANCE_TYPES.has(complianceType) ||
    annotation === undefined ||
    !Number.isFinite(recordedMs)
  ) {
    return undefined;
  }
  return [
    resourceId,
    {
      complianceType: complianceType as ComplianceType,
      annotation,
      recordedAt: new Date(recordedMs),
      findingImported: item.finding?.BOOL ?? true,
    },
  ];
};

const collect = (
  items: readonly Record<string, AttributeValue>[],
  into: Map<string, RecordedResult>
): void => {
  for (const item of items) {
    const entry = recordedOf(item);
    if (entry) into.set(entry[0], entry[1]);
  }
};

const backoffOf = (round: number): number =>
  Math.min(FIRST_BACKOFF_MS * 2 ** round, MAX_BACKOFF_MS);

const unprocessedError = (
  action: string,
  left: number,
  tableName: string
): AwsCallError =>
  new AwsCallError(
    action,
    `${action} left ${left} items of ${tableName} unprocessed after ${MAX_ROUNDS} calls`
  );

/**
 * Every verdict recorded for the rule in `scope`: its whole partition,
 * with strongly consistent reads (a re-delivered event must see what the
 * first delivery wrote).
 *
 * @returns the recorded result per resource id
 * @throws AwsCallError when a call fails
 */
const readRuleVerdicts = async (
  table: VerdictTable,
  scope: VerdictScope
): Promise<Map<string, RecordedResult>> => {
  const recorded = new Map<string, RecordedResult>();
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    let page: QueryCommandOutput;
    try {
      page = await table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: '#rule = :rule',
          ExpressionAttributeNames: { '#rule': 'rule' },
          ExpressionAttributeValues: { ':rule': { S: partitionOf(scope) } },
          ConsistentRead: true,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        })
      );
    } catch (error) {
      throw toAwsCallError(error, 'dynamodb:Query', table.principal);
    }
    collect(page.Items ?? [], recorded);
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined && Object.keys(startKey).length > 0);
  return recorded;
};

/**
 * Sends `first`, then what each answer leaves unprocessed, with a growing
 * pause, until nothing is left: DynamoDB's batch calls may process only
 * part of a request without failing.
 *
 * @param send - one call with `pending`; resolves with what it left
 * @throws AwsCallError when a call fails or items are still left after
 *   {@link MAX_ROUNDS} calls
 */
const untilProcessed = async <T>(
  table: VerdictTable,
  action: string,
  first: T[],
  send: (pending: T[]) => Promise<T[]>
): Promise<void> => {
  const sleep = table.sleep ?? defaultSleep;
  let pending = first;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    if (round > 0) await sleep(backoffOf(round - 1));
    try {
      pending = await send(pending);
    } catch (error) {
      throw toAwsCallError(error, action, table.principal);
    }
    if (pending.length === 0) return;
  }
  throw unprocessedError(action, pending.length, table.tableName);
};

/** Reads one batch of keys, asking again for the unprocessed ones. */
const getBatch = (
  table: VerdictTable,
  keys: Record<string, AttributeValue>[],
  into: Map<string, RecordedResult>
): Promise<void> =>
  untilProcessed(table, 'dynamodb:BatchGetItem', keys, async (pending) => {
    const response = await table.client.send(
      new BatchGetItemCommand({
        RequestItems: {
          [table.tableName]: { Keys: pending, ConsistentRead: true },
        },
      })
    );
    collect(response.Responses?.[table.tableName] ?? [], into);
    return response.UnprocessedKeys?.[table.tableName]?.Keys ?? [];
  });

/**
 * The verdicts recorded for `resourceIds` of the rule in `scope`, 100 per
 * call: what a change event needs, without the rest of the rule's results.
 *
 * @returns the recorded result per resource id; ids never recorded are absent
 * @throws AwsCallError when a call fails or keys stay unprocessed
 */
const readVerdicts = async (
  table: VerdictTable,
  scope: VerdictScope,
  resourceIds: readonly string[]
): Promise<Map<string, RecordedResult>> => {
  const recorded = new Map<string, RecordedResult>();
  const keys = [...new Set(resourceIds)].map((id) => keyOf(scope, id));
  for (let start = 0; start < keys.length; start += GET_BATCH) {
    await getBatch(table, keys.slice(start, start + GET_BATCH), recorded);
  }
  return recorded;
};

/** Writes one batch of requests, sending the unprocessed ones again. */
const writeBatch = (
  table: VerdictTable,
  requests: WriteRequest[]
): Promise<void> =>
  untilProcessed(
    table,
    'dynamodb:BatchWriteItem',
    requests,
    async (pending) =>
      (
        await table.client.send(
          new BatchWriteItemCommand({
            RequestItems: { [table.tableName]: pending },
          })
        )
      ).UnprocessedItems?.[table.tableName] ?? []
  );

/**
 * Records what Config (and Security Hub) took, 25 items per call, each
 * with a TTL of twice `refreshDays` (at least two days).
 *
 * @throws AwsCallError when a call fails or items stay unprocessed
 */
const recordVerdicts = async (
  table: VerdictTable,
  scope: VerdictScope,
  records: readonly VerdictRecord[],
  refreshDays: number
): Promise<void> => {
  const batches: WriteRequest[][] = [];
  for (let start = 0; start < records.length; start += WRITE_BATCH) {
    batches.push(
      records.slice(start, start + WRITE_BATCH).map((record) => ({
        PutRequest: { Item: itemOf(scope, record, refreshDays) },
      }))
    );
  }
  await mapWithLimit(batches, WRITE_CONCURRENCY, (batch) =>
    writeBatch(table, batch)
  );
};

export type { VerdictRecord, VerdictScope, VerdictTable };
export {
  expiryDaysOf,
  partitionOf,
  readRuleVerdicts,
  readVerdicts,
  recordVerdicts,
};
