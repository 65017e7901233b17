/**
 * The bad-input corpus (test/fixtures/bad-input/cases.json): every malformed
 * input gets its exact one-line error, exit status 2, and nothing partial is
 * reported — no table or JSON on stdout, no PutEvaluations, no
 * BatchImportFindings. Odd inputs that are valid (a byte-order mark,
 * non-ASCII tags, annotations past 256 characters, a 50 MB snapshot) load
 * and report within the AWS limits.
 */
import { execFile } from 'node:child_process';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  type AccountClients,
  type AccountTarget,
  runConfigRule,
} from '../../functions/config-rule/run-config-rule.js';
import type { AccountRegionSnapshot } from '../../functions/shared/formats/snapshot-schema.js';
import { createLogger } from '../../functions/shared/logger.js';
import { UpdatedAtMemo } from '../../functions/shared/report/securityhub-reporter.js';
import { VpceGuardError } from '../../rules/model/errors.js';
import { runCli, writeTemp } from '../helpers/cli.js';
import { serveSnapshot } from '../helpers/ec2-mock.js';
import {
  DYNAMODB_PREFIX_LIST,
  endpoint,
  route,
  routeTable,
  ruleNamed,
  S3_PREFIX_LIST,
  securityGroup,
  serviceDetail,
  subnet,
  vpc,
  vpcDns,
} from '../helpers/factories.js';

const DIR = 'test/fixtures/bad-input';
const MINIMAL = 'test/fixtures/snapshots/minimal.json';
const BIN = 'dist/cli/main.js';
const MIB = 1024 * 1024;

/** One malformed input and the exact error of each entry point it goes through. */
interface BadInput {
  readonly file: string;
  readonly input: 'snapshot' | 'rule-params' | 'event';
  readonly category: string;
  /** The rule of the Lambda (and `invoke`) run. */
  readonly rule?: string;
  /** stderr of `vpce-guard scan …`. */
  readonly scan?: string;
  /** stderr of `vpce-guard invoke --rule <rule> --event <file>`. */
  readonly invoke?: string;
  /** Message of the error runConfigRule throws. */
  readonly lambda?: string;
}

/**
 * A snapshot that loads although part of it is malformed or missing: the
 * resources that need the part are `cannot evaluate`, the rest evaluated.
 */
interface PartialInput {
  readonly file: string;
  readonly category: string;
  /** Exit status of `vpce-guard scan --format json`. */
  readonly status: number;
  /** Its stderr, when an account-region of the file could not be loaded. */
  readonly stderr?: string;
  /** The rule of the Lambda run. */
  readonly rule?: string;
  readonly cannotEvaluate: readonly {
    readonly ruleId: string;
    readonly resourceId: string;
    readonly annotation: string;
  }[];
  /** The report's problems, without their account and Region. */
  readonly problems: readonly {
    readonly resourceId?: string;
    readonly message: string;
  }[];
}

interface Manifest {
  readonly cases: readonly BadInput[];
  readonly partial: readonly PartialInput[];
  readonly accepted: readonly { readonly file: string }[];
}

const manifest = JSON.parse(
  readFileSync(`${DIR}/cases.json`, 'utf8')
) as Manifest;
const fixture = (file: string): string => `${DIR}/${file}`;
const readFixture = (file: string): unknown =>
  JSON.parse(readFileSync(fixture(file), 'utf8'));
const casesVia = (entry: 'scan' | 'invoke' | 'lambda') =>
  manifest.cases
    .filter((c) => c[entry] !== undefined)
    .map((c) => [c.file, c] as const);

const ec2 = mockClient(EC2Client);
const config = mockClient(ConfigServiceClient);
const securityHub = mockClient(SecurityHubClient);
const sts = mockClient(STSClient);

const awsCalls = () => [
  ...ec2.calls(),
  ...config.calls(),
  ...securityHub.calls(),
  ...sts.calls(),
];
const sentEvaluations = () =>
  config
    .commandCalls(PutEvaluationsCommand)
    .flatMap((call) => call.args[0].input.Evaluations ?? []);
