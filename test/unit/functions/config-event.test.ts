import { readFileSync } from 'node:fs';
import type { ConfigurationItem as ApiConfigurationItem } from '@aws-sdk/client-config-service';
import { describe, expect, it } from '@jest/globals';
import { InvalidEventError } from '../../../functions/shared/errors.js';
import {
  type ConfigRuleEvent,
  type ConfigurationItem,
  isGone,
  parseConfigEvent,
  type Trigger,
  toNotificationItem,
  vpcIdOf,
} from '../../../functions/shared/formats/config-event.js';
import { apiItem } from '../../helpers/config-items.js';

const ACCOUNT = '111122223333';
const RULE_ARN = `arn:aws:config:us-east-1:${ACCOUNT}:config-rule/config-rule-7ab3kq`;

type Json = Record<string, unknown>;

const changeItem = (overrides: Json = {}): Json => ({
  relatedEvents: [],
  relationships: [
    {
      resourceId: 'vpc-06f35b9576fbddd40',
      resourceName: null,
      resourceType: 'AWS::EC2::VPC',
      name: 'Is contained in Vpc',
    },
  ],
  configuration: {
    vpcEndpointId: 'vpce-0745a74aac107c053',
    vpcId: 'vpc-06f35b9576fbddd40',
  },
  supplementaryConfiguration: {},
  tags: { Name: 'prod-ssm' },
  configurationItemVersion: '1.3',
  configurationItemCaptureTime: '2025-03-14T09:26:53.118Z',
  configurationStateId: 1741944413118,
  awsAccountId: ACCOUNT,
  configurationItemStatus: 'OK',
  resourceType: 'AWS::EC2::VPCEndpoint',
  resourceId: 'vpce-0745a74aac107c053',
  resourceName: null,
  ARN: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-endpoint/vpce-0745a74aac107c053`,
  awsRegion: 'us-east-1',
  availabilityZone: 'Multiple Availability Zones',
  configurationStateMd5Hash: '',
  resourceCreationTime: '2021-05-16T11:00:07.000Z',
  ...overrides,
});

const changeInvokingEvent = (item: Json = changeItem()): Json => ({
  configurationItemDiff: null,
  configurationItem: item,
  notificationCreationTime: '2025-03-14T09:27:05.402Z',
  messageType: 'ConfigurationItemChangeNotification',
  recordVersion: '1.3',
});

const oversizedInvokingEvent = (summary: Json = {}): Json => ({
  configurationItemSummary: {
    changeType: 'UPDATE',
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: '2025-03-14T10:02:41.907Z',
    configurationStateId: 1741946561907,
    awsAccountId: ACCOUNT,
    configurationItemStatus: 'OK',
    resourceType: 'AWS::EC2::RouteTable',
    resourceId: 'rtb-0ad70dd891a8ce93e',
    resourceName: null,
    ARN: `arn:aws:ec2:us-east-1:${ACCOUNT}:route-table/rtb-0ad70dd891a8ce93e`,
    awsRegion: 'us-east-1',
    availabilityZone: 'Not Applicable',
    configurationStateMd5Hash: '',
    resourceCreationTime: null,
    ...summary,
  },
  messageType: 'OversizedConfigurationItemChangeNotification',
  notificationCreationTime: '2025-03-14T10:02:44.156Z',
  recordVersion: '1.0',
});

const periodicInvokingEvent = (): Json => ({
  awsAccountId: ACCOUNT,
  notificationCreationTime: '2025-03-15T00:00:12.846Z',
  messageType: 'ScheduledNotification',
  recordVersion: '1.0',
});

/** An event as Config sends it: invokingEvent and ruleParameters are strings. */
const rawEvent = (
  invokingEvent: Json | string = changeInvokingEvent(),
  overrides: Json = {}
): Json => ({
  version: '1.0',
  invokingEvent:
    typeof invokingEvent === 'string'
      ? invokingEvent
      : JSON.stringify(invokingEvent),
  ruleParameters: '{"exemptTagKey":"vpce-guard:exempt"}',
  resultToken: 'TESTMODE',
  eventLeftScope: false,
  executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
  configRuleArn: RULE_ARN,
  configRuleName: 'vpce-guard-endpoint-policy-restrictive',
  configRuleId: 'config-rule-7ab3kq',
  accountId: ACCOUNT,
  ...overrides,
});

const item = (
  overrides: Partial<ConfigurationItem> = {}
): ConfigurationItem => ({
  resourceType: 'AWS::EC2::Subnet',
  resourceId: 'subnet-0092dafba03eb2be4',
  configurationItemStatus: 'OK',
  configurationItemCaptureTime: '2025-03-14T11:45:20.531Z',
  configuration: { subnetId: 'subnet-0092dafba03eb2be4' },
  relationships: [],
  ...overrides,
});

describe('parseConfigEvent', () => {
  it('reads a change notification, parsing the JSON strings', () => {
    // Act
    const event = parseConfigEvent(rawEvent());

    // Assert
    expect(event).toMatchObject({
      accountId: ACCOUNT,
      configRuleName: 'vpce-guard-endpoint-policy-restrictive',
      configRuleArn: RULE_ARN,
      partition: 'aws',
      region: 'us-east-1',
      resultToken: 'TESTMODE',
      eventLeftScope: false,
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
      ruleParameters: { exemptTagKey: 'vpce-guard:exempt' },
    });
    expect(event.trigger).toEqual({
      kind: 'change',
      item: {
        resourceType: 'AWS::EC2::VPCEndpoint',
        resourceId: 'vpce-0745a74aac107c053',
        configurationItemStatus: 'OK',
        configurationItemCaptureTime: '2025-03-14T09:26:53.118Z',
        awsAccountId: ACCOUNT,
        awsRegion: 'us-east-1',
        ARN: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-endpoint/vpce-0745a74aac107c053`,
        availabilityZone: 'Multiple Availability Zones',
        configurationItemVersion: '1.3',
        configurationStateMd5Hash: '',
        resourceCreationTime: '2021-05-16T11:00:07.000Z',
        tags: { Name: 'prod-ssm' },
        relatedEvents: [],
        supplementaryConfiguration: {},
        configuration: {
          vpcEndpointId: 'vpce-0745a74aac107c053',
          vpcId: 'vpc-06f35b9576fbddd40',
        },
        relationships: [
          {
            name: 'Is contained in Vpc',
            resourceType: 'AWS::EC2::VPC',
            resourceId: 'vpc-06f35b9576fbddd40',
          },
        ],
      },
    });
  });

  it('accepts invokingEvent and ruleParameters already parsed by @middy/event-normalizer', () => {
    // Arrange
    const raw = rawEvent(changeInvokingEvent(), {
      ruleParameters: { exemptTagKey: 'skip' },
    });
    raw.invokingEvent = changeInvokingEvent();

    // Act
    const event = parseConfigEvent(raw);

    // Assert
    expect(event.ruleParameters).toEqual({ exemptTagKey: 'skip' });
    expect(event.trigger.kind).toBe('change');
  });

  it.each([
    ['missing', undefined],
    ['an empty string', ''],
    ['a blank string', '  '],
    ['an empty JSON object', '{}'],
    ['null', null],
    ['the JSON text null', 'null'],
    ['an empty object already parsed', {}],
  ])('reads ruleParameters that are %s as {}', (_label, ruleParameters) => {
    // Arrange
    const raw = rawEvent();
    if (ruleParameters === undefined) delete raw.ruleParameters;
    else raw.ruleParameters = ruleParameters;

    // Act
    const event = parseConfigEvent(raw);

    // Assert
    expect(event.ruleParameters).toEqual({});
  });

  it('reads a deleted item whose configuration is null', () => {
    // Arrange
    const deleted = changeItem({
      configuration: null,
      configurationItemStatus: 'ResourceDeleted',
      relationships: [],
      resourceCreationTime: null,
    });

    // Act
    const event = parseConfigEvent(rawEvent(changeInvokingEvent(deleted)));

    // Assert
    expect(event.trigger).toMatchObject({
      kind: 'change',
      item: {
        configuration: null,
        configurationItemStatus: 'ResourceDeleted',
        resourceCreationTime: null,
        relationships: [],
      },
    });
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['missing', undefined],
    ['the JSON text null', 'null'],
  ])(
    'reads a deleted item whose configuration is %s as null',
    (_label, configuration) => {
      // Arrange
      const deleted = changeItem({
        configuration,
        configurationItemStatus: 'ResourceDeleted',
      });
      if (configuration === undefined) delete deleted.configuration;

      // Act
      const event = parseConfigEvent(rawEvent(changeInvokingEvent(deleted)));

      // Assert
      expect(event.trigger).toMatchObject({
        kind: 'change',
        item: {
          configuration: null,
          configurationItemStatus: 'ResourceDeleted',
        },
      });
    }
  );

  it('parses a configuration given as JSON text', () => {
    // Arrange
    const text = changeItem({
      configuration: '{"vpcId":"vpc-06f35b9576fbddd40","state":"available"}',
    });

    // Act
    const event = parseConfigEvent(rawEvent(changeInvokingEvent(text)));

    // Assert
    expect(event.trigger).toMatchObject({
      item: {
        configuration: { vpcId: 'vpc-06f35b9576fbddd40', state: 'available' },
      },
    });
  });

  it.each<[string, Json, Trigger['kind']]>([
    ['ConfigurationItemChangeNotification', changeInvokingEvent(), 'change'],
    [
      'OversizedConfigurationItemChangeNotification',
      oversizedInvokingEvent(),
      'oversized',
    ],
    ['ScheduledNotification', periodicInvokingEvent(), 'periodic'],
  ])(
    'reads messageType %s as a %s trigger',
    (messageType, invokingEvent, kind) => {
      // Act
      const event = parseConfigEvent(rawEvent(invokingEvent));

      // Assert
      expect([invokingEvent.messageType, event.trigger.kind]).toEqual([
        messageType,
        kind,
      ]);
    }
  );

  it.each([
    'ConfigurationSnapshotDeliveryCompleted',
    'ComplianceChangeNotification',
    'ProactiveResourceEvaluation',
    'scheduledNotification',
  ])('refuses messageType %s by name', (messageType) => {
    // Act
    const parse = () =>
      parseConfigEvent(rawEvent({ ...periodicInvokingEvent(), messageType }));

    // Assert
    expect(parse).toThrow(InvalidEventError);
    expect(parse).toThrow(
      new Error(
        `invokingEvent.messageType: unsupported messageType "${messageType}" (expected ConfigurationItemChangeNotification, OversizedConfigurationItemChangeNotification or ScheduledNotification)`
      )
    );
  });

  it.each<[string, Json, string]>([
    ['accountId', { accountId: null }, 'accountId'],
    ['accountId', { accountId: '' }, 'accountId'],
    ['configRuleName', { configRuleName: '' }, 'configRuleName'],
    ['resultToken', { resultToken: null }, 'resultToken'],
    [
      'configurationItem.resourceId',
      { invokingEvent: changeInvokingEvent(changeItem({ resourceId: null })) },
      'invokingEvent.configurationItem.resourceId',
    ],
    [
      'configurationItem.configurationItemStatus',
      {
        invokingEvent: changeInvokingEvent(
          changeItem({ configurationItemStatus: '' })
        ),
      },
      'invokingEvent.configurationItem.configurationItemStatus',
    ],
  ])(
    'reads a required %s of null or "" as missing',
    (_field, overrides, path) => {
      // Act
      const parse = () => parseConfigEvent({ ...rawEvent(), ...overrides });

      // Assert
      expect(parse).toThrow(new Error(`${path}: missing (expected a string)`));
    }
  );

  it.each<[keyof ConfigurationItem, unknown]>([
    ['configurationStateId', 1741944413118],
    ['resourceName', null],
    ['ARN', 42],
    ['resourceCreationTime', 7],
    ['availabilityZone', ['us-east-1a']],
    ['tags', 'Name=prod-ssm'],
    ['relatedEvents', 'event-1'],
    ['supplementaryConfiguration', []],
  ])('drops %s, which nothing reads, when it is %p', (field, value) => {
    // Act
    const event = parseConfigEvent(
      rawEvent(changeInvokingEvent(changeItem({ [field]: value })))
    );

    // Assert
    expect(event.trigger).toMatchObject({ kind: 'change' });
    expect(
      event.trigger.kind === 'change' ? event.trigger.item[field] : 'none'
    ).toBeUndefined();
  });

  it('keeps the string values of tags, relatedEvents and relationships', () => {
    // Arrange
    const mixed = changeItem({
      tags: { Name: 'prod-ssm', cost: 12, owner: null },
      relatedEvents: ['event-1', 7, null],
      relationships: [
        {
          name: 'Is contained in Vpc',
          resourceType: 'AWS::EC2::VPC',
          resourceId: 'vpc-06f35b9576fbddd40',
          resourceName: 3,
        },
      ],
    });

    // Act
    const event = parseConfigEvent(rawEvent(changeInvokingEvent(mixed)));

    // Assert
    expect(event.trigger).toMatchObject({
      item: { tags: { Name: 'prod-ssm' }, relatedEvents: ['event-1'] },
    });
    if (event.trigger.kind !== 'change') throw new Error('not a change');
    expect(event.trigger.item.tags).toStrictEqual({ Name: 'prod-ssm' });
    expect(event.trigger.item.relationships).toEqual([
      {
        name: 'Is contained in Vpc',
        resourceType: 'AWS::EC2::VPC',
        resourceId: 'vpc-06f35b9576fbddd40',
      },
    ]);
  });

  it.each<[string, unknown, boolean]>([
    ['missing', undefined, false],
    ['null', null, false],
    ['false', false, false],
    ['true', true, true],
  ])('reads eventLeftScope %s as %s', (_label, eventLeftScope, expected) => {
    // Arrange
    const raw = rawEvent(periodicInvokingEvent(), { eventLeftScope });
    if (eventLeftScope === undefined) delete raw.eventLeftScope;

    // Act
    const event = parseConfigEvent(raw);

    // Assert
    expect(event.eventLeftScope).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an empty string', ''],
  ])('reads an executionRoleArn that is %s as undefined', (_label, arn) => {
    // Act
    const event = parseConfigEvent(
      rawEvent(periodicInvokingEvent(), { executionRoleArn: arn })
    );

    // Assert
    expect(event.executionRoleArn).toBeUndefined();
  });

  it('names the first problem and counts the others', () => {
    // Arrange
    const raw = rawEvent(undefined, {
      accountId: undefined,
      resultToken: 7,
      eventLeftScope: 'no',
    });

    // Act
    const parse = () => parseConfigEvent(raw);

    // Assert
    expect(parse).toThrow(
      new Error('accountId: missing (expected a string) (and 2 more problems)')
    );
  });

  it('reads an oversized notification as its summary', () => {
    // Act
    const event = parseConfigEvent(rawEvent(oversizedInvokingEvent()));

    // Assert
    expect(event.trigger).toEqual({
      kind: 'oversized',
      summary: {
        resourceType: 'AWS::EC2::RouteTable',
        resourceId: 'rtb-0ad70dd891a8ce93e',
        configurationItemCaptureTime: '2025-03-14T10:02:41.907Z',
        configurationItemStatus: 'OK',
      },
      notificationCreationTime: '2025-03-14T10:02:44.156Z',
    });
  });

  it('reads a scheduled notification', () => {
    // Act
    const event = parseConfigEvent(rawEvent(periodicInvokingEvent()));

    // Assert
    expect(event.trigger).toEqual({
      kind: 'periodic',
      notificationCreationTime: '2025-03-15T00:00:12.846Z',
    });
  });

  it.each([
    ['aws-cn', 'cn-north-1'],
    ['aws-us-gov', 'us-gov-west-1'],
  ])(
    'takes partition %s and region %s from configRuleArn',
    (partition, region) => {
      // Arrange
      const raw = rawEvent(periodicInvokingEvent(), {
        configRuleArn: `arn:${partition}:config:${region}:${ACCOUNT}:config-rule/config-rule-0123456`,
      });

      // Act
      const event = parseConfigEvent(raw);

      // Assert
      expect([event.partition, event.region]).toEqual([partition, region]);
    }
  );

  it('reads eventLeftScope and a missing executionRoleArn', () => {
    // Arrange
    const raw = rawEvent(changeInvokingEvent(), { eventLeftScope: true });
    delete raw.executionRoleArn;

    // Act
    const event = parseConfigEvent(raw);

    // Assert
    expect(event.eventLeftScope).toBe(true);
    expect(event.executionRoleArn).toBeUndefined();
  });

  const withoutItemField = (key: string): Json => {
    const item = changeItem();
    delete item[key];
    return rawEvent(changeInvokingEvent(item));
  };

  it.each<[string, unknown, string]>([
    [
      'a non-object event',
      'hello',
      'event: expected an object, got the string "hello"',
    ],
    [
      'no accountId',
      rawEvent(undefined, { accountId: undefined }),
      'accountId: missing',
    ],
    [
      'a numeric accountId',
      rawEvent(undefined, { accountId: 111122223333 }),
      'accountId: expected a string, got a number',
    ],
    [
      'no configRuleArn',
      rawEvent(undefined, { configRuleArn: '' }),
      'configRuleArn: missing',
    ],
    [
      'no configRuleName',
      rawEvent(undefined, { configRuleName: undefined }),
      'configRuleName: missing',
    ],
    [
      'no resultToken',
      rawEvent(undefined, { resultToken: undefined }),
      'resultToken: missing',
    ],
    [
      'a malformed configRuleArn',
      rawEvent(undefined, { configRuleArn: 'config-rule-7ab3kq' }),
      'configRuleArn: expected arn:<partition>:config:<region>:<account>:config-rule/<id>, got "config-rule-7ab3kq"',
    ],
    [
      'a configRuleArn of another service',
      rawEvent(undefined, { configRuleArn: `arn:aws:iam::${ACCOUNT}:role/x` }),
      'configRuleArn: expected arn:<partition>:config:<region>:<account>:config-rule/<id>',
    ],
    [
      'a string eventLeftScope',
      rawEvent(undefined, { eventLeftScope: 'false' }),
      'eventLeftScope: expected true or false, got the string "false"',
    ],
    [
      'no invokingEvent',
      rawEvent(undefined, { invokingEvent: undefined }),
      'invokingEvent: missing',
    ],
    [
      'an invokingEvent that is not JSON',
      rawEvent('{"messageType":'),
      'invokingEvent: not valid JSON',
    ],
    [
      'an invokingEvent that is an array',
      rawEvent('[]'),
      'invokingEvent: expected an object, got an array',
    ],
    [
      'no messageType',
      rawEvent({ configurationItem: changeItem() }),
      'invokingEvent.messageType: missing',
    ],
    [
      'a snapshot-delivery messageType',
      rawEvent({
        messageType: 'ConfigurationSnapshotDeliveryCompleted',
        configSnapshotId: 'x',
      }),
      'invokingEvent.messageType: unsupported messageType "ConfigurationSnapshotDeliveryCompleted"',
    ],
    [
      'ruleParameters that are not JSON',
      rawEvent(undefined, { ruleParameters: '{oops' }),
      'ruleParameters: not valid JSON',
    ],
    [
      'ruleParameters that are an array',
      rawEvent(undefined, { ruleParameters: '["a"]' }),
      'ruleParameters: expected an object, got an array',
    ],
    [
      'ruleParameters that are a number',
      rawEvent(undefined, { ruleParameters: '42' }),
      'ruleParameters: expected an object, got a number',
    ],
    [
      'a change without configurationItem',
      rawEvent({
        messageType: 'ConfigurationItemChangeNotification',
        configurationItem: null,
      }),
      'invokingEvent.configurationItem: missing',
    ],
    [
      'an item without resourceType',
      withoutItemField('resourceType'),
      'invokingEvent.configurationItem.resourceType: missing',
    ],
    [
      'an item without resourceId',
      withoutItemField('resourceId'),
      'invokingEvent.configurationItem.resourceId: missing',
    ],
    [
      'an item without status',
      withoutItemField('configurationItemStatus'),
      'invokingEvent.configurationItem.configurationItemStatus: missing',
    ],
    [
      'an item without capture time',
      withoutItemField('configurationItemCaptureTime'),
      'invokingEvent.configurationItem.configurationItemCaptureTime: missing',
    ],
    [
      'an item with an unreadable capture time',
      rawEvent(
        changeInvokingEvent(
          changeItem({ configurationItemCaptureTime: 'yesterday' })
        )
      ),
      'invokingEvent.configurationItem.configurationItemCaptureTime: expected an ISO-8601 timestamp, got "yesterday"',
    ],
    [
      'an item whose configuration is a number',
      rawEvent(changeInvokingEvent(changeItem({ configuration: 7 }))),
      'invokingEvent.configurationItem.configuration: expected an object, got a number',
    ],
    [
      'an item whose relationships are an object',
      rawEvent(changeInvokingEvent(changeItem({ relationships: {} }))),
      'invokingEvent.configurationItem.relationships: expected an array, got an object',
    ],
    [
      'an item whose relationships hold a string',
      rawEvent(
        changeInvokingEvent(
          changeItem({ relationships: [{ resourceId: 'vpc-1' }, 'vpc-2'] })
        )
      ),
      'invokingEvent.configurationItem.relationships[1]: expected an object, got the string "vpc-2"',
    ],
    [
      'an item whose configuration is not JSON',
      rawEvent(changeInvokingEvent(changeItem({ configuration: '{vpcId' }))),
      'invokingEvent.configurationItem.configuration: not valid JSON: ',
    ],
    [
      'a numeric executionRoleArn',
      rawEvent(undefined, { executionRoleArn: 42 }),
      'executionRoleArn: expected a string, got a number',
    ],
    [
      'an empty invokingEvent',
      rawEvent(undefined, { invokingEvent: '' }),
      'invokingEvent: missing (expected an object)',
    ],
    [
      'a summary whose capture time is a number',
      rawEvent(
        oversizedInvokingEvent({ configurationItemCaptureTime: 1741946561907 })
      ),
      'invokingEvent.configurationItemSummary.configurationItemCaptureTime: expected a string, got a number',
    ],
    [
      'an oversized notification without summary',
      rawEvent({
        messageType: 'OversizedConfigurationItemChangeNotification',
        notificationCreationTime: '2025-03-14T10:02:44.156Z',
      }),
      'invokingEvent.configurationItemSummary: missing',
    ],
    [
      'a summary without resourceId',
      rawEvent(oversizedInvokingEvent({ resourceId: undefined })),
      'invokingEvent.configurationItemSummary.resourceId: missing',
    ],
    [
      'an oversized notification without notificationCreationTime',
      rawEvent({
        ...oversizedInvokingEvent(),
        notificationCreationTime: undefined,
      }),
      'invokingEvent.notificationCreationTime: missing',
    ],
    [
      'a scheduled notification without notificationCreationTime',
      rawEvent({ messageType: 'ScheduledNotification', awsAccountId: ACCOUNT }),
      'invokingEvent.notificationCreationTime: missing',
    ],
  ])('rejects %s', (_label, raw, message) => {
    // Act
    const parse = () => parseConfigEvent(raw);

    // Assert
    expect(parse).toThrow(InvalidEventError);
    expect(parse).toThrow(message);
  });

  it('writes one-line messages', () => {
    // Act
    const parse = () => parseConfigEvent(rawEvent('{\n"a":'));

    // Assert
    expect(parse).toThrow(/^[^\n]+$/u);
  });
});

