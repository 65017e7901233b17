/**
 * Small stateful in-process fakes of the AWS APIs that remember what a rule
 * reported, for the bench (bench/delta.ts) and the tests: moto stores no
 * evaluations of custom rules (it accepts PutEvaluations only in TestMode),
 * so the Config results API is played here, and with it Security Hub's
 * findings and the DynamoDB table of last verdicts.
 *
 * Each fake sits in a real SDK client's middleware stack, at the end of the
 * initialize step: the command's input is checked against the API's limits
 * and answered from the fake's state, without serialization or HTTP. A
 * call-counting middleware added to the same client (functions/shared/aws/
 * call-counter.ts) still counts every call. Failures are scripted per
 * operation and call number ({@link FakeFaults}): no timers, no randomness.
 */
import type {
  ConfigServiceClient,
  EvaluationResult,
  GetComplianceDetailsByConfigRuleCommandInput,
  GetComplianceDetailsByResourceCommandInput,
  PutEvaluationsCommandInput,
} from '@aws-sdk/client-config-service';
import type {
  AttributeValue,
  BatchGetItemCommandInput,
  BatchWriteItemCommandInput,
  DynamoDBClient,
  QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import type {
  AwsSecurityFinding,
  BatchImportFindingsCommandInput,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import type { ClientWithStack } from '../functions/shared/aws/call-counter.js';

/** An error as the SDK raises it for an AWS error answer. */
const awsError = (name: string, message: string): Error =>
  Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });

/** A failure of given calls of one operation. */
interface ScriptedFailure {
  /** `<Service>:<Operation>`, e.g. `ConfigService:PutEvaluations`. */
  readonly operation: string;
  /** The error the call raises (a fresh one each time). */
  readonly error: () => Error;
  /** The first call (0-based, counted per operation) to fail; default 0. */
  readonly from?: number;
  /** How many calls fail from there; default all. */
  readonly times?: number;
}

/** Which calls of the fakes fail, decided by operation and call number. */
class FakeFaults {
  private readonly script: ScriptedFailure[] = [];
  private readonly calls = new Map<string, number>();

  /** Adds failures; they apply to calls counted from now on as well. */
  public fail(...failures: readonly ScriptedFailure[]): void {
    this.script.push(...failures);
  }

  /** Forgets every failure and call count. */
  public clear(): void {
    this.script.length = 0;
    this.calls.clear();
  }

  /** The error of the next call of `operation`, if it is to fail. */
  public next(operation: string): Error | undefined {
    const call = this.calls.get(operation) ?? 0;
    this.calls.set(operation, call + 1);
    const failure = this.script.find((entry) => {
      const from = entry.from ?? 0;
      return (
        entry.operation === operation &&
        call >= from &&
        call < from + (entry.times ?? Number.POSITIVE_INFINITY)
      );
    });
    return failure?.error();
  }
}

type Handlers = Readonly<Record<string, (input: never) => object>>;

/**
 * Answers `client`'s commands from `handlers`, after any scripted failure.
 * A command without a handler is a test bug and fails loudly.
 */
const serve = (
  client: ClientWithStack,
  service: string,
  handlers: Handlers,
  faults: FakeFaults
): void => {
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const command = (context.commandName ?? '?').replace(/Command$/, '');
      const handler = handlers[command];
      if (handler === undefined) {
        throw new Error(`the fake ${service} does not serve ${command}`);
      }
      const failure = faults.next(`${service}:${command}`);
      if (failure) throw failure;
      const output = handler(structuredClone(args.input) as never);
      return { output: { $metadata: {}, ...output }, response: {} };
    },
    {
      step: 'initialize',
      priority: 'low',
      name: `vpceGuardFake${service}`,
      override: true,
    }
  );
};

// ---------------------------------------------------------------------------
// Config

/** The result token that makes the fake Config record for `configRuleName`. */
const resultTokenOf = (configRuleName: string): string =>
  `fake-result-token:${configRuleName}`;

const ruleNameOf = (resultToken: string): string | undefined =>
  resultToken.startsWith('fake-result-token:')
    ? resultToken.slice('fake-result-token:'.length)
    : undefined;

/** Config's page limit for GetComplianceDetailsByConfigRule. */
const CONFIG_MAX_LIMIT = 100;
const CONFIG_DEFAULT_LIMIT = 10;

/**
 * AWS Config's evaluation results of custom rules: PutEvaluations records
 * the latest result per rule and resource (nothing in TestMode);
 * GetComplianceDetailsByConfigRule pages through a rule's results and
 * GetComplianceDetailsByResource lists a resource's results over all
 * rules, both filtered by compliance type.
 */
