import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import {
  BatchImportFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import pino from 'pino';
import {
  type AccountClients,
  type AccountTarget,
  runConfigRule,
} from '../../../functions/config-rule/run-config-rule.js';
import {
  AccessDeniedError,
  InvalidEventError,
  ReportRejectedError,
} from '../../../functions/shared/errors.js';
import { createLogger } from '../../../functions/shared/logger.js';
import { UpdatedAtMemo } from '../../../functions/shared/report/securityhub-reporter.js';
import { InvalidParameterError } from '../../../rules/model/errors.js';
import { serveSnapshot } from '../../helpers/ec2-mock.js';
import {
  endpoint,
  route,
  routeTable,
  ruleNamed,
  securityGroup,
  serviceDetail,
  snapshot,
  subnet,
} from '../../helpers/factories.js';

const ec2 = mockClient(EC2Client);
const config = mockClient(ConfigServiceClient);
const securityHub = mockClient(SecurityHubClient);
const silent = createLogger('silent');
const RULE_ARN =
  'arn:aws:config:us-east-1:111122223333:config-rule/config-rule-abc123';
/** The injected clock: an hour after the events' notification time. */
const NOW = new Date('2026-11-23T11:00:00.000Z');

/** One VPC: a NAT-only private subnet, and an open single-AZ ssm endpoint. */
const landscape = () =>
  snapshot({
    Subnets: [subnet('subnet-a'), subnet('subnet-b', { az: 'az2' })],
    RouteTables: [
      routeTable('rtb-1', {
        main: true,
        routes: [route.cidr('0.0.0.0/0', { NatGatewayId: 'nat-1' })],
      }),
    ],
    VpcEndpoints: [endpoint('vpce-ssm', { subnets: ['subnet-a'] })],
    ServiceDetails: [serviceDetail('ssm', ['Interface'])],
    SecurityGroups: [securityGroup('sg-1')],
  });

const event = (
  invokingEvent: unknown,
  overrides: Record<string, unknown> = {}
) => ({
  version: '1.0',
  invokingEvent: JSON.stringify(invokingEvent),
  ruleParameters: '{}',
  resultToken: 'token-1',
  eventLeftScope: false,
  executionRoleArn: 'arn:aws:iam::111122223333:role/config-role',
  configRuleArn: RULE_ARN,
  configRuleName: 'vpce-guard-multi-az',
  configRuleId: 'config-rule-abc123',
  accountId: '111122223333',
  ...overrides,
});

const periodic = (overrides: Record<string, unknown> = {}) =>
  event(
    {
      awsAccountId: '111122223333',
      notificationCreationTime: '2026-11-23T10:00:00.000Z',
      messageType: 'ScheduledNotification',
      recordVersion: '1.0',
    },
    overrides
  );

const changeOf = (
  item: Record<string, unknown>,
  overrides: Record<string, unknown> = {}
) =>
  event(
    {
      configurationItem: {
        configurationItemCaptureTime: '2026-11-23T09:30:00.000Z',
        configurationItemStatus: 'OK',
        awsAccountId: '111122223333',
        awsRegion: 'us-east-1',
        relationships: [],
        ...item,
      },
      configurationItemDiff: null,
      notificationCreationTime: '2026-11-23T09:31:00.000Z',
      messageType: 'ConfigurationItemChangeNotification',
      recordVersion: '1.3',
    },
    overrides
  );

interface Recorded {
  readonly targets: AccountTarget[];
}

const dependencies = (
  ruleId: string,
  recorded: Recorded = { targets: [] }
) => ({
  rule: ruleNamed(ruleId),
  logger: silent,
  runbookBaseUrl: 'https://runbooks.example.test',
  clock: () => NOW,
  updatedAt: new UpdatedAtMemo(),
  clientsFor: async (target: AccountTarget): Promise<AccountClients> => {
    recorded.targets.push(target);
    return {
      ec2: new EC2Client({ region: target.region }),
      config: new ConfigServiceClient({ region: target.region }),
      securityHub: new SecurityHubClient({ region: target.region }),
      route53: new Route53Client({ region: target.region }),
      principal: 'test-role',
    };
  },
});

const sentEvaluations = () =>
  config
    .commandCalls(PutEvaluationsCommand)
    .flatMap((call) => call.args[0].input.Evaluations ?? []);

describe('runConfigRule', () => {
  beforeEach(() => {
    ec2.reset();
    config.reset();
    securityHub.reset();
    serveSnapshot(ec2, landscape());
    securityHub
      .on(BatchImportFindingsCommand)
      .resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    config
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolves({ EvaluationResults: [] });
  });

  it('evaluates the whole account on a periodic event and reports every endpoint', async () => {
    // Act
    const result = await runConfigRule(
      periodic(),
      dependencies('interface-endpoint-multi-az')
    );

    // Assert
    expect(result.trigger).toBe('periodic');
    expect(sentEvaluations()).toEqual([
      {
        ComplianceResourceType: 'AWS::EC2::VPCEndpoint',
        ComplianceResourceId: 'vpce-ssm',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: expect.stringContaining(
          'subnets in 1 AZ (use1-az1), needs 2'
        ),
        OrderingTimestamp: new Date('2026-11-23T10:00:00.000Z'),
      },
    ]);
  });

  it('marks NOT_APPLICABLE what the rule reported before and no longer exists', async () => {
    // Arrange
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        {
          ComplianceType: 'NON_COMPLIANT',
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: {
              ConfigRuleName: 'vpce-guard-multi-az',
              ResourceType: 'AWS::EC2::VPCEndpoint',
              ResourceId: 'vpce-deleted',
            },
          },
        },
      ],
    });

    // Act
    await runConfigRule(
      periodic(),
      dependencies('interface-endpoint-multi-az')
    );

    // Assert
    expect(sentEvaluations()).toContainEqual(
      expect.objectContaining({
        ComplianceResourceId: 'vpce-deleted',
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: 'resource no longer exists',
      })
    );
  });

  it('sends TestMode and skips the cleanup for the TESTMODE result token', async () => {
    // Act
    await runConfigRule(
      periodic({ resultToken: 'TESTMODE' }),
      dependencies('interface-endpoint-multi-az')
    );

    // Assert
    expect(
      config.commandCalls(PutEvaluationsCommand)[0]?.args[0].input.TestMode
    ).toBe(true);
    expect(
      config.commandCalls(GetComplianceDetailsByConfigRuleCommand)
    ).toHaveLength(0);
  });

  it('re-evaluates the subnets of the VPC when one of its route tables changes', async () => {
    // Act
    await runConfigRule(
      changeOf({
        resourceType: 'AWS::EC2::RouteTable',
        resourceId: 'rtb-1',
        configuration: { routeTableId: 'rtb-1', vpcId: 'vpc-1' },
      }),
      dependencies('private-subnet-gateway-endpoints')
    );

    // Assert
    const subnetCalls = ec2.commandCalls(DescribeSubnetsCommand);
    expect(subnetCalls[0]?.args[0].input.Filters).toEqual([
      { Name: 'vpc-id', Values: ['vpc-1'] },
    ]);
    expect(
      sentEvaluations().map((e) => [e.ComplianceResourceId, e.ComplianceType])
    ).toEqual([
      ['subnet-a', 'NON_COMPLIANT'],
      ['subnet-b', 'NON_COMPLIANT'],
    ]);
    expect(sentEvaluations()[0]?.OrderingTimestamp).toEqual(
      new Date('2026-11-23T09:30:00.000Z')
    );
  });

  it('reports a deleted resource of the rule NOT_APPLICABLE without loading anything', async () => {
    // Act
    await runConfigRule(
      changeOf({
        resourceType: 'AWS::EC2::VPCEndpoint',
        resourceId: 'vpce-gone',
        configurationItemStatus: 'ResourceDeleted',
        configuration: null,
      }),
      dependencies('interface-endpoint-multi-az')
    );

    // Assert
    expect(ec2.calls()).toHaveLength(0);
    expect(sentEvaluations()).toEqual([
      expect.objectContaining({
        ComplianceResourceId: 'vpce-gone',
        ComplianceType: 'NOT_APPLICABLE',
      }),
    ]);
  });

  it('reports NOT_APPLICABLE for a resource that left the rule scope', async () => {
    // Act
    await runConfigRule(
      changeOf(
        {
          resourceType: 'AWS::EC2::VPCEndpoint',
          resourceId: 'vpce-ssm',
          configuration: { vpcEndpointId: 'vpce-ssm', vpcId: 'vpc-1' },
        },
        { eventLeftScope: true }
      ),
      dependencies('interface-endpoint-multi-az')
    );

    // Assert
    expect(sentEvaluations()).toEqual([
      expect.objectContaining({
        ComplianceResourceId: 'vpce-ssm',
        ComplianceType: 'NOT_APPLICABLE',
      }),
    ]);
  });

  it('inflates an oversized notification from the configuration history', async () => {
    // Arrange
    config.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [
        {
          resourceType: 'AWS::EC2::VPCEndpoint',
          resourceId: 'vpce-ssm',
          configurationItemStatus: 'OK',
          configurationItemCaptureTime: new Date('2026-11-23T09:00:00.000Z'),
          accountId: '111122223333',
          awsRegion: 'us-east-1',
          configuration: JSON.stringify({
            vpcEndpointId: 'vpce-ssm',
            vpcId: 'vpc-1',
          }),
          relationships: [],
        },
      ],
    });
    const oversized = event({
      configurationItemSummary: {
        changeType: 'UPDATE',
        configurationItemVersion: '1.3',
        configurationItemCaptureTime: '2026-11-23T09:00:00.000Z',
        configurationStateId: 1,
        awsAccountId: '111122223333',
        configurationItemStatus: 'OK',
        resourceType: 'AWS::EC2::VPCEndpoint',
        resourceId: 'vpce-ssm',
        ARN: 'arn:aws:ec2:us-east-1:111122223333:vpc-endpoint/vpce-ssm',
        awsRegion: 'us-east-1',
      },
      notificationCreationTime: '2026-11-23T09:01:00.000Z',
      messageType: 'OversizedConfigurationItemChangeNotification',
      recordVersion: '1.0',
    });

    // Act
    const result = await runConfigRule(
      oversized,
      dependencies('interface-endpoint-multi-az')
    );

    // Assert
    expect(result.trigger).toBe('oversized');
    expect(
      config.commandCalls(GetResourceConfigHistoryCommand)[0]?.args[0].input
    ).toMatchObject({
      resourceType: 'AWS::EC2::VPCEndpoint',
      resourceId: 'vpce-ssm',
      limit: 1,
    });
    expect(sentEvaluations().map((e) => e.ComplianceResourceId)).toEqual([
      'vpce-ssm',
    ]);
  });

  it.each([
    ['aws', 'arn:aws:config:us-east-1:111122223333:config-rule/config-rule-1'],
    [
      'aws-cn',
      'arn:aws-cn:config:cn-north-1:111122223333:config-rule/config-rule-1',
    ],
  ])(
    'acts in the member account through ExecutionRoleName in the %s partition',
    async (partition, ruleArn) => {
      // Arrange
      const recorded: Recorded = { targets: [] };

      // Act
      await runConfigRule(
        periodic({
          configRuleArn: ruleArn,
          ruleParameters: JSON.stringify({
            ExecutionRoleName: 'VpceGuardMember',
          }),
        }),
        dependencies('interface-endpoint-multi-az', recorded)
      );

      // Assert
      expect(recorded.targets).toEqual([
        {
          accountId: '111122223333',
          region: ruleArn.split(':')[3],
          partition,
          executionRoleName: 'VpceGuardMember',
        },
      ]);
    }
  );

  it.each([
    ['no ExecutionRoleName', {}, 'got null'],
    ['another role', { ExecutionRoleName: 'SomeoneElse' }, 'got "SomeoneElse"'],
  ])(
    'refuses an event with %s when the deployment requires a member role',
    async (_case, parameters, detail) => {
      // Arrange
      const recorded: Recorded = { targets: [] };

      // Act
      const run = runConfigRule(
        periodic({ ruleParameters: JSON.stringify(parameters) }),
        {
          ...dependencies('interface-endpoint-multi-az', recorded),
          requiredExecutionRoleName: 'VpceGuardMember',
        }
      );

      // Assert
      await expect(run).rejects.toThrow(InvalidEventError);
      await expect(run).rejects.toThrow(
        `acts only through the member role "VpceGuardMember", ${detail}`
      );
      expect(recorded.targets).toEqual([]);
      expect(config.calls()).toHaveLength(0);
    }
  );

  it('validates the parameters before any AWS call', async () => {
    // Act
    const run = runConfigRule(
      periodic({ ruleParameters: JSON.stringify({ minAzs: 'zero' }) }),
      dependencies('interface-endpoint-multi-az')
    );

    // Assert
    await expect(run).rejects.toThrow(InvalidParameterError);
    await expect(run).rejects.toThrow('parameter minAzs');
    expect(ec2.calls()).toHaveLength(0);
    expect(config.calls()).toHaveLength(0);
  });

  it('rejects an event it cannot read, naming the field', async () => {
    // Act and Assert
    await expect(
      runConfigRule(
        periodic({ invokingEvent: '{not json' }),
        dependencies('interface-endpoint-multi-az')
      )
    ).rejects.toThrow(InvalidEventError);
  });

  it('logs one warning per resource it cannot evaluate and still sends every other evaluation', async () => {
    // Arrange: vpce-gone names a subnet the inventory does not hold
    // (deleted between two Describe calls).
    serveSnapshot(
      ec2,
      snapshot({
        ...landscape(),
        VpcEndpoints: [
          endpoint('vpce-ssm', { subnets: ['subnet-a'] }),
          endpoint('vpce-gone', { subnets: ['subnet-gone'] }),
        ],
      })
    );
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'info' },
      {
        write: (line: string) => {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        },
      }
    );

    // Act
    await runConfigRule(periodic(), {
      ...dependencies('interface-endpoint-multi-az'),
      logger,
    });

    // Assert
    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings).toEqual([
      expect.objectContaining({
        resourceId: 'vpce-gone',
        problem: expect.stringContaining('subnet-gone'),
        msg: 'cannot evaluate a resource',
      }),
    ]);
    expect(
      sentEvaluations().map((e) => [
        e.ComplianceResourceId,
        e.ComplianceType,
        e.Annotation?.startsWith('cannot evaluate:'),
      ])
    ).toEqual([
      ['vpce-gone', 'NON_COMPLIANT', true],
      ['vpce-ssm', 'NON_COMPLIANT', false],
    ]);
  });

  it('reports nothing when an EC2 call is denied, and names the action', async () => {
    // Arrange
    ec2.on(DescribeSubnetsCommand).rejects(
      Object.assign(new Error('denied'), {
        name: 'UnauthorizedOperation',
        $metadata: {},
      })
    );

    // Act
    const run = runConfigRule(
      periodic(),
      dependencies('interface-endpoint-multi-az')
    );

    // Assert
    await expect(run).rejects.toThrow(AccessDeniedError);
    await expect(run).rejects.toThrow('ec2:DescribeSubnets');
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
  });

  it('fails when Config rejects some evaluations', async () => {
    // Arrange
    config.on(PutEvaluationsCommand).resolves({
      FailedEvaluations: [
        {
          ComplianceResourceType: 'AWS::EC2::VPCEndpoint',
          ComplianceResourceId: 'vpce-ssm',
          ComplianceType: 'NON_COMPLIANT',
          OrderingTimestamp: new Date(),
        },
      ],
    });

    // Act and Assert
    await expect(
      runConfigRule(periodic(), dependencies('interface-endpoint-multi-az'))
    ).rejects.toThrow(ReportRejectedError);
  });

  it('imports one finding per evaluation into Security Hub, after Config has them', async () => {
    // Act
    const result = await runConfigRule(
      periodic(),
      dependencies('interface-endpoint-multi-az')
    );

    // Assert
    const findings = securityHub
      .commandCalls(BatchImportFindingsCommand)
      .flatMap((call) => call.args[0].input.Findings ?? []);
    expect(
      findings.map((f) => [f.Id, f.Compliance?.Status, f.RecordState])
    ).toEqual([
      [
        'vpce-guard/interface-endpoint-multi-az/us-east-1/vpce-ssm',
        'FAILED',
        'ACTIVE',
      ],
    ]);
    expect(findings[0]?.Remediation?.Recommendation?.Url).toBe(
      'https://runbooks.example.test/rules/interface-endpoint-multi-az/runbook.md'
    );
    expect(result.sentToSecurityHub).toHaveLength(1);
    const [putCall] = config.commandCalls(PutEvaluationsCommand);
    const [importCall] = securityHub.commandCalls(BatchImportFindingsCommand);
    if (!putCall || !importCall) throw new Error('both calls were made');
    expect(putCall.calledBefore(importCall)).toBe(true);
  });

  it('imports nothing when the rule parameter securityHub is false', async () => {
    // Act
    const result = await runConfigRule(
      periodic({ ruleParameters: JSON.stringify({ securityHub: 'false' }) }),
      dependencies('interface-endpoint-multi-az')
    );

    // Assert
    expect(securityHub.commandCalls(BatchImportFindingsCommand)).toHaveLength(
      0
    );
    expect(result.sentToSecurityHub).toEqual([]);
    expect(result.securityHubSkipped).toBe(
      'the rule parameter securityHub is false'
    );
    expect(sentEvaluations()).toHaveLength(1);
  });

  it.each<[string, boolean | undefined, number, RegExp | undefined]>([
    ['token-1', undefined, 1, undefined],
    ['TESTMODE', undefined, 0, /^TestMode /u],
    ['TESTMODE', false, 0, /^TestMode /u],
    ['TESTMODE', true, 1, undefined],
  ])(
    'with result token %s and importFindingsInTestMode %s makes %d import calls, saying why when none',
    async (resultToken, importFindingsInTestMode, imports, skipped) => {
      // Act
      const result = await runConfigRule(periodic({ resultToken }), {
        ...dependencies('interface-endpoint-multi-az'),
        ...(importFindingsInTestMode === undefined
          ? {}
          : { importFindingsInTestMode }),
      });

      // Assert
      expect(securityHub.commandCalls(BatchImportFindingsCommand)).toHaveLength(
        imports
      );
      expect(result.sentToSecurityHub).toHaveLength(imports);
      if (skipped === undefined) {
        expect(result.securityHubSkipped).toBeUndefined();
      } else {
        expect(result.securityHubSkipped).toMatch(skipped);
      }
      expect(sentEvaluations()).toHaveLength(1);
    }
  );

  it('links the findings to the rule’s SSM document on the console when no base URL is given', async () => {
    // Act
    await runConfigRule(periodic(), {
      ...dependencies('interface-endpoint-multi-az'),
      runbookBaseUrl: undefined,
    });

    // Assert
    const [finding] = securityHub
      .commandCalls(BatchImportFindingsCommand)
      .flatMap((call) => call.args[0].input.Findings ?? []);
    expect(finding?.Remediation?.Recommendation?.Url).toBe(
      'https://us-east-1.console.aws.amazon.com/systems-manager/documents/VpceGuard-InterfaceEndpointMultiAz/description?region=us-east-1'
    );
  });
});
