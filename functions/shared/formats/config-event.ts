/**
 * The event AWS Config sends a custom Lambda rule, and the configuration
 * item it carries, parsed with zod at the edge. Messages follow
 * functions/shared/formats/zod-messages.ts: `<path>: expected <what>, got
 * <what was found>`, one line, thrown as InvalidEventError.
 *
 * Config writes an absent field as missing, `null` or `""` alike, so a
 * required field given as `null` or `""` is `missing`. The fields the rules
 * never read (tags, ARN, version…) are kept when well-formed and dropped
 * otherwise: refusing the event for them would lose its evaluation for
 * nothing.
 */
import type { ConfigurationItem as ApiConfigurationItem } from '@aws-sdk/client-config-service';
import * as z from 'zod/mini';
import { InvalidEventError } from '../errors.js';
import { describeJsonError } from './json-error.js';
import { describeIssues } from './zod-messages.js';

// ---------------------------------------------------------------------------
// Field shapes

const isBlank = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === 'string' && value.trim() === '');

/** `null` and `""` become `undefined`, so zod reports them as missing. */
const absentAsUndefined = (value: unknown): unknown =>
  value === null || value === '' ? undefined : value;

/** A field that must be given; `null` and `""` count as missing. */
const required = <T extends z.ZodMiniType>(schema: T) =>
  z.pipe(z.transform(absentAsUndefined), schema);

/** A field nothing reads: kept when well-formed, dropped otherwise. */
const ignoredIfMalformed = <T extends z.ZodMiniType>(schema: T) =>
  z.catch(z.optional(schema), undefined);

/**
 * A field Config sends as JSON text; an object already parsed (by
 * `@middy/event-normalizer`, or a test) is read as it is.
 */
const jsonText = <T extends z.ZodMiniType>(schema: T) =>
  z.pipe(
    z.transform((value, context) => {
      if (typeof value !== 'string') return value;
      try {
        const parsed: unknown = JSON.parse(value);
        return parsed;
      } catch (error) {
        context.issues.push({
          code: 'custom',
          message: `not valid JSON: ${describeJsonError(error, value)}`,
          // The reason says where the text breaks; quoting it would not.
          input: undefined,
        });
        return z.NEVER;
      }
    }),
    schema
  );

/** An object whose keys are not checked here (a resource's configuration). */
const JsonObject = z.looseObject({});

const isTimestamp = (text: string): boolean => !Number.isNaN(Date.parse(text));

/** A capture or notification time: `OrderingTimestamp` is built from it. */
const Timestamp = required(
  z
    .string()
    .check(z.refine(isTimestamp, { message: 'expected an ISO-8601 timestamp' }))
);

const isString = (value: unknown): value is string => typeof value === 'string';

const isStringEntry = (entry: [string, unknown]): entry is [string, string] =>
  isString(entry[1]);

/** `tags`: the entries whose value is a string. */
const StringMap = z.pipe(
  JsonObject,
  z.transform((entries) =>
    Object.fromEntries(Object.entries(entries).filter(isStringEntry))
  )
);

// ---------------------------------------------------------------------------
// Configuration items (notification model)

/** One entry of a configuration item's `relationships`. */
const RelationshipSchema = z.object({
  /** `Is contained in Vpc`, `Is associated with SecurityGroup`, … */
  name: ignoredIfMalformed(z.string()),
  resourceType: ignoredIfMalformed(z.string()),
  resourceId: ignoredIfMalformed(z.string()),
  resourceName: ignoredIfMalformed(z.string()),
});

/**
 * A configuration item in the **notification model**: the shape Config puts
 * in `invokingEvent.configurationItem`; {@link toNotificationItem} reads the
 * API model (`GetResourceConfigHistory`) into it.
 */
const ConfigurationItemSchema = z.object({
  /** `AWS::EC2::VPCEndpoint`, … */
  resourceType: required(z.string()),
  /** `vpce-…`, `subnet-…`: the id PutEvaluations reports on. */
  resourceId: required(z.string()),
  /** `OK`, `ResourceDiscovered`, `ResourceDeleted`, `ResourceNotRecorded`, `ResourceDeletedNotRecorded`. */
  configurationItemStatus: required(z.string()),
  /** The `OrderingTimestamp` of change-triggered evaluations. */
  configurationItemCaptureTime: Timestamp,
  /** camelCase keys; JSON text in the API model; `null` once deleted. */
  configuration: z.pipe(
    jsonText(z.nullish(JsonObject)),
    z.transform((configuration) => configuration ?? null)
  ),
  relationships: z.pipe(
    z.nullish(z.array(RelationshipSchema)),
    z.transform((relationships) => relationships ?? [])
  ),
  awsAccountId: ignoredIfMalformed(z.string()),
  awsRegion: ignoredIfMalformed(z.string()),
  ARN: ignoredIfMalformed(z.string()),
  resourceName: ignoredIfMalformed(z.string()),
  availabilityZone: ignoredIfMalformed(z.string()),
  resourceCreationTime: ignoredIfMalformed(z.nullable(z.string())),
  configurationItemVersion: ignoredIfMalformed(z.string()),
  configurationStateId: ignoredIfMalformed(z.string()),
  configurationStateMd5Hash: ignoredIfMalformed(z.string()),
  tags: ignoredIfMalformed(StringMap),
  relatedEvents: ignoredIfMalformed(
    z.pipe(
      z.array(z.unknown()),
      z.transform((events) => events.filter(isString))
    )
  ),
  /** Values are objects (the API model has them as JSON text). */
  supplementaryConfiguration: ignoredIfMalformed(JsonObject),
});

