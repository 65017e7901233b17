import {
  type ConfigurationItem as ApiConfigurationItem,
  type ResourceType as ConfigResourceType,
  type ConfigServiceClient,
  GetResourceConfigHistoryCommand,
} from '@aws-sdk/client-config-service';
import { describeValue } from '../../../rules/model/parameters.js';
import { InvalidEventError, toAwsCallError } from '../errors.js';
import { describeJsonError } from './json-error.js';

/** One entry of a configuration item's `relationships` (notification model). */
interface Relationship {
  /** `Is contained in Vpc`, `Is associated with SecurityGroup`, … */
  readonly name?: string;
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly resourceName?: string;
}

/**
 * A configuration item in the **notification model**: the shape Config puts
 * in `invokingEvent.configurationItem`. {@link toNotificationItem} converts
 * the API model (`GetResourceConfigHistory`) to this shape.
 *
 * `configuration` is `null` for deleted resources: check
 * {@link isGone} before reading it.
 */
interface ConfigurationItem {
  /** `AWS::EC2::VPCEndpoint`, … */
  readonly resourceType: string;
  /** `vpce-…`, `subnet-…`: the id PutEvaluations reports on. */
  readonly resourceId: string;
  /** `OK`, `ResourceDiscovered`, `ResourceDeleted`, `ResourceNotRecorded`, `ResourceDeletedNotRecorded`. */
  readonly configurationItemStatus: string;
  /** ISO-8601; the `OrderingTimestamp` of change-triggered evaluations. */
  readonly configurationItemCaptureTime: string;
  readonly awsAccountId?: string;
  readonly awsRegion?: string;
  /** The resource's configuration (camelCase keys); `null` once deleted. */
  readonly configuration: Record<string, unknown> | null;
  readonly relationships: readonly Relationship[];
  readonly ARN?: string;
  readonly resourceName?: string;
  readonly availabilityZone?: string;
  readonly resourceCreationTime?: string | null;
  readonly configurationItemVersion?: string;
  readonly configurationStateId?: string;
  readonly configurationStateMd5Hash?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly relatedEvents?: readonly string[];
  /** Values are objects (the API model has them as JSON strings). */
  readonly supplementaryConfiguration?: Readonly<Record<string, unknown>>;
}

/** What made Config invoke the rule. */
type Trigger =
  /** `ConfigurationItemChangeNotification`: the item is in the event. */
  | { readonly kind: 'change'; readonly item: ConfigurationItem }
  /**
   * `OversizedConfigurationItemChangeNotification`: only a summary; fetch
   * the item with {@link inflateOversized}.
   */
  | {
      readonly kind: 'oversized';
      readonly summary: {
        readonly resourceType: string;
        readonly resourceId: string;
        readonly configurationItemCaptureTime: string;
        readonly configurationItemStatus: string;
      };
      readonly notificationCreationTime: string;
    }
  /** `ScheduledNotification`: no resource; evaluate the whole account-region. */
  | { readonly kind: 'periodic'; readonly notificationCreationTime: string };

/** A Config custom-rule invocation, validated and with its JSON strings parsed. */
interface ConfigRuleEvent {
  /** The account that owns the rule (the member account for org rules). */
  readonly accountId: string;
  /** The name in this account (`OrgConfigRule-…` for organization rules). */
  readonly configRuleName: string;
  readonly configRuleArn: string;
  /** `aws`, `aws-cn`, `aws-us-gov`, …, from `configRuleArn`. */
  readonly partition: string;
  /** From `configRuleArn`. */
  readonly region: string;
  /** Passed back to PutEvaluations; `TESTMODE` means test mode. */
  readonly resultToken: string;
  /** True when the resource left the rule's scope: report NOT_APPLICABLE. */
  readonly eventLeftScope: boolean;
  /** The Config recorder role of the account; not necessarily assumable. */
  readonly executionRoleArn: string | undefined;
  /** The rule's `InputParameters`; `{}` when there are none. */
  readonly ruleParameters: Readonly<Record<string, unknown>>;
  readonly trigger: Trigger;
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const kindOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

const fail = (field: string, problem: string): never => {
  throw new InvalidEventError(`${field}: ${problem}`);
};

/** A required non-empty string. */
const requiredString = (
  object: JsonObject,
  key: string,
  path: string
): string => {
  const value = object[key];
  const field = `${path}${key}`;
  if (value === undefined || value === null || value === '') {
    return fail(field, 'missing');
  }
  if (typeof value !== 'string') {
    return fail(field, `expected a string, got ${kindOf(value)}`);
  }
  return value;
};

/** A required string that `Date` can read. */
const requiredTimestamp = (
  object: JsonObject,
  key: string,
  path: string
): string => {
  const value = requiredString(object, key, path);
  if (Number.isNaN(Date.parse(value))) {
    fail(`${path}${key}`, `not a timestamp: ${describeValue(value)}`);
  }
  return value;
};

/** A required object; `null` counts as missing. */
const requiredObject = (
  object: JsonObject,
  key: string,
  path: string
): JsonObject => {
  const value = object[key];
  const field = `${path}${key}`;
  if (value === undefined || value === null) return fail(field, 'missing');
  if (!isObject(value)) {
    return fail(field, `expected an object, got ${kindOf(value)}`);
  }
  return value;
};

/** A field that is a JSON string, or already parsed by @middy/event-normalizer. */
const jsonField = (value: unknown, field: string): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    throw new InvalidEventError(
      `${field}: not valid JSON: ${describeJsonError(error, value)}`,
      { cause: error }
    );
  }
};

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

