import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { rules } from '../../../rules/index.js';
import { runCli, writeTemp } from '../../helpers/cli.js';
import {
  endpoint,
  route,
  routeTable,
  securityGroup,
  serviceDetail,
  snapshot,
  subnet,
} from '../../helpers/factories.js';

const MINIMAL = 'test/fixtures/snapshots/minimal.json';

/** One private subnet leaking S3 through NAT, one open default-policy gateway endpoint. */
const leakySnapshot = () =>
  snapshot({
    Subnets: [subnet('subnet-a')],
    RouteTables: [
      routeTable('rtb-1', {
        main: true,
        routes: [route.cidr('0.0.0.0/0', { NatGatewayId: 'nat-1' })],
      }),
    ],
    VpcEndpoints: [endpoint('vpce-gw', { type: 'Gateway', service: 's3' })],
    ServiceDetails: [serviceDetail('s3', ['Gateway'])],
    SecurityGroups: [securityGroup('sg-1')],
    VpcHostedZones: [{ VpcId: 'vpc-1', HostedZoneSummaries: [] }],
  });

const EVALUATION_KEYS = [
  'ruleId',
  'accountId',
  'region',
  'resourceType',
  'resourceId',
  'complianceType',
  'annotation',
];

describe('vpce-guard scan', () => {
  it('exits 0 and prints the JSON document when nothing is NON_COMPLIANT', async () => {
    // Act
    const result = await runCli(
      'scan',
      '--snapshot',
      MINIMAL,
      '--format',
      'json'
    );

    // Assert
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const document = JSON.parse(result.stdout);
    expect(Object.keys(document)).toEqual([
      'evaluations',
      'summary',
      'problems',
    ]);
    expect(document.problems).toEqual([]);
    expect(document.evaluations).toEqual([
      {
        ruleId: 'private-subnet-gateway-endpoints',
        accountId: '111122223333',
        region: 'us-east-1',
        resourceType: 'AWS::EC2::Subnet',
        resourceId: 'subnet-0a1b2c3d4e5f60718',
        complianceType: 'COMPLIANT',
        annotation: 'no route to s3; no route to dynamodb',
      },
      {
        ruleId: 'vpc-required-endpoints',
        accountId: '111122223333',
        region: 'us-east-1',
        resourceType: 'AWS::EC2::VPC',
        resourceId: 'vpc-0a1b2c3d4e5f60718',
        complianceType: 'COMPLIANT',
        annotation:
          'private access to ec2, ecr.api, ecr.dkr, ssm, ssm-contacts and ssm-incidents through associated private hosted zones',
      },
    ]);
    expect(document.summary).toMatchObject({
      evaluations: 2,
      compliant: 2,
      nonCompliant: 0,
      notApplicable: 0,
    });
  });

  it('exits 1 when something is NON_COMPLIANT, and lists NOT_APPLICABLE evaluations too', async () => {
    // Arrange
    const file = writeTemp('leaky.json', leakySnapshot());

    // Act
    const result = await runCli('scan', '--snapshot', file, '--format', 'json');

    // Assert
    expect(result.status).toBe(1);
    const document = JSON.parse(result.stdout);
    for (const evaluation of document.evaluations) {
      expect(Object.keys(evaluation)).toEqual(EVALUATION_KEYS);
    }
    const verdicts = document.evaluations.map(
      (e: { ruleId: string; resourceId: string; complianceType: string }) =>
        `${e.ruleId} ${e.resourceId} ${e.complianceType}`
    );
    expect(verdicts).toEqual([
      'private-subnet-gateway-endpoints subnet-a NON_COMPLIANT',
      'interface-endpoint-multi-az vpce-gw NOT_APPLICABLE',
      'interface-endpoint-private-dns vpce-gw NOT_APPLICABLE',
      'endpoint-policy-restrictive vpce-gw NON_COMPLIANT',
      'interface-endpoint-https-ingress vpce-gw NOT_APPLICABLE',
      'vpc-required-endpoints vpc-1 NON_COMPLIANT',
    ]);
    expect(document.summary.rules['endpoint-policy-restrictive']).toEqual({
      compliant: 0,
      nonCompliant: 1,
      notApplicable: 0,
      notOwned: 0,
    });
    expect(document.summary.accounts['111122223333/us-east-1']).toEqual({
      compliant: 0,
      nonCompliant: 3,
      notApplicable: 3,
      notOwned: 0,
    });
  });

  it('exits 0 with --exit-zero even when something is NON_COMPLIANT', async () => {
    // Arrange
    const file = writeTemp('leaky.json', leakySnapshot());

    // Act
    const result = await runCli('scan', '--snapshot', file, '--exit-zero');

    // Assert
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('NON_COMPLIANT');
  });

  it('runs only the rules named by --rules', async () => {
    // Arrange
    const file = writeTemp('leaky.json', leakySnapshot());

    // Act
    const result = await runCli(
      'scan',
      '--snapshot',
      file,
      '--rules',
      'endpoint-policy-restrictive',
      '--format',
      'json'
    );

    // Assert
    const document = JSON.parse(result.stdout);
    expect(
      new Set(document.evaluations.map((e: { ruleId: string }) => e.ruleId))
    ).toEqual(new Set(['endpoint-policy-restrictive']));
    expect(Object.keys(document.summary.rules)).toEqual([
      'endpoint-policy-restrictive',
    ]);
  });

  it('applies --rule-params to the rule they are keyed by', async () => {
    // Arrange
    const file = writeTemp('leaky.json', leakySnapshot());
    const params = writeTemp('params.json', {
      'private-subnet-gateway-endpoints': {
        services: 'dynamodb',
        ExecutionRoleName: 'x',
      },
    });

    // Act
    const result = await runCli(
      'scan',
      '--snapshot',
      file,
      '--rules',
      'private-subnet-gateway-endpoints',
      '--rule-params',
      params,
      '--format',
      'json'
    );

    // Assert
    const [evaluation] = JSON.parse(result.stdout).evaluations;
    expect(evaluation.annotation).toMatch(/^dynamodb /);
    expect(evaluation.annotation).not.toContain('s3');
  });

  it('scans every account-region of an array file, grouping the table by account', async () => {
    // Act
    const json = await runCli(
      'scan',
      '--snapshot',
      'test/fixtures/snapshots/two-regions.json',
      '--format',
      'json'
    );
    const table = await runCli(
      'scan',
      '--snapshot',
      'test/fixtures/snapshots/two-regions.json'
    );

    // Assert
    const regions = JSON.parse(json.stdout).evaluations.map(
      (e: { region: string }) => e.region
    );
    // Rules in registry order, then account-regions in input order.
    expect(regions).toEqual([
      'us-east-1',
      'eu-west-1',
      'us-east-1',
      'eu-west-1',
    ]);
    expect(table.stdout).toContain('111122223333 us-east-1');
    expect(table.stdout).toContain('111122223333 eu-west-1');
    expect(table.stdout).toContain('in 2 account-regions');
  });

  it('skips an account-region that two files both hold, reports the rest and exits 2', async () => {
    // Act
    const result = await runCli(
      'scan',
      '--snapshot',
      MINIMAL,
      'test/fixtures/snapshots/two-regions.json',
      '--format',
      'json'
    );

    // Assert
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `vpce-guard: 111122223333/us-east-1: test/fixtures/snapshots/two-regions.json[0]: the same account-region is also in ${MINIMAL}\n`
    );
    const document = JSON.parse(result.stdout);
    expect(Object.keys(document.summary.accounts).sort()).toEqual([
      '111122223333/eu-west-1',
      '111122223333/us-east-1',
    ]);
    expect(document.problems).toEqual([
      {
        accountId: '111122223333',
        region: 'us-east-1',
        message: `test/fixtures/snapshots/two-regions.json[0]: the same account-region is also in ${MINIMAL}`,
      },
    ]);
  });

  it('reports every account-region of an array file but one that cannot be loaded, and exits 2', async () => {
    // Act
    const file = 'test/fixtures/snapshots/array-second-invalid.json';
    const result = await runCli('scan', '--snapshot', file, '--format', 'json');

    // Assert
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `vpce-guard: ${file}[1]: Region: missing (expected a string)\n`
    );
    const document = JSON.parse(result.stdout);
    expect(document.summary.accounts).toHaveProperty([
      '111122223333/us-east-1',
    ]);
    expect(document.problems).toEqual([
      {
        accountId: '111122223333',
        message: `${file}[1]: Region: missing (expected a string)`,
      },
    ]);
  });

  it('writes the report to --output and nothing to stdout', async () => {
    // Arrange
    const output = join(dirname(writeTemp('x', '')), 'report.json');

    // Act
    const result = await runCli(
      'scan',
      '--snapshot',
      MINIMAL,
      '--format',
      'json',
      '--output',
      output
    );

    // Assert
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(JSON.parse(readFileSync(output, 'utf8')).summary.evaluations).toBe(
      2
    );
  });

  it('prints a table grouped by rule that fits a 100-column terminal', async () => {
    // Arrange
    const file = writeTemp('leaky.json', leakySnapshot());

    // Act
    const result = await runCli('scan', '--snapshot', file);

    // Assert
    const lines = result.stdout.split('\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(
      100
    );
    for (const rule of rules) expect(result.stdout).toContain(rule.metadata.id);
    expect(
      result.stdout.indexOf('private-subnet-gateway-endpoints')
    ).toBeLessThan(result.stdout.indexOf('interface-endpoint-multi-az'));
    expect(result.stdout).toContain('subnet-a');
    expect(result.stdout).toMatch(
      /6 evaluations in 1 account-region:\n3 NON_COMPLIANT/
    );
  });

  it('keeps long problems and many owners inside 100 columns', async () => {
    // Arrange: endpoints naming a subnet and a group that are not there,
    // and resources of VPCs shared by other accounts.
    const files = [
      'test/fixtures/real-shapes/dangling-subnet-and-security-group.json',
      'test/fixtures/real-shapes/shared-subnet-of-other-owner.json',
    ];

    // Act
    const results = await Promise.all(
      files.map((file) => runCli('scan', '--snapshot', file))
    );

    // Assert
    for (const result of results) {
      const lines = result.stdout.split('\n');
      expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(
        100
      );
    }
    const [dangling, shared] = results.map((r) =>
      r.stdout.replace(/\s+/g, ' ')
    );
    expect(dangling).toContain('Problems (2):');
    expect(dangling).toMatch(/│ Where +│ Cause +│/);
    expect(dangling).toContain('lists security group');
    expect(shared).toMatch(
      /owned by other accounts, evaluated by their owners: 999988887777: \d/
    );
  });

  it.each([
    [
      ['scan', '--snapshot', 'absent.json'],
      'vpce-guard: absent.json: cannot read: no such file',
    ],
    [
      ['scan', '--snapshot', MINIMAL, '--rules', 'no-such-rule'],
      'vpce-guard: --rules: unknown rule "no-such-rule"',
    ],
    [
      [
        'scan',
        '--snapshot',
        'test/fixtures/snapshots/missing-security-groups.json',
      ],
      'missing-security-groups.json: SecurityGroups: missing (expected an array)',
    ],
    [
      ['scan', '--snapshot', MINIMAL, '--format', 'xml'],
      "argument 'xml' is invalid",
    ],
    [
      ['scan'],
      'vpce-guard: scan: give either --snapshot FILE…, --region R… or --organization',
    ],
    [['scan', '--snapshot', MINIMAL, '--bogus'], "unknown option '--bogus'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('exits 2 with a one-line reason for %j', async (argv, reason) => {
    // Act
    const result = await runCli(...argv);

    // Assert
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(reason);
    expect(result.stderr.trim().split('\n')[0]).toContain(reason);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [
      { 'interface-endpoint-multi-az': { minAzs: 'zero' } },
      'interface-endpoint-multi-az: parameter minAzs: expected an integer ≥ 1, got "zero"',
    ],
    [{ 'no-such-rule': {} }, 'no-such-rule: not a rule id'],
    [
      { 'interface-endpoint-multi-az': 'minAzs=2' },
      'interface-endpoint-multi-az: expected an object of rule parameters',
    ],
    [['minAzs'], 'expected a JSON object keyed by rule id'],
  ])(
    'exits 2 before loading anything for --rule-params %j',
    async (params, reason) => {
      // Arrange
      const file = writeTemp('params.json', params);

      // Act: the snapshot does not exist; parameters are validated first
      const result = await runCli(
        'scan',
        '--snapshot',
        'absent.json',
        '--rule-params',
        file
      );

      // Assert
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(reason);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  );
});