/** One entry of a configuration item's `relationships` (notification model). */
type Relationship = Readonly<z.output<typeof RelationshipSchema>>;

/**
 * A configuration item in the notification model. `configuration` is `null`
 * for deleted resources: check {@link isGone} before reading it.
 */
type ConfigurationItem = Readonly<z.output<typeof ConfigurationItemSchema>>;

// ---------------------------------------------------------------------------
// Invoking events

/** What an oversized notification carries instead of the item. */
const ConfigurationItemSummarySchema = z.object({
  resourceType: required(z.string()),
  resourceId: required(z.string()),
  configurationItemCaptureTime: Timestamp,
  configurationItemStatus: required(z.string()),
});

/**
 * `invokingEvent`, by `messageType`. Other message types (snapshot
 * deliveries, proactive evaluations) are not for a change- and
 * periodic-triggered rule, so they are refused by name.
 */
const InvokingEventSchema = z.discriminatedUnion('messageType', [
  z.object({
    messageType: z.literal('ConfigurationItemChangeNotification'),
    configurationItem: required(ConfigurationItemSchema),
  }),
  z.object({
    messageType: z.literal('OversizedConfigurationItemChangeNotification'),
    configurationItemSummary: required(ConfigurationItemSummarySchema),
    notificationCreationTime: Timestamp,
  }),
  z.object({
    messageType: z.literal('ScheduledNotification'),
    notificationCreationTime: Timestamp,
  }),
]);

/** What made Config invoke the rule. */
type Trigger =
  /** `ConfigurationItemChangeNotification`: the item is in the event. */
  | { readonly kind: 'change'; readonly item: ConfigurationItem }
  /**
   * `OversizedConfigurationItemChangeNotification`: only a summary; fetch
   * the item with `inflateOversized` (functions/shared/aws/config-history.ts).
   */
  | {
      readonly kind: 'oversized';
      readonly summary: Readonly<
        z.output<typeof ConfigurationItemSummarySchema>
      >;
      readonly notificationCreationTime: string;
    }
  /** `ScheduledNotification`: no resource; evaluate the whole account-region. */
  | { readonly kind: 'periodic'; readonly notificationCreationTime: string };

const toTrigger = (event: z.output<typeof InvokingEventSchema>): Trigger => {
  switch (event.messageType) {
    case 'ConfigurationItemChangeNotification':
      return { kind: 'change', item: event.configurationItem };
    case 'OversizedConfigurationItemChangeNotification':
      return {
        kind: 'oversized',
        summary: event.configurationItemSummary,
        notificationCreationTime: event.notificationCreationTime,
      };
    case 'ScheduledNotification':
      return {
        kind: 'periodic',
        notificationCreationTime: event.notificationCreationTime,
      };
  }
};

// ---------------------------------------------------------------------------
// The rule event

/** `arn:<partition>:config:<region>:<account>:config-rule/<id>`. */
const CONFIG_RULE_ARN =
  /^arn:([a-z][a-z0-9-]*):config:([a-z0-9-]+):(\d{12}):config-rule\/\S+$/u;

/** `configRuleArn`, with the partition and Region the rule runs in. */
const ConfigRuleArn = z.pipe(
  required(z.string()),
  z.transform((arn, context) => {
    const [, partition, region] = CONFIG_RULE_ARN.exec(arn) ?? [];
    if (partition === undefined || region === undefined) {
      context.issues.push({
        code: 'custom',
        message:
          'expected arn:<partition>:config:<region>:<account>:config-rule/<id>',
        input: arn,
      });
      return z.NEVER;
    }
    return { arn, partition, region };
  })
);

/** Missing, blank, `"{}"` and `"null"` all mean no parameters. */
const RuleParametersSchema = z.pipe(
  z.pipe(
    z.transform((value) => (isBlank(value) ? undefined : value)),
    jsonText(z.nullish(JsonObject))
  ),
  z.transform((parameters) => parameters ?? {})
);

const ConfigRuleEventSchema = z.object({
  // It becomes the findings' AwsAccountId and the member role's account: a
  // bad one would fail only after Config had the evaluations.
  accountId: required(
    z
      .string()
      .check(
        z.regex(/^\d{12}$/u, { message: 'expected a 12-digit account id' })
      )
  ),
  configRuleArn: ConfigRuleArn,
  configRuleName: required(z.string()),
  resultToken: required(z.string()),
  eventLeftScope: z.pipe(
    z.nullish(z.boolean()),
    z.transform((leftScope) => leftScope ?? false)
  ),
  executionRoleArn: z.pipe(
    z.transform(absentAsUndefined),
    z.optional(z.string())
  ),
  invokingEvent: required(jsonText(InvokingEventSchema)),
  ruleParameters: RuleParametersSchema,
});

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