const importedFindings = (): AwsSecurityFinding[] =>
  securityHub
    .commandCalls(BatchImportFindingsCommand)
    .flatMap((call) => call.args[0].input.Findings ?? []);

const PERIODIC = JSON.parse(
  readFileSync('examples/events/periodic.json', 'utf8')
) as Record<string, unknown>;

/** A periodic Config event for `ruleId`, with a real (not TESTMODE) token. */
const periodicEvent = (ruleId: string, parameters: unknown = {}) => ({
  ...PERIODIC,
  configRuleName: `vpce-guard-${ruleId}`,
  resultToken: 'a1b2c3d4-result-token',
  ruleParameters: JSON.stringify(parameters),
});

const dependencies = (ruleId: string) => ({
  rule: ruleNamed(ruleId),
  logger: createLogger('silent'),
  runbookBaseUrl: 'https://runbooks.example.test',
  clock: () => new Date('2025-03-15T01:00:00.000Z'),
  updatedAt: new UpdatedAtMemo(),
  clientsFor: async (target: AccountTarget): Promise<AccountClients> => ({
    ec2: new EC2Client({ region: target.region }),
    config: new ConfigServiceClient({ region: target.region }),
    securityHub: new SecurityHubClient({ region: target.region }),
    route53: new Route53Client({ region: target.region }),
    principal: 'arn:aws:iam::111122223333:role/vpce-guard-test',
  }),
});

/** The event and rule a case goes through the Lambda path with. */
const lambdaRun = (c: BadInput): { event: unknown; ruleId: string } => {
  if (c.input === 'rule-params') {
    const [entry] = Object.entries(readFixture(c.file) as object);
    const [ruleId = '', parameters] = entry ?? [];
    return { event: periodicEvent(ruleId, parameters), ruleId };
  }
  const ruleId = c.rule ?? '';
  if (c.input === 'event') return { event: readFixture(c.file), ruleId };
  serveSnapshot(ec2, readFixture(c.file) as AccountRegionSnapshot);
  return { event: periodicEvent(ruleId), ruleId };
};

/**
 * The stderr of `invoke`: its one-line reasons (`vpce-guard: …`) and the
 * handler's JSON log lines.
 */
const splitStderr = (
  stderr: string
): { reasons: string[]; logged: Record<string, unknown>[] } => {
  const lines = stderr.split('\n').filter((line) => line !== '');
  return {
    reasons: lines.filter((line) => !line.startsWith('{')),
    logged: lines
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
};

/** Code points that are half a surrogate pair: not valid Unicode. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * What half a surrogate pair becomes on its way out: U+FFFD once encoded
 * as UTF-8, a `\ud83d` escape in JSON.
 */
const MANGLED_OUTPUT = /\uFFFD|\\ud[89a-f][0-9a-f]{2}/iu;

/** Every string inside a JSON-like value. */
const stringsIn = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(stringsIn);
};

beforeEach(() => {
  ec2.reset();
  config.reset();
  securityHub.reset();
  sts.reset();
  // Whatever slips through is accepted here, so the assertions see it.
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  config
    .on(GetComplianceDetailsByConfigRuleCommand)
    .resolves({ EvaluationResults: [] });
  securityHub
    .on(BatchImportFindingsCommand)
    .resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
});

describe('the bad-input corpus', () => {
  it('lists every file of the directory once, each with an entry point', () => {
    // Arrange
    const listed = [
      ...manifest.cases.map((c) => c.file),
      ...manifest.partial.map((p) => p.file),
      ...manifest.accepted.map((a) => a.file),
    ];

    // Act
    const files = readdirSync(DIR).filter((name) => name !== 'cases.json');

    // Assert
    expect([...listed].sort()).toEqual([...files].sort());
    expect(new Set(listed).size).toBe(listed.length);
    expect(manifest.cases.length).toBeGreaterThanOrEqual(40);
    const withoutEntryPoint = manifest.cases.filter(
      (c) => !(c.scan || c.invoke || c.lambda)
    );
    expect(withoutEntryPoint).toEqual([]);
    const messages = manifest.cases.flatMap((c) =>
      [c.scan, c.invoke, c.lambda].filter((m) => m !== undefined)
    );
    expect(messages.filter((m) => !/^[^\r\n]+$/u.test(m))).toEqual([]);
  });
});