describe('vpce-guard scan --rule-params names', () => {
  it('warns once on stderr per parameter name a rule ignores, and still scans', async () => {
    // Arrange
    const params = writeTemp('params.json', {
      'interface-endpoint-multi-az': {
        minAzs: '2',
        colour: 'blue',
        zones: '3',
        ExecutionRoleName: 'VpceGuardMember',
      },
      'endpoint-policy-restrictive': { trustedPrincipals: 'o-a1b2c3d4e5' },
    });

    // Act
    const result = await runCli(
      'scan',
      '--snapshot',
      MINIMAL,
      '--rule-params',
      params,
      '--format',
      'json'
    );

    // Assert: registry order, then the order of the file
    expect(result.status).toBe(0);
    expect(result.stderr.split('\n').filter((l) => l !== '')).toEqual([
      'vpce-guard: warning: interface-endpoint-multi-az: unknown parameter colour ignored (its parameters: minAzs, securityHub, exemptTagKey, refreshDays)',
      'vpce-guard: warning: interface-endpoint-multi-az: unknown parameter zones ignored (its parameters: minAzs, securityHub, exemptTagKey, refreshDays)',
      'vpce-guard: warning: endpoint-policy-restrictive: unknown parameter trustedPrincipals ignored (its parameters: trustedOrgIds, trustedAccountIds, securityHub, exemptTagKey, refreshDays)',
    ]);
    expect(JSON.parse(result.stdout).evaluations.length).toBeGreaterThan(0);
  });

  it('warns about nothing for the names Config tooling adds', async () => {
    // Arrange
    const params = writeTemp('params.json', {
      'interface-endpoint-multi-az': {
        ExecutionRoleName: 'VpceGuardMember',
        ExecutionRoleRegion: 'us-east-1',
        AssumeRoleMode: 'true',
      },
    });

    // Act
    const result = await runCli(
      'scan',
      '--snapshot',
      MINIMAL,
      '--rule-params',
      params,
      '--format',
      'json'
    );

    // Assert
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
  });

  it.each([
    ['interface-endpoint-multi-az', 'minAZs', 'minAzs'],
    ['private-subnet-gateway-endpoints', 'servcies', 'services'],
    ['endpoint-policy-restrictive', 'trustedOrgId', 'trustedOrgIds'],
  ])('exits 2 on the %s typo %s, naming %s', async (ruleId, given, meant) => {
    // Arrange
    const params = writeTemp('params.json', { [ruleId]: { [given]: '3' } });

    // Act
    const result = await runCli(
      'scan',
      '--snapshot',
      MINIMAL,
      '--rule-params',
      params
    );

    // Assert
    expect(result).toEqual({
      status: 2,
      stdout: '',
      stderr: `vpce-guard: ${ruleId}: unknown parameter ${given} — did you mean ${meant}?\n`,
    });
  });
});

describe('vpce-guard rules', () => {
  it('lists every rule with its parameters and defaults', async () => {
    // Act
    const result = await runCli('rules');

    // Assert
    expect(result.status).toBe(0);
    for (const { metadata } of rules) {
      expect(result.stdout).toContain(metadata.id);
      for (const parameter of metadata.parameters) {
        expect(result.stdout).toContain(
          `${parameter.name} (default ${JSON.stringify(parameter.defaultText)})`
        );
      }
    }
  });

  it('prints the rule metadata as JSON with --format json', async () => {
    // Act
    const result = await runCli('rules', '--format', 'json');

    // Assert
    const listed = JSON.parse(result.stdout);
    expect(listed.map((r: { id: string }) => r.id)).toEqual(
      rules.map((r) => r.metadata.id)
    );
    expect(listed[1].parameters).toContainEqual(
      expect.objectContaining({ name: 'minAzs', default: '2' })
    );
  });
});
