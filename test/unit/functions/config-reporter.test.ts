import {
  ConfigServiceClient,
  type EvaluationResult,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AccessDeniedError,
  AwsCallError,
  ReportRejectedError,
} from '../../../functions/shared/errors.js';
import {
  putEvaluations,
  staleResourceIds,
} from '../../../functions/shared/report/config-reporter.js';
import type { Evaluation } from '../../../rules/model/rule.js';

const ACCOUNT = '111122223333';
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/vpce-guard-member`;
const AT = new Date('2025-03-14T09:26:53.118Z');
const TOKEN = 'eyJyZXN1bHQiOiJ0b2tlbiJ9';

const configMock = mockClient(ConfigServiceClient);

const evaluation = (overrides: Partial<Evaluation> = {}): Evaluation => ({
  ruleId: 'interface-endpoint-multi-az',
  accountId: ACCOUNT,
  region: 'us-east-1',
  resourceType: 'AWS::EC2::VPCEndpoint',
  resourceId: 'vpce-0745a74aac107c053',
  complianceType: 'COMPLIANT',
  annotation: 'subnets in 3 AZs',
  ...overrides,
});

const numbered = (count: number): Evaluation[] =>
  Array.from({ length: count }, (_, index) =>
    evaluation({ resourceId: `vpce-${String(index).padStart(17, '0')}` })
  );

const sdkError = (name: string, message = 'boom') =>
  Object.assign(new Error(message), { name, $metadata: {} });

const sentInputs = () =>
  configMock
    .commandCalls(PutEvaluationsCommand)
    .map((call) => call.args[0].input);

beforeEach(() => {
  configMock.reset();
});

describe('putEvaluations', () => {
  it('maps each evaluation to a Config evaluation', async () => {
    // Arrange
    configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });

    // Act
    const sent = await putEvaluations(
      new ConfigServiceClient({}),
      [
        evaluation(),
        evaluation({
          resourceType: 'AWS::EC2::Subnet',
          resourceId: 'subnet-0092dafba03eb2be4',
          complianceType: 'NON_COMPLIANT',
          annotation: 'no S3 gateway endpoint route',
        }),
      ],
      { resultToken: TOKEN, orderingTimestamp: AT },
      PRINCIPAL
    );

    // Assert
    const expected = [
      {
        Evaluations: [
          {
            ComplianceResourceType: 'AWS::EC2::VPCEndpoint',
            ComplianceResourceId: 'vpce-0745a74aac107c053',
            ComplianceType: 'COMPLIANT',
            Annotation: 'subnets in 3 AZs',
            OrderingTimestamp: AT,
          },
          {
            ComplianceResourceType: 'AWS::EC2::Subnet',
            ComplianceResourceId: 'subnet-0092dafba03eb2be4',
            ComplianceType: 'NON_COMPLIANT',
            Annotation: 'no S3 gateway endpoint route',
            OrderingTimestamp: AT,
          },
        ],
        ResultToken: TOKEN,
      },
    ];
    expect(sent).toEqual(expected);
    expect(sentInputs()).toEqual(expected);
  });

  it('sends 250 evaluations as 3 sequential calls of 100, 100 and 50', async () => {
    // Arrange
    const evaluations = numbered(250);
    configMock.on(PutEvaluationsCommand).resolves({});

    // Act
    const sent = await putEvaluations(
      new ConfigServiceClient({}),
      evaluations,
      { resultToken: TOKEN, orderingTimestamp: AT },
      PRINCIPAL
    );

    // Assert
    expect(sentInputs().map((input) => input.Evaluations?.length)).toEqual([
      100, 100, 50,
    ]);
    expect(
      sentInputs().flatMap(
        (input) => input.Evaluations?.map((e) => e.ComplianceResourceId) ?? []
      )
    ).toEqual(evaluations.map((e) => e.resourceId));
    expect(sent).toEqual(sentInputs());
  });

  it.each([
    ['TESTMODE', true],
    [TOKEN, undefined],
    ['testmode', undefined],
  ])('sets TestMode for result token %s: %s', async (resultToken, testMode) => {
    // Arrange
    configMock.on(PutEvaluationsCommand).resolves({});

    // Act
    await putEvaluations(
      new ConfigServiceClient({}),
      [evaluation()],
      { resultToken, orderingTimestamp: AT },
      PRINCIPAL
    );

    // Assert
    expect(sentInputs()[0]?.TestMode).toBe(testMode);
    expect(sentInputs()[0]?.ResultToken).toBe(resultToken);
  });

  it('omits an empty annotation', async () => {
    // Arrange
    configMock.on(PutEvaluationsCommand).resolves({});

    // Act
    await putEvaluations(
      new ConfigServiceClient({}),
      [evaluation({ annotation: '' })],
      { resultToken: TOKEN, orderingTimestamp: AT },
      PRINCIPAL
    );

    // Assert
    expect(sentInputs()[0]?.Evaluations?.[0]).not.toHaveProperty('Annotation');
  });

  it('truncates an annotation longer than 256 characters', async () => {
    // Arrange
    configMock.on(PutEvaluationsCommand).resolves({});

    // Act
    await putEvaluations(
      new ConfigServiceClient({}),
      [evaluation({ annotation: 'x'.repeat(300) })],
      { resultToken: TOKEN, orderingTimestamp: AT },
      PRINCIPAL
    );

    // Assert
    expect(sentInputs()[0]?.Evaluations?.[0]?.Annotation).toHaveLength(256);
  });

  it('makes no call for zero evaluations', async () => {
    // Act
    const sent = await putEvaluations(
      new ConfigServiceClient({}),
      [],
      { resultToken: TOKEN, orderingTimestamp: AT },
      PRINCIPAL
    );

    // Assert
    expect(sent).toEqual([]);
    expect(configMock.calls()).toHaveLength(0);
  });

  it('rejects the report listing every failed resource of every batch', async () => {
    // Arrange
    const evaluations = numbered(150);
    configMock
      .on(PutEvaluationsCommand)
      .resolvesOnce({
        FailedEvaluations: [
          {
            ComplianceResourceType: 'AWS::EC2::VPCEndpoint',
            ComplianceResourceId: evaluations[3]?.resourceId,
            ComplianceType: 'COMPLIANT',
            OrderingTimestamp: AT,
          },
        ],
      })
      .resolvesOnce({
        FailedEvaluations: [
          {
            ComplianceResourceType: 'AWS::EC2::VPCEndpoint',
            ComplianceResourceId: evaluations[120]?.resourceId,
            ComplianceType: 'COMPLIANT',
            OrderingTimestamp: AT,
          },
        ],
      });

    // Act
    const putting = putEvaluations(
      new ConfigServiceClient({}),
      evaluations,
      { resultToken: TOKEN, orderingTimestamp: AT },
      PRINCIPAL
    );

    // Assert
    await expect(putting).rejects.toThrow(ReportRejectedError);
    await expect(putting).rejects.toThrow(
      `config:PutEvaluations rejected 2 of 150 evaluations: AWS::EC2::VPCEndpoint ${evaluations[3]?.resourceId}, AWS::EC2::VPCEndpoint ${evaluations[120]?.resourceId}`
    );
    expect(sentInputs()).toHaveLength(2);
  });

  it('wraps a failed call as AwsCallError and sends no later batch', async () => {
    // Arrange
    configMock
      .on(PutEvaluationsCommand)
      .rejects(sdkError('ThrottlingException', 'Rate exceeded'));

    // Act
    const putting = putEvaluations(
      new ConfigServiceClient({}),
      numbered(150),
      { resultToken: TOKEN, orderingTimestamp: AT },
      PRINCIPAL
    );

    // Assert
    await expect(putting).rejects.toThrow(AwsCallError);
    await expect(putting).rejects.toThrow(
      'config:PutEvaluations failed: ThrottlingException: Rate exceeded'
    );
    expect(sentInputs()).toHaveLength(1);
  });

  it('names the principal when access is denied', async () => {
    // Arrange
    configMock
      .on(PutEvaluationsCommand)
      .rejects(sdkError('AccessDeniedException'));

    // Act
    const putting = putEvaluations(
      new ConfigServiceClient({}),
      [evaluation()],
      { resultToken: TOKEN, orderingTimestamp: AT },
      PRINCIPAL
    );

    // Assert
    await expect(putting).rejects.toThrow(AccessDeniedError);
    await expect(putting).rejects.toThrow(
      `access denied: ${PRINCIPAL} may not call config:PutEvaluations`
    );
  });
});

const result = (
  resourceType: string,
  resourceId: string
): EvaluationResult => ({
  EvaluationResultIdentifier: {
    EvaluationResultQualifier: {
      ConfigRuleName: 'vpce-guard-interface-endpoint-multi-az',
      ResourceType: resourceType,
      ResourceId: resourceId,
    },
    OrderingTimestamp: AT,
  },
  ComplianceType: 'COMPLIANT',
});

describe('staleResourceIds', () => {
  const query = {
    configRuleName: 'OrgConfigRule-vpce-guard-multi-az-dbgzf8ba',
    resourceType: 'AWS::EC2::VPCEndpoint',
    current: new Set(['vpce-current-1', 'vpce-current-2']),
  };

  it('pages through all results and returns sorted, distinct stale ids of the type', async () => {
    // Arrange
    configMock
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolvesOnce({
        EvaluationResults: [
          result('AWS::EC2::VPCEndpoint', 'vpce-gone-b'),
          result('AWS::EC2::VPCEndpoint', 'vpce-current-1'),
          result('AWS::EC2::Subnet', 'subnet-gone'),
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        EvaluationResults: [
          result('AWS::EC2::VPCEndpoint', 'vpce-gone-a'),
          result('AWS::EC2::RouteTable', 'rtb-gone'),
          result('AWS::EC2::VPCEndpoint', 'vpce-gone-b'),
        ],
        NextToken: 'page-3',
      })
      .resolvesOnce({
        EvaluationResults: [
          result('AWS::EC2::VPCEndpoint', 'vpce-current-2'),
          result('AWS::EC2::VPCEndpoint', 'vpce-gone-c'),
        ],
      });

    // Act
    const stale = await staleResourceIds(
      new ConfigServiceClient({}),
      query,
      PRINCIPAL
    );

    // Assert
    expect(stale).toEqual(['vpce-gone-a', 'vpce-gone-b', 'vpce-gone-c']);
    expect(
      configMock
        .commandCalls(GetComplianceDetailsByConfigRuleCommand)
        .map((call) => call.args[0].input)
    ).toEqual([
      {
        ConfigRuleName: 'OrgConfigRule-vpce-guard-multi-az-dbgzf8ba',
        ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
        Limit: 100,
      },
      {
        ConfigRuleName: 'OrgConfigRule-vpce-guard-multi-az-dbgzf8ba',
        ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
        Limit: 100,
        NextToken: 'page-2',
      },
      {
        ConfigRuleName: 'OrgConfigRule-vpce-guard-multi-az-dbgzf8ba',
        ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
        Limit: 100,
        NextToken: 'page-3',
      },
    ]);
  });

  it('returns nothing when the rule has no results', async () => {
    // Arrange
    configMock.on(GetComplianceDetailsByConfigRuleCommand).resolves({});

    // Act
    const stale = await staleResourceIds(
      new ConfigServiceClient({}),
      query,
      PRINCIPAL
    );

    // Assert
    expect(stale).toEqual([]);
    expect(
      configMock.commandCalls(GetComplianceDetailsByConfigRuleCommand)
    ).toHaveLength(1);
  });

  it('wraps a failed page as AwsCallError naming the action', async () => {
    // Arrange
    configMock
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolvesOnce({
        EvaluationResults: [result('AWS::EC2::VPCEndpoint', 'vpce-gone-a')],
        NextToken: 'page-2',
      })
      .rejectsOnce(sdkError('ThrottlingException', 'Rate exceeded'));

    // Act
    const looking = staleResourceIds(
      new ConfigServiceClient({}),
      query,
      PRINCIPAL
    );

    // Assert
    await expect(looking).rejects.toThrow(AwsCallError);
    await expect(looking).rejects.toThrow(
      'config:GetComplianceDetailsByConfigRule failed: ThrottlingException: Rate exceeded'
    );
  });
});
