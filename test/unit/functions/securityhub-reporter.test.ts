import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AwsCallError,
  ReportRejectedError,
} from '../../../functions/shared/errors.js';
import {
  importFindings,
  SecurityHubNotEnabledError,
  UpdatedAtMemo,
} from '../../../functions/shared/report/securityhub-reporter.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/vpce-guard-member`;
const PRODUCT_ARN = `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`;
const CREATED_AT = '2025-03-14T09:26:53.118Z';
const NOW = Date.parse('2025-03-14T10:00:00.000Z');

const securityHubMock = mockClient(SecurityHubClient);
const client = new SecurityHubClient({ region: REGION });

const finding = (
  id: string,
  overrides: Partial<AwsSecurityFinding> = {}
): AwsSecurityFinding => ({
  SchemaVersion: '2018-10-08',
  Id: `vpce-guard/interface-endpoint-multi-az/${REGION}/${id}`,
  ProductArn: PRODUCT_ARN,
  GeneratorId: 'vpce-guard/interface-endpoint-multi-az',
  AwsAccountId: ACCOUNT,
  CreatedAt: CREATED_AT,
  UpdatedAt: CREATED_AT,
  Title: 'Interface endpoint is not in multiple AZs',
  Description: 'The endpoint has subnets in one Availability Zone.',
  Resources: [
    {
      Type: 'AwsEc2VpcEndpoint',
      Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc-endpoint/${id}`,
      Partition: 'aws',
      Region: REGION,
    },
  ],
  ...overrides,
});

const numbered = (prefix: string, count: number): AwsSecurityFinding[] =>
  Array.from({ length: count }, (_, index) =>
    finding(`${prefix}-${String(index).padStart(5, '0')}`)
  );

const sdkError = (name: string, message = 'boom') =>
  Object.assign(new Error(message), { name, $metadata: {} });

const sentInputs = () =>
  securityHubMock
    .commandCalls(BatchImportFindingsCommand)
    .map((call) => call.args[0].input);

/**
 * A clock that only `sleep` moves, and the UpdatedAt memo of a fresh
 * container.
 */
const fakeTime = (start = NOW) => {
  let time = start;
  return {
    memo: new UpdatedAtMemo(),
    now: () => time,
    sleep: async (ms: number) => {
      time += ms;
    },
  };
};

const succeed = () =>
  securityHubMock
    .on(BatchImportFindingsCommand)
    .callsFake((input: { Findings: unknown[] }) => ({
      FailedCount: 0,
      SuccessCount: input.Findings.length,
      FailedFindings: [],
    }));

beforeEach(() => {
  securityHubMock.reset();
});

describe('importFindings', () => {
  it('sends 250 findings in calls of 100, 100 and 50', async () => {
    // Arrange
    succeed();

    // Act
    const sent = await importFindings(client, numbered('split', 250), {
      principal: PRINCIPAL,
      ...fakeTime(),
    });

    // Assert
    expect(sent.map((input) => input.Findings?.length)).toEqual([100, 100, 50]);
    expect(sentInputs()).toEqual(sent);
    expect(sent.flatMap((input) => input.Findings?.map((f) => f.Id))).toEqual(
      numbered('split', 250).map((f) => f.Id)
    );
  });

  it('splits a call that would exceed 6 MB', async () => {
    // Arrange: 60 findings of about 200 KB each, about 12 MB in all.
    succeed();
    const findings = numbered('large', 60).map((f) => ({
      ...f,
      Resources: [
        {
          ...f.Resources?.[0],
          Type: 'AwsEc2VpcEndpoint',
          Id: f.Resources?.[0]?.Id ?? '',
          Details: { Other: { Policy: 'x'.repeat(200_000) } },
        },
      ],
    }));

    // Act
    const sent = await importFindings(client, findings, {
      principal: PRINCIPAL,
      ...fakeTime(),
    });

    // Assert
    expect(sent.length).toBeGreaterThan(2);
    for (const input of sent) {
      expect(Buffer.byteLength(JSON.stringify(input))).toBeLessThanOrEqual(
        6 * 1024 * 1024
      );
    }
    expect(sent.flatMap((input) => input.Findings ?? [])).toHaveLength(60);
  });

  it('starts at most 10 calls in any second by default', async () => {
    // Arrange
    const time = fakeTime();
    const startedAt: number[] = [];
    securityHubMock
      .on(BatchImportFindingsCommand)
      .callsFake((input: { Findings: unknown[] }) => {
        startedAt.push(time.now());
        return {
          FailedCount: 0,
          SuccessCount: input.Findings.length,
          FailedFindings: [],
        };
      });

    // Act
    await importFindings(client, numbered('pace', 2500), {
      principal: PRINCIPAL,
      ...time,
    });

    // Assert
    expect(startedAt).toHaveLength(25);
    expect(time.now() - NOW).toBeGreaterThanOrEqual(2000);
    for (let index = 10; index < startedAt.length; index += 1) {
      expect(
        (startedAt[index] ?? 0) - (startedAt[index - 10] ?? 0)
      ).toBeGreaterThanOrEqual(1000);
    }
  });

  it.each([2, 5, 20])(
    'paces calls to %i per second',
    async (maxCallsPerSecond) => {
      // Arrange
      succeed();
      const time = fakeTime();

      // Act
      await importFindings(client, numbered(`rate-${maxCallsPerSecond}`, 300), {
        principal: PRINCIPAL,
        maxCallsPerSecond,
        ...time,
      });

      // Assert
      expect(sentInputs()).toHaveLength(3);
      expect(time.now() - NOW).toBe(2 * (1000 / maxCallsPerSecond));
    }
  );

  it('gives two imports of the same Id in one millisecond increasing UpdatedAt', async () => {
    // Arrange
    succeed();
    const time = fakeTime();
    const options = { principal: PRINCIPAL, ...time };

    // Act
    const [first] = await importFindings(client, [finding('twice')], options);
    const [second] = await importFindings(client, [finding('twice')], options);

    // Assert
    const firstAt = Date.parse(first?.Findings?.[0]?.UpdatedAt ?? '');
    const secondAt = Date.parse(second?.Findings?.[0]?.UpdatedAt ?? '');
    expect(firstAt).toBe(NOW);
    expect(secondAt).toBe(NOW + 1);
    expect(second?.Findings?.[0]?.CreatedAt).toBe(CREATED_AT);
  });

  it('keeps no UpdatedAt between two memos (two containers)', async () => {
    // Arrange
    succeed();
    const { now, sleep } = fakeTime();

    // Act
    const [first] = await importFindings(client, [finding('apart')], {
      principal: PRINCIPAL,
      memo: new UpdatedAtMemo(),
      now,
      sleep,
    });
    const [second] = await importFindings(client, [finding('apart')], {
      principal: PRINCIPAL,
      memo: new UpdatedAtMemo(),
      now,
      sleep,
    });

    // Assert: the second container knows nothing of the first one's import
    expect(first?.Findings?.[0]?.UpdatedAt).toBe(new Date(NOW).toISOString());
    expect(second?.Findings?.[0]?.UpdatedAt).toBe(new Date(NOW).toISOString());
  });

  it('increases UpdatedAt for an Id repeated within one call', async () => {
    // Arrange
    succeed();

    // Act
    const [input] = await importFindings(
      client,
      [finding('repeated'), finding('repeated')],
      { principal: PRINCIPAL, ...fakeTime() }
    );

    // Assert
    expect(input?.Findings?.map((f) => f.UpdatedAt)).toEqual([
      new Date(NOW).toISOString(),
      new Date(NOW + 1).toISOString(),
    ]);
  });

  it('uses the clock when it is later than the last UpdatedAt', async () => {
    // Arrange
    succeed();
    const time = fakeTime();
    const options = { principal: PRINCIPAL, ...time };
    await importFindings(client, [finding('later')], options);
    await time.sleep(60_000);

    // Act
    const [input] = await importFindings(client, [finding('later')], options);

    // Assert
    expect(input?.Findings?.[0]?.UpdatedAt).toBe(
      new Date(NOW + 60_000).toISOString()
    );
  });

  it('never sets UpdatedAt before CreatedAt', async () => {
    // Arrange: the clock is an hour behind the finding's CreatedAt.
    succeed();
    const createdAt = new Date(NOW + 3_600_000).toISOString();

    // Act
    const [input] = await importFindings(
      client,
      [finding('skewed', { CreatedAt: createdAt })],
      { principal: PRINCIPAL, ...fakeTime() }
    );

    // Assert
    expect(input?.Findings?.[0]?.UpdatedAt).toBe(createdAt);
    expect(input?.Findings?.[0]?.CreatedAt).toBe(createdAt);
  });

  it('rejects the import listing every failed Id of every call', async () => {
    // Arrange
    const findings = numbered('partial', 150);
    const failure = (index: number, code: string, message: string) => ({
      Id: findings[index]?.Id,
      ErrorCode: code,
      ErrorMessage: message,
    });
    securityHubMock
      .on(BatchImportFindingsCommand)
      .resolvesOnce({
        FailedCount: 2,
        SuccessCount: 98,
        FailedFindings: [
          failure(3, 'InvalidInput', 'Finding does not adhere to ASFF.'),
          failure(42, 'InvalidInput', 'Title too long.'),
        ],
      })
      .resolvesOnce({
        FailedCount: 1,
        SuccessCount: 49,
        FailedFindings: [failure(120, 'InvalidInput', 'Bad Resources.')],
      });

    // Act
    const importing = importFindings(client, findings, {
      principal: PRINCIPAL,
      ...fakeTime(),
    });

    // Assert
    await expect(importing).rejects.toThrow(ReportRejectedError);
    await expect(importing).rejects.toThrow(
      `securityhub:BatchImportFindings rejected 3 of 150 findings: ${findings[3]?.Id} (InvalidInput: Finding does not adhere to ASFF.), ${findings[42]?.Id} (InvalidInput: Title too long.), ${findings[120]?.Id} (InvalidInput: Bad Resources.)`
    );
    expect(sentInputs()).toHaveLength(2);
  });

  it.each([
    [
      'an InvalidAccessException',
      () =>
        securityHubMock
          .on(BatchImportFindingsCommand)
          .rejects(
            sdkError(
              'InvalidAccessException',
              `Account ${ACCOUNT} is not subscribed to AWS Security Hub`
            )
          ),
    ],
    [
      'an InvalidAccess failed finding',
      () =>
        securityHubMock.on(BatchImportFindingsCommand).resolves({
          FailedCount: 1,
          SuccessCount: 0,
          FailedFindings: [
            {
              Id: 'x',
              ErrorCode: 'InvalidAccess',
              ErrorMessage: 'Security Hub is not enabled.',
            },
          ],
        }),
    ],
  ])('reports that Security Hub is not enabled on %s', async (_, arrange) => {
    // Arrange
    arrange();

    // Act
    const importing = importFindings(client, numbered('off', 250), {
      principal: PRINCIPAL,
      ...fakeTime(),
    });

    // Assert
    await expect(importing).rejects.toThrow(SecurityHubNotEnabledError);
    await expect(importing).rejects.toThrow(AwsCallError);
    await expect(importing).rejects.toThrow(
      `Security Hub is not enabled in ${ACCOUNT}/${REGION}: enable it there, or set the rule parameter securityHub=false to turn the import off`
    );
    expect(sentInputs()).toHaveLength(1);
  });

  it('wraps a throttling error that outlasted the SDK retries, naming the action', async () => {
    // Arrange
    securityHubMock
      .on(BatchImportFindingsCommand)
      .rejects(sdkError('ThrottlingException', 'Rate exceeded'));

    // Act
    const importing = importFindings(client, numbered('throttled', 5), {
      principal: PRINCIPAL,
      ...fakeTime(),
    });

    // Assert
    await expect(importing).rejects.toThrow(AwsCallError);
    await expect(importing).rejects.toThrow(
      'securityhub:BatchImportFindings failed: ThrottlingException: Rate exceeded'
    );
    await expect(importing).rejects.not.toThrow(SecurityHubNotEnabledError);
  });

  it('makes no call for zero findings', async () => {
    // Act
    const sent = await importFindings(client, [], {
      principal: PRINCIPAL,
      memo: new UpdatedAtMemo(),
    });

    // Assert
    expect(sent).toEqual([]);
    expect(sentInputs()).toHaveLength(0);
  });
});