class FakeConfig {
  /** Every evaluation PutEvaluations recorded (TestMode excluded). */
  public recorded = 0;
  private readonly results = new Map<string, EvaluationResult>();

  public constructor(private readonly clock: () => Date) {}

  /** Serves `client`'s Config calls from this fake. */
  public attach(client: ConfigServiceClient, faults: FakeFaults): void {
    serve(
      client as unknown as ClientWithStack,
      'ConfigService',
      {
        PutEvaluations: (input: PutEvaluationsCommandInput) =>
          this.putEvaluations(input),
        GetComplianceDetailsByConfigRule: (
          input: GetComplianceDetailsByConfigRuleCommandInput
        ) => this.byRule(input),
        GetComplianceDetailsByResource: (
          input: GetComplianceDetailsByResourceCommandInput
        ) => this.byResource(input),
      },
      faults
    );
  }

  /** The stored results of one rule, by resource id. */
  public resultsOf(configRuleName: string): EvaluationResult[] {
    return this.sorted().filter(
      (result) =>
        result.EvaluationResultIdentifier?.EvaluationResultQualifier
          ?.ConfigRuleName === configRuleName
    );
  }

  private sorted(): EvaluationResult[] {
    return [...this.results.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, result]) => result);
  }

  private putEvaluations(input: PutEvaluationsCommandInput): object {
    const evaluations = input.Evaluations ?? [];
    if (evaluations.length > 100) {
      throw awsError(
        'ValidationException',
        'Evaluations: at most 100 per call'
      );
    }
    const configRuleName = ruleNameOf(input.ResultToken ?? '');
    if (input.TestMode !== true && configRuleName === undefined) {
      throw awsError('InvalidResultTokenException', 'unknown result token');
    }
    for (const evaluation of evaluations) {
      if ((evaluation.Annotation ?? '').length > 256) {
        throw awsError('ValidationException', 'Annotation: at most 256');
      }
      if (input.TestMode === true || configRuleName === undefined) continue;
      const qualifier = {
        ConfigRuleName: configRuleName,
        ResourceType: evaluation.ComplianceResourceType,
        ResourceId: evaluation.ComplianceResourceId,
      };
      this.results.set(
        `${configRuleName}|${qualifier.ResourceType}|${qualifier.ResourceId}`,
        {
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: qualifier,
            OrderingTimestamp: evaluation.OrderingTimestamp,
          },
          ComplianceType: evaluation.ComplianceType,
          ...(evaluation.Annotation === undefined
            ? {}
            : { Annotation: evaluation.Annotation }),
          ResultRecordedTime: this.clock(),
          ConfigRuleInvokedTime: this.clock(),
        }
      );
      this.recorded += 1;
    }
    return { FailedEvaluations: [] };
  }

  private byRule(input: GetComplianceDetailsByConfigRuleCommandInput): object {
    const limit =
      input.Limit === undefined || input.Limit === 0
        ? CONFIG_DEFAULT_LIMIT
        : input.Limit;
    if (limit > CONFIG_MAX_LIMIT) {
      throw awsError('InvalidLimitException', 'Limit: at most 100');
    }
    const types = new Set<string>(input.ComplianceTypes ?? []);
    const all = this.resultsOf(input.ConfigRuleName ?? '').filter(
      (result) => types.size === 0 || types.has(result.ComplianceType ?? '')
    );
    const start = Number(input.NextToken ?? '0');
    const page = all.slice(start, start + limit);
    const next = start + limit;
    return {
      EvaluationResults: page,
      ...(next < all.length ? { NextToken: String(next) } : {}),
    };
  }

  private byResource(
    input: GetComplianceDetailsByResourceCommandInput
  ): object {
    const types = new Set<string>(input.ComplianceTypes ?? []);
    return {
      EvaluationResults: this.sorted().filter((result) => {
        const qualifier =
          result.EvaluationResultIdentifier?.EvaluationResultQualifier;
        return (
          qualifier?.ResourceType === input.ResourceType &&
          qualifier?.ResourceId === input.ResourceId &&
          (types.size === 0 || types.has(result.ComplianceType ?? ''))
        );
      }),
    };
  }
}

// ---------------------------------------------------------------------------
// Security Hub

/**
 * Security Hub's findings: BatchImportFindings stores each finding by Id
 * and, as Security Hub does, ignores an update whose UpdatedAt is not
 * after the stored one. Every finding sent counts as one ingestion.
 */
class FakeSecurityHub {
  /** Findings received, the ignored updates included: what is billed. */
  public ingested = 0;
  /** The stored findings, by Id. */
  public readonly findings = new Map<string, AwsSecurityFinding>();