const parseRuleParameters = (raw: unknown): Readonly<JsonObject> => {
  if (raw === undefined || raw === null) return {};
  if (typeof raw === 'string' && raw.trim() === '') return {};
  const parsed = jsonField(raw, 'ruleParameters');
  if (parsed === null) return {};
  if (!isObject(parsed)) {
    return fail(
      'ruleParameters',
      `expected a JSON object, got ${kindOf(parsed)}`
    );
  }
  return parsed;
};

const parseConfiguration = (raw: unknown, field: string): JsonObject | null => {
  if (raw === undefined || raw === null) return null;
  const parsed = jsonField(raw, field);
  if (parsed === null) return null;
  if (!isObject(parsed)) {
    return fail(field, `expected an object or null, got ${kindOf(parsed)}`);
  }
  return parsed;
};

const parseRelationships = (raw: unknown, field: string): Relationship[] => {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    return fail(field, `expected an array, got ${kindOf(raw)}`);
  }
  return raw.map((entry: unknown, index) => {
    if (!isObject(entry)) {
      return fail(
        `${field}[${index}]`,
        `expected an object, got ${kindOf(entry)}`
      );
    }
    const relationship: {
      name?: string;
      resourceType?: string;
      resourceId?: string;
      resourceName?: string;
    } = {};
    const name = optionalString(entry.name);
    const resourceType = optionalString(entry.resourceType);
    const resourceId = optionalString(entry.resourceId);
    const resourceName = optionalString(entry.resourceName);
    if (name !== undefined) relationship.name = name;
    if (resourceType !== undefined) relationship.resourceType = resourceType;
    if (resourceId !== undefined) relationship.resourceId = resourceId;
    if (resourceName !== undefined) relationship.resourceName = resourceName;
    return relationship;
  });
};

const stringMap = (value: unknown): Record<string, string> | undefined => {
  if (!isObject(value)) return undefined;
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string'
    )
  );
};

/** Copies the optional notification-model fields that have the right type. */
const optionalItemFields = (raw: JsonObject): Partial<ConfigurationItem> => {
  const fields: Record<string, unknown> = {};
  for (const key of [
    'awsAccountId',
    'awsRegion',
    'ARN',
    'resourceName',
    'availabilityZone',
    'configurationItemVersion',
    'configurationStateId',
    'configurationStateMd5Hash',
  ] as const) {
    const value = optionalString(raw[key]);
    if (value !== undefined) fields[key] = value;
  }
  if (raw.resourceCreationTime === null) fields.resourceCreationTime = null;
  else if (typeof raw.resourceCreationTime === 'string') {
    fields.resourceCreationTime = raw.resourceCreationTime;
  }
  const tags = stringMap(raw.tags);
  if (tags !== undefined) fields.tags = tags;
  if (Array.isArray(raw.relatedEvents)) {
    fields.relatedEvents = raw.relatedEvents.filter(
      (event): event is string => typeof event === 'string'
    );
  }
  if (isObject(raw.supplementaryConfiguration)) {
    fields.supplementaryConfiguration = raw.supplementaryConfiguration;
  }
  return fields as Partial<ConfigurationItem>;
};