describe('vpce-guard scan on bad input', () => {
  it.each(casesVia('scan'))(
    'rejects %s with one line on stderr and prints nothing',
    async (_file, c) => {
      // Arrange
      const argv =
        c.input === 'rule-params'
          ? ['scan', '--snapshot', MINIMAL, '--rule-params', fixture(c.file)]
          : ['scan', '--snapshot', fixture(c.file)];

      // Act
      const result = await runCli(...argv);

      // Assert
      expect(result).toEqual({ status: 2, stdout: '', stderr: `${c.scan}\n` });
    }
  );

  it('still reports a good snapshot when another file cannot be loaded', async () => {
    // Arrange: the good one is another account, so it alone would print
    const good = writeTemp('good.json', {
      ...(JSON.parse(readFileSync(MINIMAL, 'utf8')) as object),
      AccountId: '444455556666',
    });
    const bad = manifest.cases.find(
      (c) => c.file === 'snapshot-vpcs-object.json'
    );

    // Act
    const alone = await runCli('scan', '--snapshot', good, '--format', 'json');
    const both = await runCli(
      'scan',
      '--snapshot',
      good,
      fixture(bad?.file ?? ''),
      '--format',
      'json'
    );

    // Assert: the same report, the failure on stderr and in problems
    expect(alone.status).toBe(0);
    expect(both.status).toBe(2);
    expect(both.stderr).toBe(`${bad?.scan}\n`);
    const [aloneDocument, bothDocument] = [alone, both].map((r) =>
      JSON.parse(r.stdout)
    );
    expect(bothDocument.evaluations).toEqual(aloneDocument.evaluations);
    expect(bothDocument.problems).toHaveLength(1);
  });

  it('writes no report file when --output names a missing directory', async () => {
    // Arrange
    const directory = mkdtempSync(join(tmpdir(), 'vpce-guard-bad-'));
    const output = join(directory, 'missing', 'report.json');

    // Act
    const result = await runCli(
      'scan',
      '--snapshot',
      MINIMAL,
      '--output',
      output
    );

    // Assert
    expect(result).toEqual({
      status: 2,
      stdout: '',
      stderr: `vpce-guard: --output ${output}: cannot write: no such directory: ${join(directory, 'missing')}\n`,
    });
    expect(readdirSync(directory)).toEqual([]);
    rmSync(directory, { recursive: true, force: true });
  });

  it('refuses a file over 256 MiB before reading it', async () => {
    // Arrange: a sparse file takes no disk space
    const directory = mkdtempSync(join(tmpdir(), 'vpce-guard-bad-'));
    const file = join(directory, 'huge.json');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 257 * MIB);
    closeSync(fd);

    // Act
    const result = await runCli('scan', '--snapshot', file);

    // Assert
    expect(result).toEqual({
      status: 2,
      stdout: '',
      stderr: `vpce-guard: ${file}: too large: 257 MiB, the limit is 256 MiB (split a snapshot into one file per account-region)\n`,
    });
    rmSync(directory, { recursive: true, force: true });
  });
});

const partialCases = manifest.partial.map((p) => [p.file, p] as const);

describe('vpce-guard scan on partly malformed snapshots', () => {
  it.each(partialCases)(
    'evaluates %s, reporting only what needs the bad part as cannot evaluate',
    async (_file, p) => {
      // Act
      const result = await runCli(
        'scan',
        '--snapshot',
        fixture(p.file),
        '--format',
        'json'
      );

      // Assert
      expect(result.status).toBe(p.status);
      expect(result.stderr).toBe(p.stderr === undefined ? '' : `${p.stderr}\n`);
      const document = JSON.parse(result.stdout) as {
        evaluations: {
          ruleId: string;
          resourceId: string;
          annotation: string;
        }[];
        problems: { resourceId?: string; message: string }[];
      };
      const undecided = document.evaluations
        .filter((e) => e.annotation.startsWith('cannot evaluate:'))
        .map(({ ruleId, resourceId, annotation }) => ({
          ruleId,
          resourceId,
          annotation,
        }));
      expect(undecided).toEqual(p.cannotEvaluate);
      expect(
        document.problems.map(({ resourceId, message }) => ({
          ...(resourceId === undefined ? {} : { resourceId }),
          message,
        }))
      ).toEqual(p.problems);
      // Everything else was evaluated: more evaluations than undecided ones.
      expect(document.evaluations.length).toBeGreaterThan(undecided.length);
    }
  );
});