  /** Serves `client`'s Security Hub calls from this fake. */
  public attach(client: SecurityHubClient, faults: FakeFaults): void {
    serve(
      client as unknown as ClientWithStack,
      'SecurityHub',
      {
        BatchImportFindings: (input: BatchImportFindingsCommandInput) =>
          this.importFindings(input),
      },
      faults
    );
  }

  private importFindings(input: BatchImportFindingsCommandInput): object {
    const findings = input.Findings ?? [];
    if (findings.length > 100) {
      throw awsError('InvalidInputException', 'Findings: at most 100');
    }
    for (const finding of findings) {
      this.ingested += 1;
      const id = finding.Id ?? '';
      const stored = this.findings.get(id);
      if (
        stored !== undefined &&
        Date.parse(finding.UpdatedAt ?? '') <=
          Date.parse(stored.UpdatedAt ?? '')
      ) {
        continue;
      }
      this.findings.set(id, finding);
    }
    return {
      FailedCount: 0,
      SuccessCount: findings.length,
      FailedFindings: [],
    };
  }
}

// ---------------------------------------------------------------------------
// DynamoDB

type Item = Record<string, AttributeValue>;

/** One table: its key attribute names and its items by partition and sort key. */
interface FakeTable {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly items: Map<string, Map<string, Item>>;
}

/** A Query page ends once about this much has been read (1 MB). */
const QUERY_PAGE_BYTES = 1024 * 1024;
const MAX_GET_KEYS = 100;
const MAX_WRITE_REQUESTS = 25;

const stringOf = (value: AttributeValue | undefined): string => {
  if (value?.S === undefined) {
    throw awsError('ValidationException', 'key attributes must be strings');
  }
  return value.S;
};

/**
 * DynamoDB tables with string partition and sort keys: Query (a key
 * condition `#pk = :value`, pages of about 1 MB, ExclusiveStartKey),
 * BatchGetItem (at most 100 keys) and BatchWriteItem (at most 25 puts or
 * deletes). {@link FakeDynamoDb.leaveUnprocessed} makes batch calls
 * process only half of what they are given (rounded down), as a throttled
 * table does.
 */
class FakeDynamoDb {
  private readonly tables = new Map<string, FakeTable>();
  private unprocessedCalls = 0;

  /** Creates an empty table. */
  public createTable(
    name: string,
    partitionKey: string,
    sortKey: string
  ): void {
    this.tables.set(name, { partitionKey, sortKey, items: new Map() });
  }

