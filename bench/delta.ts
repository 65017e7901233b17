/**
 * The delta part of `npm run bench` (issue 15): every rule's Lambda handler
 * (createRuleHandler, as deployed, with the table of last verdicts) runs on
 * a landscape moto holds, reporting to the stateful fakes of
 * bench/fake-aws.ts, in three scenarios:
 *
 * - `first`: a periodic run of every rule on an empty state;
 * - `unchanged`: the same again, nothing having changed;
 * - `one-change`: one route table of moto gets a route that sends part of
 *   S3's prefix list to its NAT gateway, and the change notification of
 *   that route table goes to every rule that triggers on route tables.
 *
 * Per scenario it prints what was sent and the AWS calls made, the calls
 * that reading the prior state took from the table, the calls the other
 * candidate — Config's own results — would have taken, the handler's
 * duration and the process's peak RSS. Each case runs in a child process of
 * its own (bench/run.ts), so its RSS is its own.
 */
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  GetComplianceDetailsByResourceCommand,
} from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateRouteCommand,
  DescribePrefixListsCommand,
  DescribeRouteTablesCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
  type RouteTable,
} from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { Context } from 'aws-lambda';
import { createRuleHandler } from '../functions/config-rule/create-rule-handler.js';
import type {
  AccountClients,
  RuleRunResult,
} from '../functions/config-rule/run-config-rule.js';
import {
  CallCounter,
  countCalls,
} from '../functions/shared/aws/call-counter.js';
import { createLogger } from '../functions/shared/logger.js';
import { rules } from '../rules/index.js';
import type { Rule } from '../rules/model/rule.js';
import { changeNotification, scheduledNotification } from './config-events.js';
import {
  createFakeServices,
  FAKE_VERDICT_TABLE,
  type FakeServices,
  resultTokenOf,
} from './fake-aws.js';
import { round } from './stats.js';

const REGION = 'us-east-1';
// moto's default account.
const ACCOUNT = '123456789012';
const SUBNET_RULE = 'private-subnet-gateway-endpoints';

/** The scenarios, in the order they run. */
type Scenario = 'first' | 'unchanged' | 'one-change';

/** One line of the delta bench. */
interface DeltaLine {
  readonly case: string;
  readonly scenario: Scenario;
  /**
   * The evaluations the runs produced: what they sent before the table of
   * last verdicts, when every evaluation was sent.
   */
  readonly evaluated: number;
  readonly evaluationsSent: number;
  readonly findingsSent: number;
  /** Every AWS call of the scenario: EC2, Route 53, Config, Security Hub, DynamoDB. */
  readonly awsCalls: number;
  /** Of those, the calls reading the prior state from the table. */
  readonly priorStateCalls: number;
  /** The calls reading the prior state from Config's results would have taken. */
  readonly priorStateCallsFromConfig: number;
  readonly invocations: number;
  /** The handler's wall time, summed over the scenario's invocations. */
  readonly durationMs: number;
  /** The longest invocation of the scenario. */
  readonly maxInvocationMs: number;
  /**
   * CPU time (user and system) the bench process spent in the handler,
   * summed: what a Lambda's share of a vCPU stretches.
   */
  readonly cpuMs: number;
  /** The bench process's peak RSS so far. */
  readonly peakRssMb: number;
}

const configRuleNameOf = (rule: Rule): string =>
  `vpce-guard-${rule.metadata.id}`;

const configRuleArnOf = (rule: Rule): string =>
  `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-${rule.metadata.id}`;

