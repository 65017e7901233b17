/**
 * Fault injection against moto (issue 7): with a share of AWS calls failing
 * the way AWS fails them (throttling, 500, connection reset, hung
 * connection), the Lambda flow reports exactly what a fault-free run
 * reports; a failure no retry can fix (AccessDenied, a rejected item)
 * fails the invocation with one clear line and never reports what it could
 * not see; and a re-delivered event reports the same evaluations under the
 * same finding Ids.
 *
 * The clients are built from the handler's own configuration
 * (functions/shared/aws/client-config.ts): adaptive retries and 10 attempts.
 * Nothing here depends on how fast the machine is: a hung attempt is
 * injected as the TimeoutError the HTTP handler raises when its timer
 * expires, the test clients run no socket timers of their own (a slow moto
 * on a busy machine must not become a fault) and no retry waits
 * (helpers/faults.ts retryWithoutWaiting), and the cases of one test run
 * one after the other. That the production handler does raise that error
 * on a connection that never answers is shown once, against a server that
 * never answers, so no timer races anything.
 */
import {
  ConfigServiceClient,
  DescribeConfigRulesCommand,
  type PutEvaluationsCommandInput,
} from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import {
  type AwsSecurityFinding,
  type BatchImportFindingsCommandInput,
  paginateGetFindings,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  changeNotification,
  scheduledNotification,
} from '../../bench/config-events.js';
import {
  type AccountClients,
  type RuleRunResult,
  runConfigRule,
} from '../../functions/config-rule/run-config-rule.js';
import {
  HTTP_HANDLER_OPTIONS,
  MAX_ATTEMPTS,
  sdkClientConfig,
} from '../../functions/shared/aws/client-config.js';
import {
  AccessDeniedError,
  AwsCallError,
  ReportRejectedError,
} from '../../functions/shared/errors.js';
import { createLogger } from '../../functions/shared/logger.js';
import { UpdatedAtMemo } from '../../functions/shared/report/securityhub-reporter.js';
import { ruleNamed } from '../helpers/factories.js';
import {
  actionHeader,
  type Fault,
  FaultInjector,
  FaultServer,
  requestTimeoutError,
  retryWithoutWaiting,
  TRANSIENT_FAULTS,
  type TransientFault,
  withoutTimers,
} from './helpers/faults.js';
import { buildLandscape, type Landscape } from './helpers/landscape.js';
import { resetMoto } from './helpers/moto.js';

// moto's default account.
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const PRINCIPAL = 'arn:aws:iam::123456789012:role/vpce-guard-member';
const SUBNET_RULE = 'private-subnet-gateway-endpoints';
const PUT_EVALUATIONS = 'ConfigService:PutEvaluations';
const IMPORT_FINDINGS = 'SecurityHub:BatchImportFindings';

/** The Lambda function's timeout (infra/rule-function.ts). */
const LAMBDA_TIMEOUT_MS = 5 * 60 * 1000;

const silent = createLogger('silent');

