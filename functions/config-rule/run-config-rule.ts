import type {
  ConfigServiceClient,
  PutEvaluationsCommandInput,
} from '@aws-sdk/client-config-service';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { Logger } from 'pino';
import { buildInventory } from '../../rules/model/inventory.js';
import type { Evaluation, PreparedRule, Rule } from '../../rules/model/rule.js';
import {
  type ConfigRuleEvent,
  type ConfigurationItem,
  inflateOversized,
  isGone,
  parseConfigEvent,
  vpcIdOf,
} from '../shared/config-event.js';
import { putEvaluations, staleResourceIds } from '../shared/config-reporter.js';
import { loadSnapshotFromEc2 } from '../shared/ec2-inventory.js';
import { InvalidEventError } from '../shared/errors.js';

/** The clients every AWS call for one account-region goes through. */
interface AccountClients {
  readonly ec2: EC2Client;
  readonly config: ConfigServiceClient;
  /** The identity the calls are made as, named in AccessDenied messages. */
  readonly principal: string;
}

/** Which account, Region and (optionally) member role to act in. */
interface AccountTarget {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** From the rule parameter `ExecutionRoleName`, for organization rules. */
  readonly executionRoleName: string | undefined;
}

/** What {@link runConfigRule} needs from its environment. */
interface RuleRunDependencies {
  readonly rule: Rule;
  readonly clientsFor: (target: AccountTarget) => Promise<AccountClients>;
  readonly logger: Logger;
}

/** What one invocation evaluated and sent to Config. */
interface RuleRunResult {
  readonly trigger: ConfigRuleEvent['trigger']['kind'];
  readonly evaluations: readonly Evaluation[];
  readonly sentToConfig: readonly PutEvaluationsCommandInput[];
}

const executionRoleNameOf = (event: ConfigRuleEvent): string | undefined => {
  const name = event.ruleParameters.ExecutionRoleName;
  if (name === undefined || name === null || name === '') return undefined;
  if (typeof name !== 'string' || !/^[\w+=,.@/-]{1,64}$/.test(name)) {
    throw new InvalidEventError(
      `ruleParameters.ExecutionRoleName: expected an IAM role name, got ${JSON.stringify(name)}`
    );
  }
  return name;
};

const notApplicable = (
  rule: PreparedRule,
  event: ConfigRuleEvent,
  resourceId: string,
  annotation: string
): Evaluation => ({
  ruleId: rule.metadata.id,
  accountId: event.accountId,
  region: event.region,
  resourceType: rule.metadata.resourceType,
  resourceId,
  complianceType: 'NOT_APPLICABLE',
  annotation,
});

const evaluateScope = async (
  rule: PreparedRule,
  event: ConfigRuleEvent,
  clients: AccountClients,
  vpcId: string | undefined
): Promise<Evaluation[]> => {
  const snapshot = await loadSnapshotFromEc2(
    clients.ec2,
    {
      accountId: event.accountId,
      region: event.region,
      partition: event.partition,
      vpcId,
    },
    clients.principal
  );
  return rule.evaluate(buildInventory(snapshot));
};

/**
 * A periodic run evaluates the whole account-region, then marks
 * NOT_APPLICABLE every resource this rule reported before that is gone.
 * TestMode stores nothing, so there is nothing to clean up.
 */
const evaluatePeriodic = async (
  rule: PreparedRule,
  event: ConfigRuleEvent,
  clients: AccountClients
): Promise<Evaluation[]> => {
  const evaluations = await evaluateScope(rule, event, clients, undefined);
  if (event.resultToken === 'TESTMODE') return evaluations;
  const stale = await staleResourceIds(
    clients.config,
    {
      configRuleName: event.configRuleName,
      resourceType: rule.metadata.resourceType,
      current: new Set(evaluations.map((e) => e.resourceId)),
    },
    clients.principal
  );
  return [
    ...evaluations,
    ...stale.map((id) =>
      notApplicable(rule, event, id, 'resource no longer exists')
    ),
  ];
};