describe('example events', () => {
  it.each([
    ['change-vpc-endpoint.json', 'change', 'vpce-0745a74aac107c053'],
    ['oversized-route-table.json', 'oversized', 'rtb-0ad70dd891a8ce93e'],
    ['periodic.json', 'periodic', undefined],
    ['deleted-subnet.json', 'change', 'subnet-0092dafba03eb2be4'],
  ])('parses examples/events/%s as a %s trigger', (file, kind, resourceId) => {
    // Arrange
    const raw: unknown = JSON.parse(
      readFileSync(`examples/events/${file}`, 'utf8')
    );

    // Act
    const event = parseConfigEvent(raw);

    // Assert
    expect(event).toMatchObject({
      accountId: ACCOUNT,
      partition: 'aws',
      region: 'us-east-1',
      resultToken: 'TESTMODE',
      eventLeftScope: false,
    });
    expect(event.trigger.kind).toBe(kind);
    const trigger = event.trigger;
    const id =
      trigger.kind === 'change'
        ? trigger.item.resourceId
        : trigger.kind === 'oversized'
          ? trigger.summary.resourceId
          : undefined;
    expect(id).toBe(resourceId);
  });

  it('puts the example endpoint in its landscape VPC', () => {
    // Arrange
    const event = parseConfigEvent(
      JSON.parse(
        readFileSync('examples/events/change-vpc-endpoint.json', 'utf8')
      )
    );
    const trigger = event.trigger as Extract<Trigger, { kind: 'change' }>;

    // Act
    const vpcId = vpcIdOf(trigger.item);

    // Assert
    expect(vpcId).toBe('vpc-06f35b9576fbddd40');
    expect(isGone(event, trigger.item)).toBe(false);
  });

  it('reads the example deleted subnet as gone', () => {
    // Arrange
    const event = parseConfigEvent(
      JSON.parse(readFileSync('examples/events/deleted-subnet.json', 'utf8'))
    );
    const trigger = event.trigger as Extract<Trigger, { kind: 'change' }>;

    // Act
    const gone = isGone(event, trigger.item);

    // Assert
    expect(gone).toBe(true);
    expect(trigger.item.configuration).toBeNull();
  });
});

