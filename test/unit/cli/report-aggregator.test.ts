/**
 * `vpce-guard report --aggregator` against AWS Config's aggregate
 * compliance APIs. moto 5 does not serve them (DescribeAggregateCompliance-
 * ByConfigRules and GetAggregateComplianceDetailsByConfigRule answer 500,
 * not implemented), so the Config client is mocked per command with
 * responses checked against the Config API model
 * (test/fixtures/aggregator/).
 */
import { readFileSync } from 'node:fs';
import {
  ConfigServiceClient,
  DescribeAggregateComplianceByConfigRulesCommand,
  type DescribeAggregateComplianceByConfigRulesCommandOutput,
  GetAggregateComplianceDetailsByConfigRuleCommand,
  type GetAggregateComplianceDetailsByConfigRuleCommandOutput,
} from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { loadBotocoreModel, validateShape } from '../../helpers/api-model.js';
import { runCli } from '../../helpers/cli.js';

const SUMMARY_PAGES = JSON.parse(
  readFileSync(
    'test/fixtures/aggregator/describe-aggregate-compliance-pages.json',
    'utf8'
  )
) as DescribeAggregateComplianceByConfigRulesCommandOutput[];

/** Detail pages keyed `<Config rule name> <account> <Region>`. */
const DETAIL_PAGES = JSON.parse(
  readFileSync(
    'test/fixtures/aggregator/aggregate-compliance-details.json',
    'utf8'
  )
) as Record<string, GetAggregateComplianceDetailsByConfigRuleCommandOutput[]>;

const A = '111122223333';
const B = '444455556666';
const AGGREGATOR = 'org-aggregator';

const config = mockClient(ConfigServiceClient);
const ec2 = mockClient(EC2Client);

/** The page after `token` (the first without one), or an error. */
const pageAfter = <P extends { NextToken?: string }>(
  pages: readonly P[] | undefined,
  token: string | undefined
): P => {
  const index =
    token === undefined
      ? 0
      : (pages ?? []).findIndex((_, i) => pages?.[i - 1]?.NextToken === token);
  const page = pages?.[index];
  if (page === undefined) throw new Error(`no page after ${token}`);
  return page;
};

/**
 * What each call asked for, recorded when it was made (the SDK's
 * paginators reuse one input object, so the calls' inputs cannot be read
 * afterwards).
 */
let asked: string[] = [];

/** Serves every page of both APIs, chained by their NextTokens. */
const serveAggregator = (): void => {
  asked = [];
  config
    .on(DescribeAggregateComplianceByConfigRulesCommand)
    .callsFake((input) => {
      asked.push(
        `summaries limit=${input.Limit} filters=${JSON.stringify(input.Filters)} token=${input.NextToken}`
      );
      return pageAfter(SUMMARY_PAGES, input.NextToken);
    });
  config
    .on(GetAggregateComplianceDetailsByConfigRuleCommand)
    .callsFake((input) => {
      const key = `${input.ConfigRuleName} ${input.AccountId} ${input.AwsRegion}`;
      asked.push(
        `details ${key} limit=${input.Limit} type=${input.ComplianceType} token=${input.NextToken}`
      );
      return pageAfter(DETAIL_PAGES[key], input.NextToken);
    });
};

const report = (...extra: string[]) =>
  runCli(
    'report',
    '--aggregator',
    AGGREGATOR,
    '--region',
    'us-east-1',
    ...extra
  );

const awsError = (name: string, message: string): Error =>
  Object.assign(new Error(message), { name, $fault: 'client' });

beforeEach(() => serveAggregator());

afterEach(() => {
  config.reset();
  ec2.reset();
});