const parseConfigurationItem = (
  raw: JsonObject,
  path: string
): ConfigurationItem => {
  const resourceType = requiredString(raw, 'resourceType', path);
  const resourceId = requiredString(raw, 'resourceId', path);
  const configurationItemStatus = requiredString(
    raw,
    'configurationItemStatus',
    path
  );
  const configurationItemCaptureTime = requiredTimestamp(
    raw,
    'configurationItemCaptureTime',
    path
  );
  return {
    ...optionalItemFields(raw),
    resourceType,
    resourceId,
    configurationItemStatus,
    configurationItemCaptureTime,
    configuration: parseConfiguration(
      raw.configuration,
      `${path}configuration`
    ),
    relationships: parseRelationships(
      raw.relationships,
      `${path}relationships`
    ),
  };
};

const SUPPORTED_MESSAGE_TYPES =
  'ConfigurationItemChangeNotification, OversizedConfigurationItemChangeNotification or ScheduledNotification';

const parseTrigger = (invokingEvent: JsonObject): Trigger => {
  const path = 'invokingEvent.';
  const messageType = requiredString(invokingEvent, 'messageType', path);
  switch (messageType) {
    case 'ConfigurationItemChangeNotification': {
      const item = requiredObject(invokingEvent, 'configurationItem', path);
      return {
        kind: 'change',
        item: parseConfigurationItem(item, `${path}configurationItem.`),
      };
    }
    case 'OversizedConfigurationItemChangeNotification': {
      const raw = requiredObject(
        invokingEvent,
        'configurationItemSummary',
        path
      );
      const summaryPath = `${path}configurationItemSummary.`;
      return {
        kind: 'oversized',
        summary: {
          resourceType: requiredString(raw, 'resourceType', summaryPath),
          resourceId: requiredString(raw, 'resourceId', summaryPath),
          configurationItemCaptureTime: requiredTimestamp(
            raw,
            'configurationItemCaptureTime',
            summaryPath
          ),
          configurationItemStatus: requiredString(
            raw,
            'configurationItemStatus',
            summaryPath
          ),
        },
        notificationCreationTime: requiredTimestamp(
          invokingEvent,
          'notificationCreationTime',
          path
        ),
      };
    }
    case 'ScheduledNotification':
      return {
        kind: 'periodic',
        notificationCreationTime: requiredTimestamp(
          invokingEvent,
          'notificationCreationTime',
          path
        ),
      };
    default:
      return fail(
        'invokingEvent.messageType',
        `unsupported messageType ${describeValue(messageType)} (expected ${SUPPORTED_MESSAGE_TYPES})`
      );
  }
};

/** `arn:<partition>:config:<region>:<account>:config-rule/<id>`. */
const CONFIG_RULE_ARN =
  /^arn:([a-z][a-z0-9-]*):config:([a-z0-9-]+):(\d{12}):config-rule\/\S+$/u;

const parseRuleArn = (
  arn: string
): { readonly partition: string; readonly region: string } => {
  const match = CONFIG_RULE_ARN.exec(arn);
  if (match?.[1] === undefined || match[2] === undefined) {
    return fail(
      'configRuleArn',
      `expected arn:<partition>:config:<region>:<account>:config-rule/<id>, got ${describeValue(arn)}`
    );
  }
  return { partition: match[1], region: match[2] };
};

const parseEventLeftScope = (raw: unknown): boolean => {
  if (raw === undefined || raw === null) return false;
  if (typeof raw === 'boolean') return raw;
  return fail('eventLeftScope', `expected a boolean, got ${kindOf(raw)}`);
};

const parseExecutionRoleArn = (raw: unknown): string | undefined => {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'string') return raw;
  return fail('executionRoleArn', `expected a string, got ${kindOf(raw)}`);
};

/**
 * Validates a Config custom-rule invocation event and parses its JSON
 * strings (`invokingEvent`, `ruleParameters`; objects already parsed by
 * `@middy/event-normalizer` are accepted too).
 *
 * `ruleParameters` may be missing, `""` or `"{}"`: all mean `{}`. Partition
 * and region come from `configRuleArn`. A deleted resource's `configuration`
 * is `null` and is not inspected here.
 *
 * @throws InvalidEventError with a one-line message naming the field, e.g.
 *   `invokingEvent.configurationItem.resourceId: missing`, or
 *   `invokingEvent.messageType: unsupported messageType "X"`
 */