describe('toNotificationItem', () => {
  it('converts the API model to the notification model', () => {
    // Act
    const converted = toNotificationItem(apiItem());

    // Assert
    expect(converted).toEqual({
      resourceType: 'AWS::EC2::RouteTable',
      resourceId: 'rtb-0ad70dd891a8ce93e',
      configurationItemStatus: 'OK',
      configurationItemCaptureTime: '2025-03-14T10:02:41.907Z',
      awsAccountId: ACCOUNT,
      awsRegion: 'us-east-1',
      ARN: `arn:aws:ec2:us-east-1:${ACCOUNT}:route-table/rtb-0ad70dd891a8ce93e`,
      availabilityZone: 'Not Applicable',
      configurationItemVersion: '1.3',
      configurationStateId: '1741946561907',
      configurationStateMd5Hash: 'abc123',
      resourceCreationTime: '2021-05-16T10:58:00.000Z',
      tags: { Name: 'prod-private-a' },
      relatedEvents: [],
      configuration: {
        routeTableId: 'rtb-0ad70dd891a8ce93e',
        vpcId: 'vpc-06f35b9576fbddd40',
        routes: [{ destinationCidrBlock: '10.10.0.0/16', gatewayId: 'local' }],
      },
      supplementaryConfiguration: {
        Tags: [{ key: 'Name', value: 'prod-private-a' }],
      },
      relationships: [
        {
          name: 'Is contained in Vpc',
          resourceType: 'AWS::EC2::VPC',
          resourceId: 'vpc-06f35b9576fbddd40',
        },
        {
          name: 'Is associated with Subnet',
          resourceType: 'AWS::EC2::Subnet',
          resourceId: 'subnet-0cc5748b0ccfa60d4',
        },
      ],
    });
  });

  it('reads a deleted item without configuration as configuration null', () => {
    // Act
    const converted = toNotificationItem(
      apiItem({
        configurationItemStatus: 'ResourceDeleted',
        configuration: undefined,
        resourceCreationTime: undefined,
        relationships: undefined,
        supplementaryConfiguration: undefined,
      })
    );

    // Assert
    expect(converted).toMatchObject({
      configurationItemStatus: 'ResourceDeleted',
      configuration: null,
      resourceCreationTime: null,
      relationships: [],
      supplementaryConfiguration: {},
    });
  });

  it('keeps a supplementary value that is not JSON as its string', () => {
    // Act
    const converted = toNotificationItem(
      apiItem({ supplementaryConfiguration: { Note: 'plain text' } })
    );

    // Assert
    expect(converted.supplementaryConfiguration).toEqual({
      Note: 'plain text',
    });
  });

  it.each<[string, Partial<ApiConfigurationItem>, string]>([
    [
      'no resourceId',
      { resourceId: undefined },
      'GetResourceConfigHistory configurationItems[0].resourceId: missing',
    ],
    [
      'no capture time',
      { configurationItemCaptureTime: undefined },
      'GetResourceConfigHistory configurationItems[0].configurationItemCaptureTime: missing',
    ],
    [
      'a configuration that is not JSON',
      { configuration: '{oops' },
      'GetResourceConfigHistory configurationItems[0].configuration: not valid JSON',
    ],
  ])('rejects an item with %s', (_label, overrides, message) => {
    // Act
    const convert = () => toNotificationItem(apiItem(overrides));

    // Assert
    expect(convert).toThrow(InvalidEventError);
    expect(convert).toThrow(message);
  });
});

