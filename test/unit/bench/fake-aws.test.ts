/**
 * The fakes the delta bench and tests report to (bench/fake-aws.ts) keep
 * the limits and the state rules of the APIs they play, so what the bench
 * counts against them is what AWS would answer.
 */
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  GetComplianceDetailsByResourceCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import {
  BatchImportFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  createFakeServices,
  type FakeServices,
  resultTokenOf,
} from '../../../bench/fake-aws.js';

const NOW = new Date('2026-11-23T11:00:00.000Z');
const LOCAL = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};

const evaluations = (count: number, type = 'COMPLIANT' as const) =>
  Array.from({ length: count }, (_, i) => ({
    ComplianceResourceType: 'AWS::EC2::Subnet',
    ComplianceResourceId: `subnet-${String(i).padStart(3, '0')}`,
    ComplianceType: type,
    Annotation: 'fine',
    OrderingTimestamp: NOW,
  }));

describe('the fake Config', () => {
  let fakes: FakeServices;
  let config: ConfigServiceClient;

  beforeEach(() => {
    fakes = createFakeServices(() => NOW);
    config = new ConfigServiceClient(LOCAL);
    fakes.config.attach(config, fakes.faults);
  });

  const put = async (rule: string, count: number) => {
    for (let start = 0; start < count; start += 100) {
      await config.send(
        new PutEvaluationsCommand({
          ResultToken: resultTokenOf(rule),
          Evaluations: evaluations(count).slice(start, start + 100),
        })
      );
    }
  };

  it('pages a rule’s results 100 at a time and no more', async () => {
    // Arrange
    await put('rule-a', 250);
    await put('rule-b', 10);
    const pages: number[] = [];

    // Act
    let nextToken: string | undefined;
    do {
      const page = await config.send(
        new GetComplianceDetailsByConfigRuleCommand({
          ConfigRuleName: 'rule-a',
          Limit: 100,
          NextToken: nextToken,
        })
      );
      pages.push(page.EvaluationResults?.length ?? 0);
      nextToken = page.NextToken;
    } while (nextToken);
    const tooMany = config.send(
      new GetComplianceDetailsByConfigRuleCommand({
        ConfigRuleName: 'rule-a',
        Limit: 101,
      })
    );

    // Assert
    expect(pages).toEqual([100, 100, 50]);
    await expect(tooMany).rejects.toThrow(/at most 100/);
    expect(fakes.config.recorded).toBe(260);
  });

  it('records nothing in TestMode', async () => {
    // Act
    await config.send(
      new PutEvaluationsCommand({
        ResultToken: 'TESTMODE',
        TestMode: true,
        Evaluations: evaluations(3),
      })
    );

    // Assert
    expect(fakes.config.recorded).toBe(0);
  });

  it('lists one resource’s results over every rule', async () => {
    // Arrange
    await put('rule-a', 2);
    await put('rule-b', 2);

    // Act
    const results = await config.send(
      new GetComplianceDetailsByResourceCommand({
        ResourceType: 'AWS::EC2::Subnet',
        ResourceId: 'subnet-001',
      })
    );

    // Assert
    expect(
      results.EvaluationResults?.map(
        (r) => r.EvaluationResultIdentifier?.EvaluationResultQualifier
      )
    ).toEqual([
      expect.objectContaining({
        ConfigRuleName: 'rule-a',
        ResourceId: 'subnet-001',
      }),
      expect.objectContaining({
        ConfigRuleName: 'rule-b',
        ResourceId: 'subnet-001',
      }),
    ]);
  });

  it('refuses more than 100 evaluations in one call', async () => {
    // Act
    const call = config.send(
      new PutEvaluationsCommand({
        ResultToken: resultTokenOf('rule-a'),
        Evaluations: evaluations(101),
      })
    );

    // Assert
    await expect(call).rejects.toThrow(/at most 100/);
  });
});

describe('the fake Security Hub', () => {
  it('counts every finding sent and keeps an update only when its UpdatedAt is newer', async () => {
    // Arrange
    const fakes = createFakeServices(() => NOW);
    const securityHub = new SecurityHubClient(LOCAL);
    fakes.securityHub.attach(securityHub, fakes.faults);
    const finding = (updatedAt: string, title: string) => ({
      SchemaVersion: '2018-10-08',
      Id: 'vpce-guard/rule/us-east-1/subnet-1',
      ProductArn:
        'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default',
      GeneratorId: 'vpce-guard/rule',
      AwsAccountId: '111122223333',
      CreatedAt: '2026-11-23T10:00:00.000Z',
      UpdatedAt: updatedAt,
      Title: title,
      Description: title,
      Resources: [{ Type: 'AwsEc2Subnet', Id: 'subnet-1' }],
    });

    // Act
    for (const [updatedAt, title] of [
      ['2026-11-23T10:00:00.000Z', 'first'],
      ['2026-11-23T10:00:00.000Z', 'same time'],
      ['2026-11-23T10:00:00.001Z', 'newer'],
    ] as const) {
      await securityHub.send(
        new BatchImportFindingsCommand({
          Findings: [finding(updatedAt, title)],
        })
      );
    }

    // Assert
    expect(fakes.securityHub.ingested).toBe(3);
    expect(
      fakes.securityHub.findings.get('vpce-guard/rule/us-east-1/subnet-1')
        ?.Title
    ).toBe('newer');
  });
});