describe('the Lambda rule on partly malformed snapshots', () => {
  it.each(partialCases.filter(([, p]) => p.rule !== undefined))(
    'sends every evaluation of %s, cannot evaluate ones included, and their findings',
    async (_file, p) => {
      // Arrange
      const ruleId = p.rule ?? '';
      serveSnapshot(ec2, readFixture(p.file) as AccountRegionSnapshot);

      // Act
      const result = await runConfigRule(
        periodicEvent(ruleId),
        dependencies(ruleId)
      );

      // Assert
      const sent = sentEvaluations();
      expect(sent.map((e) => e.ComplianceResourceId)).toEqual(
        result.evaluations.map((e) => e.resourceId)
      );
      for (const expected of p.cannotEvaluate.filter(
        (c) => c.ruleId === ruleId
      )) {
        expect(sent).toContainEqual(
          expect.objectContaining({
            ComplianceResourceId: expected.resourceId,
            ComplianceType: 'NON_COMPLIANT',
            Annotation: expected.annotation,
          })
        );
      }
      expect(importedFindings()).toHaveLength(sent.length);
    }
  );
});

describe('vpce-guard invoke on bad input', () => {
  it.each(casesVia('invoke'))(
    'rejects %s with one line on stderr, prints nothing and calls no AWS API',
    async (_file, c) => {
      // Act
      const result = await runCli(
        'invoke',
        '--rule',
        c.rule ?? '',
        '--event',
        fixture(c.file)
      );

      // Assert: the reason, and the handler's log line of the failure
      // unless the file was no event to give it (no Lambda case then)
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      const { reasons, logged } = splitStderr(result.stderr);
      expect(reasons).toEqual([c.invoke]);
      expect(logged).toEqual(
        c.lambda === undefined
          ? []
          : [
              expect.objectContaining({
                level: 50,
                msg: 'invocation failed',
                ruleId: c.rule,
              }),
            ]
      );
      expect(awsCalls()).toEqual([]);
    }
  );

  it('prints the handler log line and then the one-line reason (child process)', async () => {
    // Arrange
    if (!existsSync(BIN)) {
      throw new Error(`${BIN} is missing: run npm run build (npm test does)`);
    }
    const c = manifest.cases.find((k) => k.file === 'event-min-azs.json');

    // Act: credentials and endpoint are fakes on loopback, so nothing could
    // reach AWS; Node 20's SDK support warning is silenced.
    const run = await promisify(execFile)(
      'node',
      [
        BIN,
        'invoke',
        '--rule',
        c?.rule ?? '',
        '--event',
        fixture(c?.file ?? ''),
      ],
      {
        env: {
          PATH: process.env.PATH,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
          AWS_EC2_METADATA_DISABLED: 'true',
          NODE_NO_WARNINGS: '1',
        },
      }
    ).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error
    );

    // Assert
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    // The log line and the reason go out on two streams to one fd: either
    // may come first.
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.filter((line) => line.startsWith('vpce-guard:'))).toEqual([
      c?.invoke,
    ]);
    const logged = lines
      .filter((line) => !line.startsWith('vpce-guard:'))
      .map((line) => JSON.parse(line));
    expect(logged).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'invocation failed',
        ruleId: c?.rule,
      }),
    ]);
  });
});