const toConfigRuleEvent = (
  event: z.output<typeof ConfigRuleEventSchema>
): ConfigRuleEvent => ({
  accountId: event.accountId,
  configRuleName: event.configRuleName,
  configRuleArn: event.configRuleArn.arn,
  partition: event.configRuleArn.partition,
  region: event.configRuleArn.region,
  resultToken: event.resultToken,
  eventLeftScope: event.eventLeftScope,
  executionRoleArn: event.executionRoleArn,
  ruleParameters: event.ruleParameters,
  trigger: toTrigger(event.invokingEvent),
});

/**
 * Validates a Config custom-rule invocation event and parses its JSON
 * strings (`invokingEvent`, `ruleParameters`, `configuration`; objects
 * already parsed by `@middy/event-normalizer` are accepted too).
 *
 * `ruleParameters` may be missing, `""` or `"{}"`: all mean `{}`. Partition
 * and region come from `configRuleArn`. A deleted resource's `configuration`
 * is `null` and is not inspected here.
 *
 * @throws InvalidEventError with a one-line message naming the field, e.g.
 *   `invokingEvent.configurationItem.resourceId: missing (expected a
 *   string)`, or `invokingEvent.messageType: unsupported messageType "X"
 *   (expected …)`; when several fields are wrong, the first, and how many more
 */
const parseConfigEvent = (raw: unknown): ConfigRuleEvent => {
  const result = ConfigRuleEventSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    throw new InvalidEventError(
      describeIssues(result.error.issues, { root: 'event' })
    );
  }
  return toConfigRuleEvent(result.data);
};

// ---------------------------------------------------------------------------
// The API model

/** Where the items {@link toNotificationItem} reads come from, for messages. */
const API_ITEM_PATH = ['GetResourceConfigHistory configurationItems', 0];

/** Each value JSON-parsed; a value that is not JSON is kept as its text. */
const parseSupplementary = (
  values: Readonly<Record<string, string>> | undefined
): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(values ?? {}).map(([key, value]) => {
      try {
        const parsed: unknown = JSON.parse(value);
        return [key, parsed];
      } catch {
        return [key, value];
      }
    })
  );

/** The API model's fields under their notification-model names. */
const notificationFieldsOf = (
  apiItem: ApiConfigurationItem
): Record<string, unknown> => ({
  resourceType: apiItem.resourceType,
  resourceId: apiItem.resourceId,
  configurationItemStatus: apiItem.configurationItemStatus,
  configurationItemCaptureTime:
    apiItem.configurationItemCaptureTime?.toISOString(),
  configuration: apiItem.configuration,
  relationships: apiItem.relationships?.map((relationship) => ({
    name: relationship.relationshipName,
    resourceType: relationship.resourceType,
    resourceId: relationship.resourceId,
    resourceName: relationship.resourceName,
  })),
  awsAccountId: apiItem.accountId,
  awsRegion: apiItem.awsRegion,
  ARN: apiItem.arn,
  resourceName: apiItem.resourceName,
  availabilityZone: apiItem.availabilityZone,
  configurationItemVersion: apiItem.version,
  configurationStateId: apiItem.configurationStateId,
  configurationStateMd5Hash: apiItem.configurationItemMD5Hash,
  resourceCreationTime: apiItem.resourceCreationTime?.toISOString() ?? null,
  tags: apiItem.tags,
  relatedEvents: apiItem.relatedEvents,
  supplementaryConfiguration: parseSupplementary(
    apiItem.supplementaryConfiguration
  ),
});

/**
 * Converts a configuration item of the **API model** (`GetResourceConfigHistory`,
 * `BatchGetResourceConfig`) to the notification model of
 * `invokingEvent.configurationItem`, and validates it as an event's item:
 * `accountId`→`awsAccountId`, `arn`→`ARN`,
 * `configurationItemMD5Hash`→`configurationStateMd5Hash`,
 * `version`→`configurationItemVersion`, `configuration` JSON text → object,
 * `supplementaryConfiguration` values JSON-parsed (a value that is not JSON
 * is kept as the text), `relationships[].relationshipName`→`name`, dates →
 * ISO-8601 strings.
 *
 * @throws InvalidEventError when the item lacks its type, id, status or
 *   capture time, or its `configuration` is not a JSON object
 */
const toNotificationItem = (
  apiItem: ApiConfigurationItem
): ConfigurationItem => {
  const result = ConfigurationItemSchema.safeParse(
    notificationFieldsOf(apiItem),
    { reportInput: true }
  );
  if (!result.success) {
    throw new InvalidEventError(
      describeIssues(result.error.issues, { under: API_ITEM_PATH })
    );
  }
  return result.data;
};

// ---------------------------------------------------------------------------
// Reading items

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
export { isGone, parseConfigEvent, toNotificationItem, vpcIdOf };