/**
 * A change re-evaluates every resource of the rule in the changed
 * resource's VPC (a route-table change re-evaluates its subnets). A deleted
 * or out-of-scope resource of the rule's type is NOT_APPLICABLE.
 */
const evaluateChange = async (
  rule: PreparedRule,
  event: ConfigRuleEvent,
  clients: AccountClients,
  item: ConfigurationItem
): Promise<Evaluation[]> => {
  const ownType = item.resourceType === rule.metadata.resourceType;
  const vpcId = vpcIdOf(item);
  if (isGone(event, item)) {
    const gone = ownType
      ? [
          notApplicable(
            rule,
            event,
            item.resourceId,
            'resource deleted or out of scope'
          ),
        ]
      : [];
    // A deleted route table or security group changes its VPC's verdicts.
    const others =
      !ownType && vpcId ? await evaluateScope(rule, event, clients, vpcId) : [];
    return [...gone, ...others];
  }
  if (!vpcId) {
    throw new InvalidEventError(
      `configurationItem: cannot tell the VPC of ${item.resourceType} ${item.resourceId}`
    );
  }
  const evaluations = await evaluateScope(rule, event, clients, vpcId);
  const found = evaluations.some((e) => e.resourceId === item.resourceId);
  return ownType && !found
    ? [
        ...evaluations,
        notApplicable(
          rule,
          event,
          item.resourceId,
          'resource no longer exists'
        ),
      ]
    : evaluations;
};

const orderingTimestampOf = (
  event: ConfigRuleEvent,
  item: ConfigurationItem | undefined
): Date => {
  const text =
    item?.configurationItemCaptureTime ??
    (event.trigger.kind === 'change'
      ? event.trigger.item.configurationItemCaptureTime
      : event.trigger.notificationCreationTime);
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) {
    throw new InvalidEventError(
      `invokingEvent: timestamp ${JSON.stringify(text)} is not a date`
    );
  }
  return time;
};

/**
 * Runs one rule on one AWS Config invocation (DESIGN.md §5): parse the
 * event, validate the parameters before anything else, act in the member
 * account when `ExecutionRoleName` is set, evaluate, and report every
 * evaluation with PutEvaluations. Any failure is thrown, so Lambda retries
 * the event; nothing is ever reported COMPLIANT after a failed call.
 *
 * @param rawEvent - the event exactly as Lambda receives it
 */
const runConfigRule = async (
  rawEvent: unknown,
  dependencies: RuleRunDependencies
): Promise<RuleRunResult> => {
  const event = parseConfigEvent(rawEvent);
  const rule = dependencies.rule.prepare(event.ruleParameters);
  const clients = await dependencies.clientsFor({
    accountId: event.accountId,
    region: event.region,
    partition: event.partition,
    executionRoleName: executionRoleNameOf(event),
  });
  const { trigger } = event;
  const item =
    trigger.kind === 'change'
      ? trigger.item
      : trigger.kind === 'oversized'
        ? await inflateOversized(clients.config, trigger, clients.principal)
        : undefined;
  const evaluations = item
    ? await evaluateChange(rule, event, clients, item)
    : await evaluatePeriodic(rule, event, clients);
  const sentToConfig = await putEvaluations(
    clients.config,
    evaluations,
    {
      resultToken: event.resultToken,
      orderingTimestamp: orderingTimestampOf(event, item),
    },
    clients.principal
  );
  dependencies.logger.info(
    {
      trigger: trigger.kind,
      evaluations: evaluations.length,
      batches: sentToConfig.length,
    },
    'evaluations reported'
  );
  return { trigger: trigger.kind, evaluations, sentToConfig };
};

export type {
  AccountClients,
  AccountTarget,
  RuleRunDependencies,
  RuleRunResult,
};
export { runConfigRule };