  /** Every item of a table, in key order. */
  public itemsOf(name: string): Item[] {
    const table = this.table(name);
    return [...table.items.keys()]
      .sort()
      .flatMap((pk) =>
        [...(table.items.get(pk)?.entries() ?? [])]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([, item]) => item)
      );
  }

  /** The next `calls` batch calls leave half of their keys or items (rounded up) unprocessed. */
  public leaveUnprocessed(calls: number): void {
    this.unprocessedCalls = calls;
  }

  /** Serves `client`'s DynamoDB calls from this fake. */
  public attach(client: DynamoDBClient, faults: FakeFaults): void {
    serve(
      client as unknown as ClientWithStack,
      'DynamoDB',
      {
        Query: (input: QueryCommandInput) => this.query(input),
        BatchGetItem: (input: BatchGetItemCommandInput) => this.batchGet(input),
        BatchWriteItem: (input: BatchWriteItemCommandInput) =>
          this.batchWrite(input),
      },
      faults
    );
  }

  private table(name: string | undefined): FakeTable {
    const table = this.tables.get(name ?? '');
    if (table === undefined) {
      throw awsError(
        'ResourceNotFoundException',
        `Requested resource not found: Table: ${name} not found`
      );
    }
    return table;
  }

  private keyOf(table: FakeTable, key: Item): [string, string] {
    return [stringOf(key[table.partitionKey]), stringOf(key[table.sortKey])];
  }

  private query(input: QueryCommandInput): object {
    const table = this.table(input.TableName);
    const match = /^\s*(#?\w+)\s*=\s*(:\w+)\s*$/.exec(
      input.KeyConditionExpression ?? ''
    );
    const name = match?.[1] ?? '';
    const attribute = name.startsWith('#')
      ? input.ExpressionAttributeNames?.[name]
      : name;
    if (match === null || attribute !== table.partitionKey) {
      throw awsError(
        'ValidationException',
        'the fake serves key conditions on the partition key only'
      );
    }
    const pk = stringOf(input.ExpressionAttributeValues?.[match[2] ?? '']);
    const after =
      input.ExclusiveStartKey === undefined
        ? undefined
        : this.keyOf(table, input.ExclusiveStartKey)[1];
    const sortKeys = [...(table.items.get(pk)?.keys() ?? [])]
      .sort()
      .filter((sk) => after === undefined || sk > after);
    const page: Item[] = [];
    let bytes = 0;
    for (const sk of sortKeys) {
      const item = table.items.get(pk)?.get(sk) as Item;
      page.push(structuredClone(item));
      bytes += JSON.stringify(item).length;
      if (bytes >= QUERY_PAGE_BYTES) break;
    }
    const last = page.at(-1);
    const more = last !== undefined && page.length < sortKeys.length;
    return {
      Items: page,
      Count: page.length,
      ...(more
        ? {
            LastEvaluatedKey: {
              [table.partitionKey]: { S: pk },
              [table.sortKey]: last[table.sortKey],
            },
          }
        : {}),
    };
  }

  /** True when this batch call is one of the throttled ones. */
  private throttled(): boolean {
    if (this.unprocessedCalls === 0) return false;
    this.unprocessedCalls -= 1;
    return true;
  }

  private batchGet(input: BatchGetItemCommandInput): object {
    const requests = Object.entries(input.RequestItems ?? {});
    const total = requests.reduce((n, [, r]) => n + (r.Keys?.length ?? 0), 0);
    if (total > MAX_GET_KEYS) {
      throw awsError(
        'ValidationException',
        'Too many items requested for the BatchGetItem call'
      );
    }
    const throttled = this.throttled();
    const responses: Record<string, Item[]> = {};
    const unprocessed: Record<string, { Keys: Item[] }> = {};
    for (const [name, request] of requests) {
      const table = this.table(name);
      const keys = request.Keys ?? [];
      const served = throttled ? Math.floor(keys.length / 2) : keys.length;
      responses[name] = keys.slice(0, served).flatMap((key) => {
        const [pk, sk] = this.keyOf(table, key);
        const item = table.items.get(pk)?.get(sk);
        return item === undefined ? [] : [structuredClone(item)];
      });
      if (served < keys.length) {
        unprocessed[name] = { Keys: keys.slice(served) };
      }
    }
    return { Responses: responses, UnprocessedKeys: unprocessed };
  }

  private batchWrite(input: BatchWriteItemCommandInput): object {
    const requests = Object.entries(input.RequestItems ?? {});
    const total = requests.reduce((n, [, r]) => n + r.length, 0);
    if (total > MAX_WRITE_REQUESTS) {
      throw awsError(
        'ValidationException',
        'Too many items requested for the BatchWriteItem call'
      );
    }
    const throttled = this.throttled();
    const unprocessed: BatchWriteItemCommandInput['RequestItems'] = {};
    for (const [name, writes] of requests) {
      const table = this.table(name);
      const served = throttled ? Math.floor(writes.length / 2) : writes.length;
      for (const write of writes.slice(0, served)) {
        if (write.PutRequest?.Item !== undefined) {
          const item = write.PutRequest.Item;
          const [pk, sk] = this.keyOf(table, item);
          let partition = table.items.get(pk);
          if (partition === undefined) {
            partition = new Map();
            table.items.set(pk, partition);
          }
          partition.set(sk, structuredClone(item));
        } else if (write.DeleteRequest?.Key !== undefined) {
          const [pk, sk] = this.keyOf(table, write.DeleteRequest.Key);
          table.items.get(pk)?.delete(sk);
        }
      }
      if (served < writes.length) unprocessed[name] = writes.slice(served);
    }
    return { UnprocessedItems: unprocessed };
  }
}

// ---------------------------------------------------------------------------
// Together

/** The table of last verdicts in the fakes, keyed as infra/verdict-table.ts keys it. */
const FAKE_VERDICT_TABLE = 'vpce-guard-last-verdicts';

/** The fakes a rule reports to, sharing one script of failures. */
interface FakeServices {
  readonly config: FakeConfig;
  readonly securityHub: FakeSecurityHub;
  readonly dynamodb: FakeDynamoDb;
  readonly faults: FakeFaults;
}

/**
 * Empty fakes of Config, Security Hub and DynamoDB (with the verdict table
 * {@link FAKE_VERDICT_TABLE}), their timestamps from `clock`.
 */
const createFakeServices = (clock: () => Date): FakeServices => {
  const dynamodb = new FakeDynamoDb();
  dynamodb.createTable(FAKE_VERDICT_TABLE, 'rule', 'resource');
  return {
    config: new FakeConfig(clock),
    securityHub: new FakeSecurityHub(),
    dynamodb,
    faults: new FakeFaults(),
  };
};

export type { FakeServices, ScriptedFailure };
export {
  awsError,
  createFakeServices,
  FAKE_VERDICT_TABLE,
  FakeConfig,
  FakeDynamoDb,
  FakeFaults,
  FakeSecurityHub,
  resultTokenOf,
};