const parseConfigEvent = (raw: unknown): ConfigRuleEvent => {
  if (!isObject(raw))
    return fail('event', `expected an object, got ${kindOf(raw)}`);
  const accountId = requiredString(raw, 'accountId', '');
  // It becomes the findings' AwsAccountId and the member role's account:
  // a bad one would fail only after Config had the evaluations.
  if (!/^\d{12}$/u.test(accountId)) {
    fail(
      'accountId',
      `expected a 12-digit account id, got ${describeValue(accountId)}`
    );
  }
  const configRuleArn = requiredString(raw, 'configRuleArn', '');
  const configRuleName = requiredString(raw, 'configRuleName', '');
  const resultToken = requiredString(raw, 'resultToken', '');
  const { partition, region } = parseRuleArn(configRuleArn);
  const eventLeftScope = parseEventLeftScope(raw.eventLeftScope);
  const executionRoleArn = parseExecutionRoleArn(raw.executionRoleArn);
  if (raw.invokingEvent === undefined || raw.invokingEvent === null) {
    fail('invokingEvent', 'missing');
  }
  const invokingEvent = jsonField(raw.invokingEvent, 'invokingEvent');
  if (!isObject(invokingEvent)) {
    return fail(
      'invokingEvent',
      `expected a JSON object, got ${kindOf(invokingEvent)}`
    );
  }
  const ruleParameters = parseRuleParameters(raw.ruleParameters);
  const trigger = parseTrigger(invokingEvent);
  return {
    accountId,
    configRuleName,
    configRuleArn,
    partition,
    region,
    resultToken,
    eventLeftScope,
    executionRoleArn,
    ruleParameters,
    trigger,
  };
};

const isoOrUndefined = (date: Date | undefined): string | undefined =>
  date === undefined ? undefined : date.toISOString();

/**
 * Converts a configuration item of the **API model** (`GetResourceConfigHistory`,
 * `BatchGetResourceConfig`) to the notification model of
 * `invokingEvent.configurationItem`: `accountId`→`awsAccountId`, `arn`→`ARN`,
 * `configurationItemMD5Hash`→`configurationStateMd5Hash`,
 * `version`→`configurationItemVersion`, `configuration` JSON string → object,
 * `supplementaryConfiguration` values JSON-parsed (a value that is not JSON
 * is kept as the string), `relationships[].relationshipName`→`name`, dates
 * → ISO-8601 strings.
 *
 * @throws InvalidEventError when the item lacks its type, id, status or
 *   capture time, or its `configuration` is not a JSON object
 */
const toNotificationItem = (
  apiItem: ApiConfigurationItem
): ConfigurationItem => {
  const path = 'GetResourceConfigHistory configurationItems[0].';
  const need = <T>(value: T | undefined, key: string): T =>
    value === undefined || value === null || value === ''
      ? fail(`${path}${key}`, 'missing')
      : value;
  const item: Record<string, unknown> = {
    resourceType: need(apiItem.resourceType, 'resourceType'),
    resourceId: need(apiItem.resourceId, 'resourceId'),
    configurationItemStatus: need(
      apiItem.configurationItemStatus,
      'configurationItemStatus'
    ),
    configurationItemCaptureTime: need(
      isoOrUndefined(apiItem.configurationItemCaptureTime),
      'configurationItemCaptureTime'
    ),
    configuration: parseConfiguration(
      apiItem.configuration,
      `${path}configuration`
    ),
    relationships: (apiItem.relationships ?? []).map((relationship) => {
      const converted: Record<string, string> = {};
      if (relationship.relationshipName !== undefined) {
        converted.name = relationship.relationshipName;
      }
      if (relationship.resourceType !== undefined) {
        converted.resourceType = relationship.resourceType;
      }
      if (relationship.resourceId !== undefined) {
        converted.resourceId = relationship.resourceId;
      }
      if (relationship.resourceName !== undefined) {
        converted.resourceName = relationship.resourceName;
      }
      return converted;
    }),
  };
  const renamed: [string, string | undefined][] = [
    ['awsAccountId', apiItem.accountId],
    ['awsRegion', apiItem.awsRegion],
    ['ARN', apiItem.arn],
    ['resourceName', apiItem.resourceName],
    ['availabilityZone', apiItem.availabilityZone],
    ['configurationItemVersion', apiItem.version],
    ['configurationStateId', apiItem.configurationStateId],
    ['configurationStateMd5Hash', apiItem.configurationItemMD5Hash],
  ];
  for (const [key, value] of renamed) {
    if (value !== undefined) item[key] = value;
  }
  item.resourceCreationTime =
    isoOrUndefined(apiItem.resourceCreationTime) ?? null;
  if (apiItem.tags !== undefined) item.tags = { ...apiItem.tags };
  if (apiItem.relatedEvents !== undefined) {
    item.relatedEvents = [...apiItem.relatedEvents];
  }
  item.supplementaryConfiguration = Object.fromEntries(
    Object.entries(apiItem.supplementaryConfiguration ?? {}).map(
      ([key, value]) => {
        try {
          return [key, JSON.parse(value) as unknown];
        } catch {
          return [key, value];
        }
      }
    )
  );
  return item as unknown as ConfigurationItem;
};

