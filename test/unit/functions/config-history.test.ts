import {
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
} from '@aws-sdk/client-config-service';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { inflateOversized } from '../../../functions/shared/aws/config-history.js';
import {
  AccessDeniedError,
  AwsCallError,
  InvalidEventError,
} from '../../../functions/shared/errors.js';
import {
  type Trigger,
  vpcIdOf,
} from '../../../functions/shared/formats/config-event.js';
import { apiItem } from '../../helpers/config-items.js';

const ACCOUNT = '111122223333';
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/vpce-guard-member`;

type OversizedTrigger = Extract<Trigger, { kind: 'oversized' }>;

const oversized = (
  summary: Partial<OversizedTrigger['summary']> = {}
): OversizedTrigger => ({
  kind: 'oversized',
  summary: {
    resourceType: 'AWS::EC2::RouteTable',
    resourceId: 'rtb-0ad70dd891a8ce93e',
    configurationItemCaptureTime: '2025-03-14T10:02:41.907Z',
    configurationItemStatus: 'OK',
    ...summary,
  },
  notificationCreationTime: '2025-03-14T10:02:44.156Z',
});

const sdkError = (name: string, message = 'boom') =>
  Object.assign(new Error(message), { name, $metadata: {} });

describe('inflateOversized', () => {
  const configMock = mockClient(ConfigServiceClient);

  beforeEach(() => {
    configMock.reset();
  });

  it('fetches the item at the summary capture time and converts it', async () => {
    // Arrange
    configMock
      .on(GetResourceConfigHistoryCommand)
      .resolves({ configurationItems: [apiItem()] });

    // Act
    const inflated = await inflateOversized(
      new ConfigServiceClient({}),
      oversized(),
      PRINCIPAL
    );

    // Assert
    const calls = configMock.commandCalls(GetResourceConfigHistoryCommand);
    expect(calls.map((call) => call.args[0].input)).toEqual([
      {
        resourceType: 'AWS::EC2::RouteTable',
        resourceId: 'rtb-0ad70dd891a8ce93e',
        laterTime: new Date('2025-03-14T10:02:41.907Z'),
        limit: 1,
      },
    ]);
    expect(inflated.awsAccountId).toBe(ACCOUNT);
    expect(inflated.configuration).toMatchObject({
      vpcId: 'vpc-06f35b9576fbddd40',
    });
    expect(vpcIdOf(inflated)).toBe('vpc-06f35b9576fbddd40');
  });

  it('fails with InvalidEventError when Config returns no item', async () => {
    // Arrange
    configMock
      .on(GetResourceConfigHistoryCommand)
      .resolves({ configurationItems: [] });

    // Act
    const inflating = inflateOversized(
      new ConfigServiceClient({}),
      oversized(),
      PRINCIPAL
    );

    // Assert
    await expect(inflating).rejects.toThrow(InvalidEventError);
    await expect(inflating).rejects.toThrow(
      'config:GetResourceConfigHistory returned no configuration item for AWS::EC2::RouteTable rtb-0ad70dd891a8ce93e at or before 2025-03-14T10:02:41.907Z'
    );
  });

  it('fails with InvalidEventError naming the field when Config returns a malformed item', async () => {
    // Arrange
    configMock
      .on(GetResourceConfigHistoryCommand)
      .resolves({ configurationItems: [apiItem({ configuration: '[1]' })] });

    // Act
    const inflating = inflateOversized(
      new ConfigServiceClient({}),
      oversized(),
      PRINCIPAL
    );

    // Assert
    await expect(inflating).rejects.toThrow(InvalidEventError);
    await expect(inflating).rejects.toThrow(
      'GetResourceConfigHistory configurationItems[0].configuration: expected an object, got an array'
    );
  });

  it('refuses a resource type the API does not know, without calling it', async () => {
    // Act
    const inflating = inflateOversized(
      new ConfigServiceClient({}),
      oversized({ resourceType: 'AWS::EC2::Teleporter' }),
      PRINCIPAL
    );

    // Assert
    await expect(inflating).rejects.toThrow(InvalidEventError);
    await expect(inflating).rejects.toThrow(
      'invokingEvent.configurationItemSummary.resourceType: expected a resource type config:GetResourceConfigHistory accepts, got "AWS::EC2::Teleporter"'
    );
    expect(configMock.calls()).toHaveLength(0);
  });

  it('wraps a failed call as AwsCallError naming the action', async () => {
    // Arrange
    configMock
      .on(GetResourceConfigHistoryCommand)
      .rejects(sdkError('ThrottlingException', 'Rate exceeded'));

    // Act
    const inflating = inflateOversized(
      new ConfigServiceClient({}),
      oversized(),
      PRINCIPAL
    );

    // Assert
    await expect(inflating).rejects.toThrow(AwsCallError);
    await expect(inflating).rejects.toThrow(
      'config:GetResourceConfigHistory failed: ThrottlingException: Rate exceeded'
    );
  });

  it('names the principal when access is denied', async () => {
    // Arrange
    configMock
      .on(GetResourceConfigHistoryCommand)
      .rejects(sdkError('AccessDeniedException'));

    // Act
    const inflating = inflateOversized(
      new ConfigServiceClient({}),
      oversized(),
      PRINCIPAL
    );

    // Assert
    await expect(inflating).rejects.toThrow(AccessDeniedError);
    await expect(inflating).rejects.toThrow(
      `access denied: ${PRINCIPAL} may not call config:GetResourceConfigHistory`
    );
  });
});