const eventOf = (rule: Rule, invokingEvent: object) => ({
  version: '1.0',
  invokingEvent: JSON.stringify(invokingEvent),
  ruleParameters: '{}',
  resultToken: resultTokenOf(configRuleNameOf(rule)),
  eventLeftScope: false,
  executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/config-role`,
  configRuleArn: configRuleArnOf(rule),
  configRuleName: configRuleNameOf(rule),
  configRuleId: `config-rule-${rule.metadata.id}`,
  accountId: ACCOUNT,
});

const periodicEvent = (rule: Rule, now: Date) =>
  eventOf(rule, scheduledNotification(ACCOUNT, now.toISOString()));

const routeTableChangeEvent = (rule: Rule, table: RouteTable, now: Date) =>
  eventOf(
    rule,
    changeNotification({
      accountId: ACCOUNT,
      region: REGION,
      resourceType: 'AWS::EC2::RouteTable',
      resourceId: table.RouteTableId,
      configuration: { routeTableId: table.RouteTableId, vpcId: table.VpcId },
      capturedAt: now.toISOString(),
      notifiedAt: now.toISOString(),
    })
  );

const lambdaContext = (ruleId: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: `vpce-guard-${ruleId}`,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:vpce-guard-${ruleId}`,
  memoryLimitInMB: '1024',
  awsRequestId: `bench-${ruleId}`,
  logGroupName: `/aws/lambda/vpce-guard-${ruleId}`,
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 300_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** The clients of one case: EC2 and Route 53 to moto, the rest to the fakes. */
interface BenchClients {
  readonly account: AccountClients;
  readonly dynamodb: DynamoDBClient;
  /** A Config client of its own, for the alternative's reads. */
  readonly configProbe: ConfigServiceClient;
}

const createClients = (
  endpoint: string,
  fakes: FakeServices,
  counter: CallCounter,
  probeCounter: CallCounter
): BenchClients => {
  const local = {
    region: REGION,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  const ec2 = new EC2Client({ ...local, endpoint });
  const route53 = new Route53Client({ ...local, endpoint });
  const config = new ConfigServiceClient(local);
  const securityHub = new SecurityHubClient(local);
  const dynamodb = new DynamoDBClient(local);
  const configProbe = new ConfigServiceClient(local);
  for (const client of [ec2, route53, config, securityHub, dynamodb]) {
    countCalls(client, counter);
  }
  countCalls(configProbe, probeCounter);
  fakes.config.attach(config, fakes.faults);
  fakes.config.attach(configProbe, fakes.faults);
  fakes.securityHub.attach(securityHub, fakes.faults);
  fakes.dynamodb.attach(dynamodb, fakes.faults);
  return {
    account: { ec2, route53, config, securityHub, principal: 'bench' },
    dynamodb,
    configProbe,
  };
};

/**
 * What reading the prior state from Config's own results costs a periodic
 * run: every result of the rule, all three compliance types, 100 a page.
 */
const readRuleFromConfig = async (
  config: ConfigServiceClient,
  configRuleName: string
): Promise<void> => {
  let nextToken: string | undefined;
  do {
    const page = await config.send(
      new GetComplianceDetailsByConfigRuleCommand({
        ConfigRuleName: configRuleName,
        ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'],
        Limit: 100,
        NextToken: nextToken,
      })
    );
    nextToken = page.NextToken;
  } while (nextToken);
};

/**
 * What it costs a change event: Config filters a rule's results by nothing
 * but compliance type, so the only reads that do not page through the
 * whole rule are per resource, over every rule of that resource.
 */
const readResourcesFromConfig = async (
  config: ConfigServiceClient,
  result: RuleRunResult
): Promise<void> => {
  for (const evaluation of result.evaluations) {
    let nextToken: string | undefined;
    do {
      const page = await config.send(
        new GetComplianceDetailsByResourceCommand({
          ResourceType: evaluation.resourceType,
          ResourceId: evaluation.resourceId,
          NextToken: nextToken,
        })
      );
      nextToken = page.NextToken;
    } while (nextToken);
  }
};

/** The CIDRs of moto's S3 prefix list. */
const s3Cidrs = async (ec2: EC2Client): Promise<string[]> => {
  const [list] =
    (
      await ec2.send(
        new DescribePrefixListsCommand({
          Filters: [
            {
              Name: 'prefix-list-name',
              Values: [`com.amazonaws.${REGION}.s3`],
            },
          ],
        })
      )
    ).PrefixLists ?? [];
  if (list?.Cidrs && list.Cidrs.length > 0) return list.Cidrs;
  const entries = await ec2.send(
    new GetManagedPrefixListEntriesCommand({ PrefixListId: list?.PrefixListId })
  );
  return (entries.Entries ?? []).flatMap((entry) => entry.Cidr ?? []);
};

/** The first half of `cidr`: a route more specific than the prefix list's. */
const firstHalfOf = (cidr: string): string => {
  const [address, length] = cidr.split('/');
  return `${address}/${Math.min(Number(length) + 1, 32)}`;
};

const nameOf = (table: RouteTable): string =>
  table.Tags?.find((tag) => tag.Key === 'Name')?.Value ?? '';

/**
 * A private route table of moto with a NAT default route, a gateway
 * endpoint route and subnets that the first run found COMPLIANT: the
 * route this bench adds makes each of those subnets NON_COMPLIANT.
 */
const compliantPrivateTable = async (
  ec2: EC2Client,
  fakes: FakeServices
): Promise<RouteTable & { subnets: string[] }> => {
  const rule = rules.find((r) => r.metadata.id === SUBNET_RULE) as Rule;
  const compliant = new Set(
    fakes.config
      .resultsOf(configRuleNameOf(rule))
      .filter((result) => result.ComplianceType === 'COMPLIANT')
      .flatMap(
        (result) =>
          result.EvaluationResultIdentifier?.EvaluationResultQualifier
            ?.ResourceId ?? []
      )
  );
  const tables = (await ec2.send(new DescribeRouteTablesCommand({})))
    .RouteTables;
  // By the landscape's Name tag, not by id: moto makes new ids every run,
  // and the bench must change the same table each time.
  for (const table of [...(tables ?? [])].sort((a, b) =>
    nameOf(a).localeCompare(nameOf(b), 'en', { numeric: true })
  )) {
    const routes = table.Routes ?? [];
    const subnets = (table.Associations ?? []).flatMap(
      (association) => association.SubnetId ?? []
    );
    if (
      routes.some((r) => r.NatGatewayId !== undefined) &&
      routes.some((r) => r.GatewayId?.startsWith('vpce-')) &&
      subnets.length > 0 &&
      subnets.every((id) => compliant.has(id))
    ) {
      return { ...table, subnets };
    }
  }
  throw new Error('no private route table with COMPLIANT subnets in moto');
};

/** Sends part of S3's prefix list through `table`'s NAT gateway. */
const bypassGatewayEndpoint = async (
  ec2: EC2Client,
  table: RouteTable
): Promise<void> => {
  const nat = (table.Routes ?? []).find((r) => r.NatGatewayId !== undefined);
  const [cidr] = await s3Cidrs(ec2);
  if (cidr === undefined) throw new Error('moto lists no S3 CIDR');
  await ec2.send(
    new CreateRouteCommand({
      RouteTableId: table.RouteTableId,
      DestinationCidrBlock: firstHalfOf(cidr),
      NatGatewayId: nat?.NatGatewayId,
    })
  );
};

const PRIOR_STATE_OPERATIONS = [
  'DynamoDB:QueryCommand',
  'DynamoDB:BatchGetItemCommand',
];

/**
 * One invocation of a scenario, and the alternative's reads of the prior
 * state, made beside it and timed apart from it.
 */
interface Step {
  /** The alternative's reads that need the state before the run. */
  readonly before?: () => Promise<void>;
  readonly invoke: () => Promise<RuleRunResult>;
  /** The alternative's reads that need to know what the run evaluated. */
  readonly after?: (result: RuleRunResult) => Promise<void>;
}

/** Runs `steps` and measures them into one bench line. */
const measure = async (
  name: string,
  scenario: Scenario,
  counter: CallCounter,
  probeCounter: CallCounter,
  steps: readonly Step[]
): Promise<DeltaLine> => {
  const callsBefore = counter.total;
  const priorBefore = priorCalls(counter);
  const probeBefore = probeCounter.total;
  let evaluated = 0;
  let evaluationsSent = 0;
  let findingsSent = 0;
  let durationMs = 0;
  let maxInvocationMs = 0;
  let cpuMicros = 0;
  for (const step of steps) {
    await step.before?.();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = await step.invoke();
    const elapsed = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    cpuMicros += cpu.user + cpu.system;
    await step.after?.(result);
    durationMs += elapsed;
    maxInvocationMs = Math.max(maxInvocationMs, elapsed);
    evaluated += result.evaluations.length;
    evaluationsSent += result.sentToConfig.reduce(
      (n, call) => n + (call.Evaluations?.length ?? 0),
      0
    );
    findingsSent += result.sentToSecurityHub.reduce(
      (n, call) => n + (call.Findings?.length ?? 0),
      0
    );
  }
  return {
    case: name,
    scenario,
    evaluated,
    evaluationsSent,
    findingsSent,
    awsCalls: counter.total - callsBefore,
    priorStateCalls: priorCalls(counter) - priorBefore,
    priorStateCallsFromConfig: probeCounter.total - probeBefore,
    invocations: steps.length,
    durationMs: round(durationMs),
    maxInvocationMs: round(maxInvocationMs),
    cpuMs: round(cpuMicros / 1000),
    peakRssMb: round(process.resourceUsage().maxRSS / 1024),
  };
};

const priorCalls = (counter: CallCounter): number => {
  const byOperation = counter.byOperation();
  return PRIOR_STATE_OPERATIONS.reduce(
    (n, operation) => n + (byOperation[operation] ?? 0),
    0
  );
};

/** Runs a rule's handler (built as deployed, with the table of last verdicts) on an event. */
type Invoker = (rule: Rule, event: unknown) => () => Promise<RuleRunResult>;

/** One handler per rule, as createRuleHandler builds it for Lambda. */
const invokerOf = (
  clients: ReturnType<typeof createClients>,
  clock: () => Date
): Invoker => {
  const logger = createLogger('silent');
  const handlers = new Map(
    rules.map((rule) => [
      rule.metadata.id,
      createRuleHandler({
        rule,
        clients: {
          own: clients.account,
          forMemberRole: () => clients.account,
        },
        logger,
        clock,
        verdictTable: {
          client: clients.dynamodb,
          tableName: FAKE_VERDICT_TABLE,
          principal: 'bench',
        },
      }),
    ])
  );
  return (rule, event) => async () =>
    (handlers.get(rule.metadata.id) as ReturnType<typeof createRuleHandler>)(
      event,
      lambdaContext(rule.metadata.id)
    );
};

/**
 * `one-change`: a route to part of S3's prefix list through the NAT
 * gateway on one private route table whose subnets were COMPLIANT, and
 * that table's change notification to the rules that trigger on route
 * tables.
 *
 * @throws Error when anything but that table's subnets is sent
 */
const measureOneChange = async (
  name: string,
  {
    clients,
    fakes,
    counters,
    invoke,
    now,
  }: {
    readonly clients: ReturnType<typeof createClients>;
    readonly fakes: ReturnType<typeof createFakeServices>;
    readonly counters: {
      readonly counter: CallCounter;
      readonly probeCounter: CallCounter;
    };
    readonly invoke: Invoker;
    readonly now: Date;
  }
): Promise<DeltaLine> => {
  const ec2 = clients.account.ec2;
  const table = await compliantPrivateTable(ec2, fakes);
  await bypassGatewayEndpoint(ec2, table);
  const subscribed = rules.filter((rule) =>
    rule.metadata.triggerResourceTypes.includes('AWS::EC2::RouteTable')
  );
  const sent: string[] = [];
  const line = await measure(
    name,
    'one-change',
    counters.counter,
    counters.probeCounter,
    subscribed.map((rule) => ({
      invoke: invoke(rule, routeTableChangeEvent(rule, table, now)),
      after: async (result: RuleRunResult) => {
        await readResourcesFromConfig(clients.configProbe, result);
        sent.push(
          ...result.sentToConfig.flatMap((call) =>
            (call.Evaluations ?? []).map((e) => e.ComplianceResourceId ?? '?')
          )
        );
      },
    }))
  );
  const expected = [...table.subnets].sort();
  if (JSON.stringify([...sent].sort()) !== JSON.stringify(expected)) {
    throw new Error(
      `one-change sent ${JSON.stringify(sent)}, expected the subnets of ${table.RouteTableId}: ${JSON.stringify(expected)}`
    );
  }
  return line;
};

/**
 * Runs the three scenarios on the landscape moto at `endpoint` holds and
 * returns one line each.
 *
 * @throws Error when the one-change scenario sends anything but the
 *   changed route table's subnets
 */
const measureDelta = async (
  endpoint: string,
  name: string
): Promise<DeltaLine[]> => {
  const now = new Date('2026-11-23T10:00:00.000Z');
  const clock = () => now;
  const fakes = createFakeServices(clock);
  const counters = {
    counter: new CallCounter(),
    probeCounter: new CallCounter(),
  };
  const clients = createClients(
    endpoint,
    fakes,
    counters.counter,
    counters.probeCounter
  );
  const invoke = invokerOf(clients, clock);
  const periodicRuns = (): Step[] =>
    rules.map((rule) => ({
      before: () =>
        readRuleFromConfig(clients.configProbe, configRuleNameOf(rule)),
      invoke: invoke(rule, periodicEvent(rule, now)),
    }));
  const { counter, probeCounter } = counters;
  const first = await measure(
    name,
    'first',
    counter,
    probeCounter,
    periodicRuns()
  );
  const unchanged = await measure(
    name,
    'unchanged',
    counter,
    probeCounter,
    periodicRuns()
  );
  const oneChange = await measureOneChange(name, {
    clients,
    fakes,
    counters,
    invoke,
    now,
  });
  return [first, unchanged, oneChange];
};

export type { DeltaLine, Scenario };
export { measureDelta };