/**
 * Fetches the full configuration item of an oversized notification with
 * `GetResourceConfigHistory` (the item at or before the summary's capture
 * time, `limit: 1`, as the AWS samples do) and converts it to the
 * notification model.
 *
 * @param principal - the role making the call, named in AccessDenied errors
 * @throws AwsCallError when the call fails
 * @throws InvalidEventError when Config returns no item
 */
const inflateOversized = async (
  config: ConfigServiceClient,
  trigger: Extract<Trigger, { kind: 'oversized' }>,
  principal: string
): Promise<ConfigurationItem> => {
  const { resourceType, resourceId, configurationItemCaptureTime } =
    trigger.summary;
  let items: ApiConfigurationItem[];
  try {
    const response = await config.send(
      new GetResourceConfigHistoryCommand({
        resourceType: resourceType as ConfigResourceType,
        resourceId,
        laterTime: new Date(configurationItemCaptureTime),
        limit: 1,
      })
    );
    items = response.configurationItems ?? [];
  } catch (error) {
    throw toAwsCallError(error, 'config:GetResourceConfigHistory', principal);
  }
  const [first] = items;
  if (first === undefined) {
    throw new InvalidEventError(
      `config:GetResourceConfigHistory returned no configuration item for ${resourceType} ${resourceId} at or before ${configurationItemCaptureTime}`
    );
  }
  return toNotificationItem(first);
};

/** Resource types whose configuration carries `vpcId`. */
const HAS_VPC_ID = new Set([
  'AWS::EC2::Subnet',
  'AWS::EC2::RouteTable',
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::SecurityGroup',
]);

/**
 * The VPC a configuration item belongs to: `configuration.vpcId` for
 * subnets, route tables, endpoints and security groups; the resource id of
 * a VPC; otherwise (e.g. a deleted item, whose configuration is `null`) a
 * relationship to an `AWS::EC2::VPC`; otherwise `undefined`.
 */
const vpcIdOf = (item: ConfigurationItem): string | undefined => {
  if (HAS_VPC_ID.has(item.resourceType)) {
    const vpcId = item.configuration?.vpcId;
    if (typeof vpcId === 'string' && vpcId !== '') return vpcId;
  }
  if (item.resourceType === 'AWS::EC2::VPC') return item.resourceId;
  return item.relationships.find(
    (relationship) =>
      relationship.resourceType === 'AWS::EC2::VPC' &&
      relationship.resourceId !== undefined &&
      relationship.resourceId !== ''
  )?.resourceId;
};

/** Statuses that mean there is no configuration to evaluate. */
const GONE_STATUSES = new Set([
  'ResourceDeleted',
  'ResourceDeletedNotRecorded',
  'ResourceNotRecorded',
]);

/**
 * True when the rule must report NOT_APPLICABLE for the item instead of
 * evaluating it: the resource left the rule's scope, was deleted, or is not
 * recorded.
 */
const isGone = (event: ConfigRuleEvent, item: ConfigurationItem): boolean =>
  event.eventLeftScope || GONE_STATUSES.has(item.configurationItemStatus);

export type { ConfigRuleEvent, ConfigurationItem, Relationship, Trigger };
export {
  inflateOversized,
  isGone,
  parseConfigEvent,
  toNotificationItem,
  vpcIdOf,
};