describe('vpcIdOf', () => {
  it.each([
    'AWS::EC2::Subnet',
    'AWS::EC2::RouteTable',
    'AWS::EC2::VPCEndpoint',
    'AWS::EC2::SecurityGroup',
  ])('reads configuration.vpcId of %s', (resourceType) => {
    // Arrange
    const subject = item({
      resourceType,
      configuration: { vpcId: 'vpc-0ed78f24405811e0e' },
      relationships: [
        { resourceType: 'AWS::EC2::VPC', resourceId: 'vpc-other' },
      ],
    });

    // Act
    const vpcId = vpcIdOf(subject);

    // Assert
    expect(vpcId).toBe('vpc-0ed78f24405811e0e');
  });

  it('reads the resource id of a VPC', () => {
    // Arrange
    const subject = item({
      resourceType: 'AWS::EC2::VPC',
      resourceId: 'vpc-065cfc8a2e86d14b8',
      configuration: null,
    });

    // Act
    const vpcId = vpcIdOf(subject);

    // Assert
    expect(vpcId).toBe('vpc-065cfc8a2e86d14b8');
  });

  it('falls back to a VPC relationship when configuration is null', () => {
    // Arrange
    const subject = item({
      configuration: null,
      relationships: [
        {
          name: 'Is attached to NetworkAcl',
          resourceType: 'AWS::EC2::NetworkAcl',
          resourceId: 'acl-1',
        },
        {
          name: 'Is contained in Vpc',
          resourceType: 'AWS::EC2::VPC',
          resourceId: 'vpc-0ed78f24405811e0e',
        },
      ],
    });

    // Act
    const vpcId = vpcIdOf(subject);

    // Assert
    expect(vpcId).toBe('vpc-0ed78f24405811e0e');
  });

  it('uses the VPC relationship of other resource types', () => {
    // Arrange
    const subject = item({
      resourceType: 'AWS::EC2::NetworkInterface',
      configuration: { vpcId: 'vpc-ignored' },
      relationships: [
        { resourceType: 'AWS::EC2::VPC', resourceId: 'vpc-06f35b9576fbddd40' },
      ],
    });

    // Act
    const vpcId = vpcIdOf(subject);

    // Assert
    expect(vpcId).toBe('vpc-06f35b9576fbddd40');
  });

  it('returns undefined when nothing names a VPC', () => {
    // Arrange
    const subject = item({ configuration: null, relationships: [] });

    // Act
    const vpcId = vpcIdOf(subject);

    // Assert
    expect(vpcId).toBeUndefined();
  });
});

describe('isGone', () => {
  const event = (eventLeftScope: boolean): ConfigRuleEvent => ({
    ...parseConfigEvent(rawEvent()),
    eventLeftScope,
  });

  it.each([
    ['OK', false, false],
    ['ResourceDiscovered', false, false],
    ['ResourceDeleted', false, true],
    ['ResourceDeletedNotRecorded', false, true],
    ['ResourceNotRecorded', false, true],
    ['OK', true, true],
    ['ResourceDiscovered', true, true],
  ])(
    'reads status %s with eventLeftScope %s as gone: %s',
    (status, leftScope, gone) => {
      // Act
      const result = isGone(
        event(leftScope),
        item({ configurationItemStatus: status })
      );

      // Assert
      expect(result).toBe(gone);
    }
  );
});