describe('the Lambda rule on bad input', () => {
  it.each(casesVia('lambda'))(
    'rejects %s naming what is wrong, and reports nothing to Config or Security Hub',
    async (_file, c) => {
      // Arrange
      const { event, ruleId } = lambdaRun(c);

      // Act
      const run = runConfigRule(event, dependencies(ruleId));

      // Assert
      await expect(run).rejects.toBeInstanceOf(VpceGuardError);
      await expect(run).rejects.toHaveProperty('message', c.lambda);
      expect(sentEvaluations()).toEqual([]);
      expect(importedFindings()).toEqual([]);
      // Events and parameters are validated before any AWS call; a snapshot
      // is what EC2 returned, so loading it is the only call.
      expect(ec2.calls().length > 0).toBe(c.input === 'snapshot');
      expect(config.calls()).toEqual([]);
    }
  );
});

describe('odd but valid input', () => {
  it('reads a snapshot with a UTF-8 byte-order mark like one without', async () => {
    // Arrange
    const bom = fixture('accepted-utf8-bom.json');
    const plain = writeTemp(
      'plain.json',
      readFileSync(bom).subarray(3).toString()
    );

    // Act
    const withBom = await runCli('scan', '--snapshot', bom, '--format', 'json');
    const without = await runCli(
      'scan',
      '--snapshot',
      plain,
      '--format',
      'json'
    );

    // Assert
    expect(withBom.status).toBe(0);
    expect(withBom.stderr).toBe('');
    expect(withBom.stdout).toBe(without.stdout);
  });

  describe('non-ASCII tags (legal in EC2)', () => {
    const SNAPSHOT = fixture('accepted-non-ascii-tags.json');
    const PARAMS = fixture('accepted-non-ascii-params.json');
    const SSM = 'vpce-0b2c3d4e5f6071829';
    const GATEWAY = 'vpce-0a1b2c3d4e5f60718';

    it('exempts by a non-ASCII tag key whose value lists the rule id', async () => {
      // Act
      const result = await runCli(
        'scan',
        '--snapshot',
        SNAPSHOT,
        '--rule-params',
        PARAMS,
        '--format',
        'json'
      );

      // Assert
      expect(result.stderr).toBe('');
      const verdicts = JSON.parse(result.stdout).evaluations.map(
        (e: {
          ruleId: string;
          resourceId: string;
          complianceType: string;
          annotation: string;
        }) => `${e.ruleId} ${e.resourceId} ${e.complianceType} ${e.annotation}`
      );
      expect(verdicts).toContain(
        `interface-endpoint-multi-az ${SSM} NOT_APPLICABLE exempt by tag`
      );
      // "wahr" (German for true) is not read as true: no guessing.
      expect(verdicts).toContain(
        `endpoint-policy-restrictive ${GATEWAY} NON_COMPLIANT default full-access policy (no PolicyDocument): anyone, any action, any resource`
      );
    });

    it.each(['table', 'json', 'asff', 'html'])(
      'prints a whole %s report',
      async (format) => {
        // Act
        const result = await runCli(
          'scan',
          '--snapshot',
          SNAPSHOT,
          '--rule-params',
          PARAMS,
          '--format',
          format
        );

        // Assert
        expect(result.status).toBe(1);
        expect(result.stderr).toBe('');
        expect(result.stdout).toMatch(/NON_COMPLIANT|FAILED/u);
        expect(result.stdout).not.toMatch(MANGLED_OUTPUT);
      }
    );

    it('names the VPC by its non-ASCII Name tag in the HTML report', async () => {
      // Act
      const result = await runCli(
        'scan',
        '--snapshot',
        SNAPSHOT,
        '--format',
        'html'
      );

      // Assert
      expect(result.stdout).toContain(
        '<h3>VPC vpc-0a1b2c3d4e5f60718 (生产网络 — prod)</h3>'
      );
    });

    it('reports the exemption to Config and keeps the tags out of the findings', async () => {
      // Arrange: Security Hub accepts only A-Z a-z 0-9 space . : + = @ _ / - in tags
      serveSnapshot(
        ec2,
        readFixture('accepted-non-ascii-tags.json') as AccountRegionSnapshot
      );

      // Act
      await runConfigRule(
        periodicEvent('interface-endpoint-multi-az', {
          exemptTagKey: 'prüfung:ausnahme',
        }),
        dependencies('interface-endpoint-multi-az')
      );

      // Assert
      expect(sentEvaluations()).toContainEqual(
        expect.objectContaining({
          ComplianceResourceId: SSM,
          ComplianceType: 'NOT_APPLICABLE',
          Annotation: 'exempt by tag',
        })
      );
      const findings = importedFindings();
      expect(findings).toHaveLength(3);
      expect(stringsIn(findings).filter((t) => LONE_SURROGATE.test(t))).toEqual(
        []
      );
      for (const finding of findings) {
        expect(finding.Resources?.[0]?.Tags).toBeUndefined();
      }
    });
  });

  describe('annotations past 256 characters', () => {
    const SNAPSHOT = fixture('accepted-long-annotations.json');

    it('cuts them to 256 characters with … and never splits a surrogate pair', async () => {
      // Act
      const result = await runCli(
        'scan',
        '--snapshot',
        SNAPSHOT,
        '--format',
        'json'
      );

      // Assert
      const annotations: string[] = JSON.parse(result.stdout).evaluations.map(
        (e: { annotation: string }) => e.annotation
      );
      const cut = annotations.filter((a) => a.endsWith('…'));
      expect(cut).toHaveLength(3);
      for (const annotation of annotations) {
        expect(annotation.length).toBeLessThanOrEqual(256);
        expect(annotation).not.toMatch(LONE_SURROGATE);
      }
    });

    it.each([
      'endpoint-policy-restrictive',
      'interface-endpoint-https-ingress',
    ])(
      'sends %s annotations and findings within the AWS limits',
      async (ruleId) => {
        // Arrange
        serveSnapshot(
          ec2,
          readFixture('accepted-long-annotations.json') as AccountRegionSnapshot
        );

        // Act
        await runConfigRule(periodicEvent(ruleId), dependencies(ruleId));

        // Assert: PutEvaluations Annotation 1–256; ASFF limits (test/helpers/api-model.ts)
        const evaluations = sentEvaluations();
        expect(evaluations.some((e) => e.Annotation?.endsWith('…'))).toBe(true);
        for (const evaluation of evaluations) {
          expect(evaluation.Annotation?.length).toBeLessThanOrEqual(256);
          expect(evaluation.Annotation).not.toMatch(LONE_SURROGATE);
        }
        for (const finding of importedFindings()) {
          const broken = stringsIn(finding).filter((t) =>
            LONE_SURROGATE.test(t)
          );
          expect(broken).toEqual([]);
          expect(finding.Title?.length).toBeLessThanOrEqual(256);
          expect(finding.Description?.length).toBeLessThanOrEqual(1024);
          expect(
            finding.Remediation?.Recommendation?.Text?.length
          ).toBeLessThanOrEqual(512);
          for (const value of Object.values(finding.ProductFields ?? {})) {
            expect(value.length).toBeLessThanOrEqual(2048);
          }
          const other = finding.Resources?.[0]?.Details?.Other ?? {};
          for (const [key, value] of Object.entries(other)) {
            expect(key.length).toBeLessThan(128);
            expect(value.length).toBeLessThan(1024);
          }
        }
      }
    );
  });
});