const periodicEvent = () => ({
  version: '1.0',
  invokingEvent: JSON.stringify(
    scheduledNotification(ACCOUNT, '2026-11-23T10:00:00.000Z')
  ),
  ruleParameters: '{}',
  resultToken: 'TESTMODE',
  eventLeftScope: false,
  executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/config-role`,
  configRuleArn: `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-abc123`,
  configRuleName: 'vpce-guard-rule',
  configRuleId: 'config-rule-abc123',
  accountId: ACCOUNT,
});

const changeEvent = (
  resourceType: string,
  resourceId: string,
  configuration: object
) => ({
  ...periodicEvent(),
  invokingEvent: JSON.stringify(
    changeNotification({
      accountId: ACCOUNT,
      region: REGION,
      resourceType,
      resourceId,
      configuration,
      capturedAt: '2026-11-23T09:30:00.000Z',
      notifiedAt: '2026-11-23T09:31:00.000Z',
    })
  ),
});

/** One rule on one event. */
interface Case {
  readonly ruleId: string;
  readonly trigger: 'periodic' | 'change';
  readonly event: unknown;
}

/**
 * Every rule at least once, each trigger at least twice. The subnet rule
 * runs on both: on the periodic event and on a route-table change in the
 * legacy VPC (over 100 subnets) it makes two PutEvaluations and two
 * BatchImportFindings calls. The others share the loader and the
 * reporters, so one trigger each is enough.
 */
const casesOf = (landscape: Landscape): Case[] => {
  const legacy = landscape.vpc('legacy');
  const good = landscape.vpc('good');
  const table = legacy.privateRouteTableIds[0] ?? '';
  const ssm = good.interfaceEndpoints[0]?.vpcEndpointId ?? '';
  const routeTableChange = changeEvent('AWS::EC2::RouteTable', table, {
    routeTableId: table,
    vpcId: legacy.vpcId,
  });
  const endpointChange = changeEvent('AWS::EC2::VPCEndpoint', ssm, {
    vpcEndpointId: ssm,
    vpcId: good.vpcId,
  });
  return [
    { ruleId: SUBNET_RULE, trigger: 'periodic', event: periodicEvent() },
    { ruleId: SUBNET_RULE, trigger: 'change', event: routeTableChange },
    {
      ruleId: 'interface-endpoint-multi-az',
      trigger: 'change',
      event: endpointChange,
    },
    {
      ruleId: 'interface-endpoint-private-dns',
      trigger: 'periodic',
      event: periodicEvent(),
    },
    {
      ruleId: 'endpoint-policy-restrictive',
      trigger: 'change',
      event: endpointChange,
    },
    {
      ruleId: 'interface-endpoint-https-ingress',
      trigger: 'periodic',
      event: periodicEvent(),
    },
  ];
};

/**
 * Client settings: the handler's, without socket timers and without retry
 * waits (see retryWithoutWaiting), and overrides.
 */
const testClientConfig = (overrides: { maxAttempts?: number } = {}) => {
  const config = { ...sdkClientConfig(undefined), ...overrides };
  return {
    ...config,
    requestHandler: withoutTimers(HTTP_HANDLER_OPTIONS),
    retryStrategy: retryWithoutWaiting(config.maxAttempts),
  };
};

/** Runs the cases one after the other: moto is one process, and a pile of
 * concurrent cases only makes every answer slower. */
const runEach = async <T>(
  items: readonly T[],
  run: (item: T, index: number) => Promise<RuleRunResult>
): Promise<RuleRunResult[]> => {
  const results: RuleRunResult[] = [];
  for (const [index, item] of items.entries()) {
    results.push(await run(item, index));
  }
  return results;
};

/**
 * Runs one case with fresh clients (a fresh container: its own retry
 * quota and rate limiter), faults injected when an injector is given.
 * `updatedAt` is the container's Security Hub memo: a re-delivery to the
 * same container passes the first delivery's.
 */
const runCase = async (
  testCase: Case,
  injector?: FaultInjector,
  overrides: { maxAttempts?: number } = {},
  updatedAt = new UpdatedAtMemo()
): Promise<RuleRunResult> => {
  const config = testClientConfig(overrides);
  const ec2 = new EC2Client(config);
  const configService = new ConfigServiceClient(config);
  const securityHub = new SecurityHubClient(config);
  const route53 = new Route53Client(config);
  for (const client of [ec2, configService, securityHub, route53]) {
    injector?.attach(client);
  }
  const clients: AccountClients = {
    ec2,
    route53,
    config: configService,
    securityHub,
    principal: PRINCIPAL,
  };
  try {
    return await runConfigRule(testCase.event, {
      rule: ruleNamed(testCase.ruleId),
      clientsFor: async () => clients,
      logger: silent,
      runbookBaseUrl: 'https://runbooks.example.test',
      // The events are TestMode runs (moto's Config takes nothing else).
      importFindingsInTestMode: true,
      clock: () => new Date(),
      updatedAt,
    });
  } finally {
    ec2.destroy();
    configService.destroy();
    securityHub.destroy();
  }
};

/** Evaluations as Config sees them: id, verdict, annotation. */
const evaluationsIn = (batches: readonly unknown[]) =>
  (batches as PutEvaluationsCommandInput[])
    .flatMap((batch) => batch.Evaluations ?? [])
    .map((e) => [e.ComplianceResourceId, e.ComplianceType, e.Annotation]);

/** Findings as Security Hub sees them: Id, status, record state. */
const findingsIn = (batches: readonly unknown[]) =>
  (batches as BatchImportFindingsCommandInput[])
    .flatMap((batch) => batch.Findings ?? [])
    .map((f) => [f.Id, f.Compliance?.Status, f.RecordState]);

/** What one run reported: to Config and to Security Hub. */
const reported = (result: RuleRunResult) => ({
  evaluations: evaluationsIn(result.sentToConfig),
  findings: findingsIn(result.sentToSecurityHub),
});

/** What moto accepted through the injector, in the same shape. */
const accepted = (injector: FaultInjector) => ({
  evaluations: evaluationsIn(injector.accepted(PUT_EVALUATIONS)),
  findings: findingsIn(injector.accepted(IMPORT_FINDINGS)),
});

const caseName = (testCase: Case) => `${testCase.ruleId}/${testCase.trigger}`;

/** Every vpce-guard finding moto holds. */
const findingsInMoto = async (): Promise<AwsSecurityFinding[]> => {
  const securityHub = new SecurityHubClient({});
  const findings: AwsSecurityFinding[] = [];
  for await (const page of paginateGetFindings({ client: securityHub }, {})) {
    findings.push(...(page.Findings ?? []));
  }
  securityHub.destroy();
  return findings.filter((f) => f.Id?.startsWith('vpce-guard/'));
};

describe('the Lambda flow under injected faults', () => {
  let server: FaultServer;
  let landscape: Landscape;
  let cases: Case[];
  /** The fault-free run of each case, by case name. */
  const baseline = new Map<string, ReturnType<typeof reported>>();

  beforeAll(async () => {
    server = await FaultServer.start();
    await resetMoto();
    landscape = await buildLandscape(new EC2Client({}), {
      vpcs: [
        {
          name: 'good',
          privateSubnets: 2,
          gatewayEndpoints: [{ service: 's3' }, { service: 'dynamodb' }],
          interfaceEndpoints: [
            {
              service: 'ssm',
              azs: [0, 1],
              policy: {
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: '*',
                    Action: '*',
                    Resource: '*',
                    Condition: {
                      StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
                    },
                  },
                ],
              },
            },
            { service: 'ec2', azs: [0, 1] },
          ],
        },
        {
          name: 'legacy',
          internet: false,
          // Over 100 subnets: Config and Security Hub take two calls each.
          privateSubnets: 104,
          dnsHostnames: false,
          gatewayEndpoints: [{ service: 's3', routeTables: [0] }],
          interfaceEndpoints: [
            { service: 'sts', azs: [0], httpsFromVpc: false },
          ],
        },
      ],
    });
    cases = casesOf(landscape);
    const results = await runEach(cases, (c) => runCase(c));
    for (const [i, result] of results.entries()) {
      baseline.set(caseName(cases[i] as Case), reported(result));
    }
  });

  afterAll(async () => {
    await server.close();
  });

  it('has a baseline with every verdict, and over 100 subnets for the subnet rule on both triggers', () => {
    // Act
    const verdicts = new Set(
      [...baseline.values()].flatMap((r) => r.evaluations.map((e) => e[1]))
    );

    // Assert: more than one batch for Config and for Security Hub
    expect(verdicts).toEqual(
      new Set(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'])
    );
    for (const trigger of ['periodic', 'change']) {
      const run = baseline.get(`${SUBNET_RULE}/${trigger}`);
      expect(run?.evaluations.length).toBeGreaterThan(100);
      expect(run?.findings.length).toBeGreaterThan(100);
    }
  });

  describe('transient faults', () => {
    it.each<[string, readonly TransientFault[], number]>([
      ['throttling', ['throttling'], 100],
      ['HTTP 500', ['server-error'], 200],
      ['connection resets', ['connection-reset'], 300],
      ['hung connections', ['timeout'], 400],
      ['every kind of fault at once', TRANSIENT_FAULTS, 500],
    ])(
      'reports exactly what a fault-free run reports under %s',
      async (_, kinds, seed) => {
        // Arrange: a quarter of all attempts fail, and so does the first
        // attempt of every report call, whatever the dice say.
        const first = kinds[0] ?? 'throttling';
        const last = kinds.at(-1) ?? first;
        const injectors = cases.map(
          (_c, i) =>
            new FaultInjector(server, {
              seed: seed + i,
              rate: 0.25,
              kinds,
              script: [
                { operation: PUT_EVALUATIONS, fault: first, times: 1 },
                { operation: IMPORT_FINDINGS, fault: last, times: 1 },
              ],
            })
        );

        // Act
        const results = await runEach(cases, (c, i) =>
          runCase(c, injectors[i])
        );

        // Assert
        for (const [i, testCase] of cases.entries()) {
          const expected = baseline.get(caseName(testCase));
          const injector = injectors[i] as FaultInjector;
          expect({
            case: caseName(testCase),
            ...reported(results[i] as RuleRunResult),
          }).toEqual({ case: caseName(testCase), ...expected });
          // Nothing lost or doubled: moto accepted each batch exactly once.
          expect(accepted(injector)).toEqual(expected);
        }
        // Every kind asked for was injected somewhere, and nothing else.
        const seen = new Set(
          injectors.flatMap((injector) => Object.keys(injector.injected()))
        );
        expect([...seen].sort()).toEqual([...kinds].sort());
      }
    );
  });

  describe('failures no retry can fix', () => {
    /** The subnet rule on its periodic event: two calls per report. */
    const periodicSubnetCase = (): Case =>
      cases.find(
        (c) => c.ruleId === SUBNET_RULE && c.trigger === 'periodic'
      ) as Case;

    it.each<{
      readonly name: string;
      readonly operation: string;
      readonly fault: Fault;
      readonly maxAttempts?: number;
      readonly error: typeof AwsCallError | typeof ReportRejectedError;
      readonly message: RegExp;
      /** How many attempts of the operation are made, in all. */
      readonly attempts: number;
    }>([
      {
        name: 'AccessDenied on an EC2 describe call',
        operation: 'EC2:DescribeRouteTables',
        fault: 'access-denied',
        error: AccessDeniedError,
        message: new RegExp(
          `^access denied: ${PRINCIPAL} may not call ec2:DescribeRouteTables$`
        ),
        attempts: 1,
      },
      {
        name: 'AccessDenied on PutEvaluations',
        operation: PUT_EVALUATIONS,
        fault: 'access-denied',
        error: AccessDeniedError,
        message: new RegExp(
          `^access denied: ${PRINCIPAL} may not call config:PutEvaluations$`
        ),
        attempts: 1,
      },
      {
        name: 'a FailedEvaluations entry',
        operation: PUT_EVALUATIONS,
        fault: 'rejected-item',
        error: ReportRejectedError,
        message:
          /^config:PutEvaluations rejected 1 of \d+ evaluations: AWS::EC2::Subnet subnet-[0-9a-f]+$/,
        // The second batch is still sent; then the invocation fails.
        attempts: 2,
      },
      {
        name: 'AccessDenied on BatchImportFindings',
        operation: IMPORT_FINDINGS,
        fault: 'access-denied',
        error: AccessDeniedError,
        message: new RegExp(
          `^access denied: ${PRINCIPAL} may not call securityhub:BatchImportFindings$`
        ),
        attempts: 1,
      },
      {
        name: 'a FailedFindings entry',
        operation: IMPORT_FINDINGS,
        fault: 'rejected-item',
        error: ReportRejectedError,
        message:
          /^securityhub:BatchImportFindings rejected 1 of \d+ findings: vpce-guard\/private-subnet-gateway-endpoints\/us-east-1\/subnet-[0-9a-f]+ \(InvalidInput: [^)]+\)$/,
        attempts: 2,
      },
      {
        name: 'HTTP 500 on every attempt of an EC2 describe call',
        operation: 'EC2:DescribeVpcEndpoints',
        fault: 'server-error',
        maxAttempts: 3,
        error: AwsCallError,
        message:
          /^ec2:DescribeVpcEndpoints failed: InternalError: An internal error has occurred$/,
        attempts: 3,
      },
      {
        name: 'a hung connection on every attempt of PutEvaluations',
        operation: PUT_EVALUATIONS,
        fault: 'timeout',
        maxAttempts: 3,
        error: AwsCallError,
        message: /^config:PutEvaluations failed: TimeoutError: [^\n]+$/,
        attempts: 3,
      },
      {
        name: 'throttling on every attempt of BatchImportFindings',
        operation: IMPORT_FINDINGS,
        fault: 'throttling',
        maxAttempts: 2,
        error: AwsCallError,
        message:
          /^securityhub:BatchImportFindings failed: TooManyRequestsException: Rate exceeded$/,
        attempts: 2,
      },
    ])(
      'fails the invocation in one line on $name, and reports nothing it did not see',
      async ({ operation, fault, maxAttempts, error, message, attempts }) => {
        // Arrange: the first call of the operation fails (every attempt of
        // it when the fault is transient), the rest go through.
        const testCase = periodicSubnetCase();
        const expected = baseline.get(caseName(testCase));
        const injector = new FaultInjector(server, {
          script: [
            {
              operation,
              fault,
              times: fault === 'access-denied' ? 1 : (maxAttempts ?? 1),
            },
          ],
        });

        // Act
        const run = runCase(
          testCase,
          injector,
          maxAttempts === undefined ? {} : { maxAttempts }
        );

        // Assert
        await expect(run).rejects.toThrow(error);
        await expect(run).rejects.toThrow(message);
        expect(injector.attemptsOf(operation)).toHaveLength(attempts);
        const sent = accepted(injector);
        // Whatever reached Config is what the fault-free run says, so no
        // failure became COMPLIANT; a failed load reaches nobody at all.
        if (operation.startsWith('EC2:')) {
          expect(injector.attemptsOf(PUT_EVALUATIONS)).toEqual([]);
        }
        for (const evaluation of sent.evaluations) {
          expect(expected?.evaluations).toContainEqual(evaluation);
        }
        // Security Hub hears nothing once Config has not got it all.
        if (!operation.startsWith('SecurityHub:')) {
          expect(injector.attemptsOf(IMPORT_FINDINGS)).toEqual([]);
        }
      }
    );
  });

  describe('a re-delivered event', () => {
    it.each([
      [SUBNET_RULE, 'periodic'],
      ['interface-endpoint-multi-az', 'change'],
    ])(
      'reports %s on a %s event again with the same evaluations under the same finding Ids',
      async (ruleId, trigger) => {
        // Arrange
        const testCase = cases.find(
          (c) => c.ruleId === ruleId && c.trigger === trigger
        ) as Case;

        // Act: Lambda delivers the event twice to the same container
        const container = new UpdatedAtMemo();
        const first = await runCase(testCase, undefined, {}, container);
        const second = await runCase(testCase, undefined, {}, container);

        // Assert
        expect(reported(second)).toEqual(reported(first));
        expect(reported(second)).toEqual(baseline.get(caseName(testCase)));
        // Each re-import is newer, so Security Hub does not ignore it.
        const updatedAt = (result: RuleRunResult) =>
          result.sentToSecurityHub.flatMap((b) =>
            (b.Findings ?? []).map((f) => Date.parse(f.UpdatedAt ?? ''))
          );
        const before = updatedAt(first);
        for (const [i, after] of updatedAt(second).entries()) {
          expect(after).toBeGreaterThan(before[i] ?? Number.NaN);
        }
      }
    );

    it('ends as one delivery when the first one failed half-way through the import', async () => {
      // Arrange: the second BatchImportFindings call is refused
      const testCase = cases.find(
        (c) => c.ruleId === SUBNET_RULE && c.trigger === 'change'
      ) as Case;
      const failing = new FaultInjector(server, {
        script: [
          {
            operation: IMPORT_FINDINGS,
            fault: 'access-denied',
            from: 1,
            times: 1,
          },
        ],
      });
      await expect(runCase(testCase, failing)).rejects.toThrow(
        AccessDeniedError
      );

      // Act: Lambda retries the event
      const retried = await runCase(testCase);

      // Assert
      expect(failing.accepted(IMPORT_FINDINGS)).toHaveLength(1);
      expect(reported(retried)).toEqual(baseline.get(caseName(testCase)));
    });

    it('leaves Security Hub one finding per Id after every run of this file', async () => {
      // Act
      const findings = await findingsInMoto();

      // Assert
      const ids = findings.map((f) => f.Id);
      expect(ids).toHaveLength(new Set(ids).size);
      const expected = new Set(
        [...baseline.values()].flatMap((r) => r.findings.map((f) => f[0]))
      );
      expect(new Set(ids)).toEqual(expected);
    });
  });

  describe('the production client settings', () => {
    it('time out on a connection that never answers with the very error the injector raises', async () => {
      // Arrange: a client with the production settings but a short request
      // timeout as its only timer, pointed at a server that never answers:
      // the timer always wins, whatever the machine's speed.
      const requestTimeout = 200;
      const client = new ConfigServiceClient({
        ...sdkClientConfig(REGION),
        endpoint: `http://127.0.0.1:${await server.port()}`,
        maxAttempts: 1,
        requestHandler: {
          ...withoutTimers(HTTP_HANDLER_OPTIONS),
          requestTimeout,
        },
      });
      client.middlewareStack.add(
        (next) => (args) => {
          const request = args.request as { headers: Record<string, string> };
          Object.assign(request.headers, actionHeader({ action: 'hang' }));
          return next(args);
        },
        { step: 'build', name: 'askForSilence' }
      );
      const injected = requestTimeoutError(requestTimeout);

      // Act
      const call = client.send(new DescribeConfigRulesCommand({}));

      // Assert
      await expect(call).rejects.toMatchObject({
        name: injected.name,
        code: 'ETIMEDOUT',
        message: injected.message,
      });
      client.destroy();
    });

    it('bound every attempt, so a dead endpoint fails the call well inside the Lambda timeout', () => {
      // Arrange
      const { connectionTimeout, requestTimeout, socketTimeout } =
        HTTP_HANDLER_OPTIONS;

      // Act: every attempt hangs until its timeout, and every backoff is
      // the longest the SDK takes, throttling's: min(1 s * 2^i, 20 s)
      const backoff = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) =>
        Math.min(1_000 * 2 ** i, 20_000)
      );
      const worstCase =
        MAX_ATTEMPTS * Math.max(requestTimeout, socketTimeout) +
        backoff.reduce((sum, ms) => sum + ms, 0);

      // Assert
      expect(HTTP_HANDLER_OPTIONS.throwOnRequestTimeout).toBe(true);
      expect(connectionTimeout).toBeGreaterThan(0);
      expect(connectionTimeout).toBeLessThan(requestTimeout);
      expect(worstCase).toBeLessThan(LAMBDA_TIMEOUT_MS);
      expect(sdkClientConfig(REGION)).toEqual({
        region: REGION,
        retryMode: 'adaptive',
        maxAttempts: MAX_ATTEMPTS,
        requestHandler: HTTP_HANDLER_OPTIONS,
      });
    });
  });
});