describe('vpce-guard report --aggregator', () => {
  it('has fixture responses in the shape of the Config API model', () => {
    // Arrange
    const model = loadBotocoreModel('config', '2014-11-12');

    // Act
    const violations = [
      ...SUMMARY_PAGES.flatMap((page, i) =>
        validateShape(
          model,
          'DescribeAggregateComplianceByConfigRulesResponse',
          page,
          `summaries[${i}]`
        )
      ),
      ...Object.entries(DETAIL_PAGES).flatMap(([key, pages]) =>
        pages.flatMap((page, i) =>
          validateShape(
            model,
            'GetAggregateComplianceDetailsByConfigRuleResponse',
            page,
            `${key}[${i}]`
          )
        )
      ),
    ];

    // Assert
    expect(violations).toEqual([]);
  });

  it('prints every vpce-guard result of the aggregator, in scan order, and no other rule’s', async () => {
    // Act
    const result = await report('--format', 'json');

    // Assert
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    const document = JSON.parse(result.stdout);
    expect(
      document.evaluations.map(
        (e: Record<string, string>) =>
          `${e.ruleId} ${e.accountId}/${e.region} ${e.resourceType} ${e.resourceId} ${e.complianceType}`
      )
    ).toEqual([
      `private-subnet-gateway-endpoints ${A}/us-east-1 AWS::EC2::Subnet subnet-0a1b2c3d4e5f60001 NON_COMPLIANT`,
      `private-subnet-gateway-endpoints ${A}/us-east-1 AWS::EC2::Subnet subnet-0a1b2c3d4e5f60003 COMPLIANT`,
      `private-subnet-gateway-endpoints ${A}/us-east-1 AWS::EC2::Subnet subnet-0a1b2c3d4e5f60004 NON_COMPLIANT`,
      `endpoint-policy-restrictive ${A}/us-east-1 AWS::EC2::VPCEndpoint vpce-0a1b2c3d4e5f60006 COMPLIANT`,
      `endpoint-policy-restrictive ${B}/eu-west-1 AWS::EC2::VPCEndpoint vpce-0f1e2d3c4b5a60007 NON_COMPLIANT`,
      `endpoint-policy-restrictive ${B}/eu-west-1 AWS::EC2::VPCEndpoint vpce-0f1e2d3c4b5a60008 COMPLIANT`,
    ]);
    expect(document.evaluations[4].annotation).toBe(
      'statement 1 allows "*" to "*" with no condition: full access'
    );
    expect(document.problems).toEqual([
      {
        accountId: A,
        region: 'us-east-1',
        resourceId: 'subnet-0a1b2c3d4e5f60004',
        message:
          'cannot evaluate: route table rtb-0a1b2c3d4e5f60005 lists prefix list pl-63a5400a, not in the inventory',
      },
    ]);
  });

  it('reads every page of both APIs at their largest size, with no compliance filter and no EC2 call', async () => {
    // Act
    await report('--format', 'json');

    // Assert
    expect(asked.filter((call) => call.startsWith('summaries'))).toEqual([
      'summaries limit=1000 filters=undefined token=undefined',
      'summaries limit=1000 filters=undefined token=summaries-2',
      'summaries limit=1000 filters=undefined token=summaries-3',
    ]);
    expect(asked.filter((call) => call.startsWith('details')).sort()).toEqual(
      Object.entries(DETAIL_PAGES)
        .flatMap(([key, pages]) =>
          pages.map(
            (_, i) =>
              `details ${key} limit=100 type=undefined token=${pages[i - 1]?.NextToken}`
          )
        )
        .sort()
    );
    expect(ec2.calls()).toHaveLength(0);
  });

  it('summarizes the organization per account and per rule, worst first', async () => {
    // Act
    const result = await report('--format', 'json');

    // Assert
    const { organization } = JSON.parse(result.stdout);
    expect(organization.source).toBe(`AWS Config aggregator ${AGGREGATOR}`);
    expect(organization.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(
      organization.accounts.map(
        (a: Record<string, unknown>) =>
          `${a.accountId} ${a.nonCompliant}/${a.compliant} ${(a.failingRules as string[]).join(',')}`
      )
    ).toEqual([
      `${A} 2/2 private-subnet-gateway-endpoints`,
      `${B} 1/1 endpoint-policy-restrictive`,
    ]);
    expect(
      organization.rules
        .slice(0, 3)
        .map(
          (r: Record<string, unknown>) =>
            `${r.ruleId} ${r.severity} ${r.nonCompliant} ${r.accountsFailing}`
        )
    ).toEqual([
      'private-subnet-gateway-endpoints MEDIUM 2 1',
      'endpoint-policy-restrictive HIGH 1 1',
      'interface-endpoint-https-ingress MEDIUM 0 0',
    ]);
  });

  it('renders the same organization summary as a table', async () => {
    // Act
    const result = await report('--format', 'table');

    // Assert
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      `Organization: AWS Config aggregator ${AGGREGATOR}; 2 accounts, Regions eu-west-1, us-east-1`
    );
    const accounts = result.stdout.slice(
      result.stdout.indexOf('Accounts, worst first:')
    );
    expect(accounts.indexOf(A)).toBeLessThan(accounts.indexOf(B));
    expect(result.stdout).toContain('Problems (1):');
  });

  it('renders the organization summary and every failing resource in HTML', async () => {
    // Act
    const result = await report(
      '--format',
      'html',
      '--runbook-base-url',
      'https://example.com/vpce-guard'
    );

    // Assert
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('<section class="organization">');
    expect(result.stdout).toContain('<caption>Per account</caption>');
    expect(result.stdout).toContain('<caption>Per rule</caption>');
    for (const resource of [
      'subnet-0a1b2c3d4e5f60001',
      'subnet-0a1b2c3d4e5f60004',
      'vpce-0f1e2d3c4b5a60007',
    ]) {
      expect(result.stdout).toContain(`<td>${resource}</td>`);
    }
    expect(result.stdout).not.toContain('<td>vpce-0f1e2d3c4b5a60008</td>');
    expect(result.stdout).toContain(
      'https://example.com/vpce-guard/rules/endpoint-policy-restrictive/runbook.md'
    );
  });

  it('exits 0 with --exit-zero', async () => {
    // Act
    const result = await report('--format', 'json', '--exit-zero');

    // Assert
    expect(result.status).toBe(0);
  });

  it.each([
    [
      'an aggregator that does not exist',
      () =>
        config
          .on(DescribeAggregateComplianceByConfigRulesCommand)
          .rejects(
            awsError(
              'NoSuchConfigurationAggregatorException',
              'The configuration aggregator does not exist.'
            )
          ),
      2,
      `vpce-guard: --aggregator ${AGGREGATOR}: no such configuration aggregator in this account and Region\n`,
    ],
    [
      'a refused summary',
      () =>
        config
          .on(DescribeAggregateComplianceByConfigRulesCommand)
          .rejects(awsError('AccessDeniedException', 'no')),
      3,
      'vpce-guard: access denied: your credentials may not call config:DescribeAggregateComplianceByConfigRules\n',
    ],
    [
      'a detail page that fails',
      () =>
        config
          .on(GetAggregateComplianceDetailsByConfigRuleCommand)
          .callsFake((input) => {
            if (input.NextToken === 'details-2') {
              throw awsError('InvalidNextTokenException', 'token expired');
            }
            return pageAfter(
              DETAIL_PAGES[
                `${input.ConfigRuleName} ${input.AccountId} ${input.AwsRegion}`
              ],
              input.NextToken
            );
          }),
      3,
      'vpce-guard: config:GetAggregateComplianceDetailsByConfigRule failed: InvalidNextTokenException: token expired\n',
    ],
    [
      'an aggregator without vpce-guard results',
      () =>
        config
          .on(DescribeAggregateComplianceByConfigRulesCommand)
          .resolves({ AggregateComplianceByConfigRules: [] }),
      2,
      `vpce-guard: --aggregator ${AGGREGATOR}: holds no results of vpce-guard rules (vpce-guard-<rule id>, OrgConfigRule-vpce-guard-<rule id>-…, vpce-guard-<rule id>-conformance-pack-…)\n`,
    ],
  ])('prints no report for %s', async (_case, arrange, status, stderr) => {
    // Arrange
    arrange();

    // Act
    const result = await report('--format', 'json');

    // Assert
    expect(result.status).toBe(status);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(stderr);
  });

  it('refuses a malformed aggregator name before any call', async () => {
    // Act
    const result = await runCli('report', '--aggregator', 'no spaces');

    // Assert
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'vpce-guard: --aggregator: expected a configuration aggregator name (1–256 letters, digits, _ and -), got "no spaces"\n'
    );
    expect(config.calls()).toHaveLength(0);
  });
});