describe('a 50 MB snapshot', () => {
  const UNIT_VERDICTS = { nonCompliant: 2, compliant: 6, notApplicable: 3 };
  let directory: string;
  let valid: string;
  let truncated: string;
  let truncatedText: string;
  let units: number;

  /**
   * One VPC: two private subnets whose S3 traffic uses the gateway endpoint
   * (open default policy: a failure), and an ssm interface endpoint in two
   * AZs with an org-limited policy, private DNS and HTTPS ingress; the VPC
   * lacks the other endpoints vpc-required-endpoints requires (the other
   * failure).
   * Items carry the fields `aws ec2 describe-*` prints besides the ones the
   * rules read, so that 50 MB holds as many resources as real output would.
   */
  const unit = (i: number) => {
    const n = i.toString(16).padStart(8, '0');
    const vpcId = `vpc-0${n}00000000`;
    const cidr = `10.${(i >> 8) & 255}.${i & 255}.0/24`;
    const [a, b] = [`subnet-0${n}0000000a`, `subnet-0${n}0000000b`];
    const table = `rtb-0${n}00000000`;
    const [gateway, ssm, group] = [
      `vpce-0${n}0000000a`,
      `vpce-0${n}0000000b`,
      `sg-0${n}00000000`,
    ];
    const tags = (name: string) => [
      { Key: 'Name', Value: name },
      { Key: 'team', Value: 'platform-networking' },
      { Key: 'cost-center', Value: 'cc-0042' },
      { Key: 'environment', Value: 'production' },
    ];
    const described = { OwnerId: '111122223333', Tags: tags(`unit-${n}`) };
    const subnetFields = (id: string) => ({
      ...described,
      SubnetArn: `arn:aws:ec2:us-east-1:111122223333:subnet/${id}`,
      AvailableIpAddressCount: 4091,
      DefaultForAz: false,
      MapPublicIpOnLaunch: false,
      State: 'available',
      AssignIpv6AddressOnCreation: false,
      Ipv6CidrBlockAssociationSet: [],
      EnableDns64: false,
      Ipv6Native: false,
      PrivateDnsNameOptionsOnLaunch: {
        HostnameType: 'ip-name',
        EnableResourceNameDnsARecord: false,
        EnableResourceNameDnsAAAARecord: false,
      },
    });
    const dnsEntries = ['', '-us-east-1a', '-us-east-1b'].map((zone) => ({
      DnsName: `${ssm}-4a5b6c7d${zone}.ssm.us-east-1.vpce.amazonaws.com`,
      HostedZoneId: 'Z7HUB22UULQXV',
    }));
    return {
      Vpcs: [
        {
          ...vpc(vpcId, [cidr]),
          ...described,
          DhcpOptionsId: 'dopt-0a1b2c3d4e5f60718',
          State: 'available',
          InstanceTenancy: 'default',
          IsDefault: false,
        },
      ],
      VpcAttributes: [vpcDns(vpcId)],
      Subnets: [
        { ...subnet(a, { vpcId, az: 'az1' }), ...subnetFields(a) },
        { ...subnet(b, { vpcId, az: 'az2' }), ...subnetFields(b) },
      ],
      RouteTables: [
        {
          ...routeTable(table, {
            vpcId,
            main: true,
            routes: [route.prefixList(S3_PREFIX_LIST.PrefixListId, gateway)],
          }),
          ...described,
          PropagatingVgws: [],
        },
      ],
      VpcEndpoints: [
        {
          ...endpoint(gateway, {
            type: 'Gateway',
            service: 's3',
            vpcId,
            routeTables: [table],
          }),
          ...described,
          RequesterManaged: false,
          NetworkInterfaceIds: [],
          DnsEntries: [],
          CreationTimestamp: '2024-05-16T11:00:07.000Z',
        },
        {
          ...endpoint(ssm, {
            vpcId,
            subnets: [a, b],
            groups: [group],
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
          }),
          ...described,
          IpAddressType: 'ipv4',
          RequesterManaged: false,
          NetworkInterfaceIds: [`eni-0${n}0000000a`, `eni-0${n}0000000b`],
          DnsEntries: dnsEntries,
          CreationTimestamp: '2024-05-16T11:00:07.000Z',
        },
      ],
      SecurityGroups: [
        {
          ...securityGroup(
            group,
            [
              {
                IpProtocol: 'tcp',
                FromPort: 443,
                ToPort: 443,
                IpRanges: [{ CidrIp: cidr, Description: 'HTTPS from the VPC' }],
                Ipv6Ranges: [],
                PrefixListIds: [],
                UserIdGroupPairs: [],
              },
            ],
            vpcId
          ),
          ...described,
          Description: 'HTTPS to the VPC endpoints',
          IpPermissionsEgress: [
            {
              IpProtocol: '-1',
              IpRanges: [{ CidrIp: '0.0.0.0/0' }],
              Ipv6Ranges: [],
              PrefixListIds: [],
              UserIdGroupPairs: [],
            },
          ],
        },
      ],
    };
  };

  const LISTS = [
    'Vpcs',
    'VpcAttributes',
    'Subnets',
    'RouteTables',
    'VpcEndpoints',
    'SecurityGroups',
  ] as const;

  /** A pretty-printed snapshot of at least `bytes`, built without one big object. */
  const snapshotText = (bytes: number): { text: string; units: number } => {
    const items = new Map<string, string[]>(LISTS.map((key) => [key, []]));
    let size = 0;
    let count = 0;
    while (size < bytes) {
      const built = unit(count);
      for (const key of LISTS) {
        for (const item of built[key]) {
          const text = `    ${JSON.stringify(item, null, 2).replaceAll('\n', '\n    ')}`;
          items.get(key)?.push(text);
          size += text.length + 2;
        }
      }
      count += 1;
    }
    const list = (key: string, texts: readonly string[]) =>
      `  ${JSON.stringify(key)}: [\n${texts.join(',\n')}\n  ]`;
    const shared = [
      ['PrefixLists', [S3_PREFIX_LIST, DYNAMODB_PREFIX_LIST]],
      [
        'ServiceDetails',
        [serviceDetail('s3', ['Gateway']), serviceDetail('ssm', ['Interface'])],
      ],
    ] as const;
    const parts = [
      '  "AccountId": "111122223333"',
      '  "Region": "us-east-1"',
      '  "Partition": "aws"',
      ...LISTS.map((key) => list(key, items.get(key) ?? [])),
      ...shared.map(([key, values]) =>
        list(
          key,
          values.map(
            (v) =>
              `    ${JSON.stringify(v, null, 2).replaceAll('\n', '\n    ')}`
          )
        )
      ),
    ];
    return { text: `{\n${parts.join(',\n')}\n}\n`, units: count };
  };

  // Building 50 MB of JSON takes a few seconds on a slow machine.
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'vpce-guard-50mb-'));
    const built = snapshotText(50 * MIB);
    units = built.units;
    valid = join(directory, 'valid.json');
    writeFileSync(valid, built.text);
    // Cut inside the last security group, as an interrupted download would.
    truncatedText = built.text.slice(0, built.text.length - 300);
    truncated = join(directory, 'truncated.json');
    writeFileSync(truncated, truncatedText);
  });

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('is at least 50 MiB', () => {
    expect(readFileSync(valid).length).toBeGreaterThanOrEqual(50 * MIB);
  });

  it('fails at once with the line where a truncated one ends', async () => {
    // Arrange
    const lines = truncatedText.trimEnd().split('\n');
    const where = `line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`;

    // Act
    const result = await runCli('scan', '--snapshot', truncated);

    // Assert
    expect(result).toEqual({
      status: 2,
      stdout: '',
      stderr: `vpce-guard: ${truncated}: not valid JSON: Unexpected end of JSON input (${where}; is it truncated?)\n`,
    });
  });

  it('scans a valid one within a 512 MiB heap (child process)', async () => {
    // Arrange
    if (!existsSync(BIN)) {
      throw new Error(`${BIN} is missing: run npm run build (npm test does)`);
    }
    const output = join(directory, 'report.json');

    // Act: V8 aborts the process if the heap outgrows the cap
    const run = await promisify(execFile)(
      'node',
      [
        '--max-old-space-size=512',
        BIN,
        'scan',
        '--snapshot',
        valid,
        '--format',
        'json',
        '--output',
        output,
      ],
      { env: { PATH: process.env.PATH } }
    ).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error
    );

    // Assert
    expect(run).toMatchObject({ code: 1, stdout: '', stderr: '' });
    const { summary } = JSON.parse(readFileSync(output, 'utf8'));
    expect(summary).toMatchObject({
      evaluations: 11 * units,
      nonCompliant: UNIT_VERDICTS.nonCompliant * units,
      compliant: UNIT_VERDICTS.compliant * units,
      notApplicable: UNIT_VERDICTS.notApplicable * units,
    });
  });
});
