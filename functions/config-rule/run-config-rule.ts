import type {
  ConfigServiceClient,
  PutEvaluationsCommandInput,
} from '@aws-sdk/client-config-service';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type {
  BatchImportFindingsCommandInput,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import type { Logger } from 'pino';
import type { Inventory } from '../../rules/model/inventory.js';
import type { Evaluation, PreparedRule, Rule } from '../../rules/model/rule.js';
import { loadAccountRegion } from '../shared/aws/account-inventory.js';
import { inflateOversized } from '../shared/aws/config-history.js';
import type { VerdictTable } from '../shared/aws/verdict-table.js';
import { InvalidEventError } from '../shared/errors.js';
import { buildFinding } from '../shared/formats/asff.js';
import {
  type ConfigRuleEvent,
  type ConfigurationItem,
  isGone,
  parseConfigEvent,
  vpcIdOf,
} from '../shared/formats/config-event.js';
import {
  putEvaluations,
  staleResourceIds,
} from '../shared/report/config-reporter.js';
import { goneSinceRecorded, type SendReason } from '../shared/report/delta.js';
import {
  importFindings,
  type UpdatedAtMemo,
} from '../shared/report/securityhub-reporter.js';
import {
  importsFindings,
  type Prior,
  type PriorState,
  planSend,
  readPrior,
  recordSent,
} from './prior-verdicts.js';

/** The clients every AWS call for one account-region goes through. */
interface AccountClients {
  readonly ec2: EC2Client;
  /** Read only for rules with the `vpc-hosted-zones` inventory source. */
  readonly route53: Route53Client;
  readonly config: ConfigServiceClient;
  /** Findings are imported with the resource owner's credentials. */
  readonly securityHub: SecurityHubClient;
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
  /**
   * Where the repository is published: findings link to
   * `rules/<rule-id>/runbook.md` under it; without it, to the console page
   * of the rule's SSM Automation document.
   */
  readonly runbookBaseUrl?: string | undefined;
  /**
   * Import findings even for a `TESTMODE` event. TestMode is a dry run for
   * Config (nothing stored), and must be one for Security Hub too; only
   * `vpce-guard invoke --import-findings` sets this, to try the import
   * against an emulator whose Config accepts nothing but TestMode.
   */
  readonly importFindingsInTestMode?: boolean;
  /**
   * Set for the organization deployment: every event must name this member
   * role. Config's invoke permission cannot be limited to one organization
   * (README, "Who may invoke the organization functions"), so an event
   * without it — from a rule someone else pointed at the function — is
   * refused before any AWS call, rather than run with the function's own
   * credentials.
   */
  readonly requiredExecutionRoleName?: string | undefined;
  /** The current time: the findings' timestamps and the import's pacing. */
  readonly clock: () => Date;
  /**
   * The UpdatedAt sent per finding Id, kept across the invocations of one
   * container, so a re-import is never older than the last one.
   */
  readonly updatedAt: UpdatedAtMemo;
  /**
   * Told the parameter names of the event the rule ignores (neither its
   * own nor added by Config tooling), right after they are validated; the
   * rule handler warns once per name per container.
   */
  readonly onIgnoredParameters?: (
    names: readonly string[],
    logger: Logger
  ) => void;
  /**
   * The table of last verdicts, in the function's own account: with it,
   * only what changed (or is due for a refresh) is sent. Without it, and
   * in TestMode, every evaluation is sent.
   */
  readonly verdictTable?: VerdictTable | undefined;
}

/** How many evaluations the delta sent and skipped, and why. */
interface DeltaSummary {
  readonly priorState: PriorState;
  readonly sent: number;
  readonly skipped: number;
  readonly reasons: Readonly<Partial<Record<SendReason, number>>>;
}

/** What one invocation evaluated and sent to Config. */
interface RuleRunResult {
  readonly trigger: ConfigRuleEvent['trigger']['kind'];
  /** Everything evaluated, NOT_APPLICABLE for gone resources included. */
  readonly evaluations: readonly Evaluation[];
  readonly sentToConfig: readonly PutEvaluationsCommandInput[];
  readonly sentToSecurityHub: readonly BatchImportFindingsCommandInput[];
  /** Why nothing was sent to Security Hub, when the import was skipped. */
  readonly securityHubSkipped?: string;
  readonly delta: DeltaSummary;
}

/** Evaluations and, when something was loaded, the inventory they came from. */
interface Scoped {
  readonly evaluations: Evaluation[];
  readonly inventory: Inventory | undefined;
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
): Promise<Scoped> => {
  const { inventory } = await loadAccountRegion(
    clients,
    {
      accountId: event.accountId,
      region: event.region,
      partition: event.partition,
      vpcId,
    },
    [rule],
    `${event.accountId}/${event.region}`
  );
  return { evaluations: rule.evaluate(inventory), inventory };
};

/**
 * One warning per thing the rule could not decide (each such resource is
 * reported NON_COMPLIANT `cannot evaluate: …`) and per item of the load no
 * rule could use; every other evaluation is still sent.
 */
const warnProblems = (logger: Logger, scoped: Scoped): void => {
  for (const problem of scoped.inventory?.problems ?? []) {
    logger.warn(
      { resourceId: problem.resourceId, problem: problem.message },
      'skipped an unreadable item of the inventory'
    );
  }
  for (const evaluation of scoped.evaluations) {
    if (evaluation.problem === undefined) continue;
    logger.warn(
      { resourceId: evaluation.resourceId, problem: evaluation.problem },
      'cannot evaluate a resource'
    );
  }
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
): Promise<Scoped> => {
  const scoped = await evaluateScope(rule, event, clients, undefined);
  if (event.resultToken === 'TESTMODE') return scoped;
  const { evaluations } = scoped;
  const stale = await staleResourceIds(
    clients.config,
    {
      configRuleName: event.configRuleName,
      resourceType: rule.metadata.resourceType,
      current: new Set(evaluations.map((e) => e.resourceId)),
    },
    clients.principal
  );
  const gone = stale.map((id) =>
    notApplicable(rule, event, id, 'resource no longer exists')
  );
  return {
    evaluations: [...evaluations, ...gone],
    inventory: scoped.inventory,
  };
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
): Promise<Scoped> => {
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
      !ownType && vpcId
        ? await evaluateScope(rule, event, clients, vpcId)
        : { evaluations: [], inventory: undefined };
    return {
      evaluations: [...gone, ...others.evaluations],
      inventory: others.inventory,
    };
  }
  if (!vpcId) {
    throw new InvalidEventError(
      `configurationItem: cannot tell the VPC of ${item.resourceType} ${item.resourceId}`
    );
  }
  const scoped = await evaluateScope(rule, event, clients, vpcId);
  const found = scoped.evaluations.some(
    (e) => e.resourceId === item.resourceId
  );
  if (!ownType || found) return scoped;
  const missing = notApplicable(
    rule,
    event,
    item.resourceId,
    'resource no longer exists'
  );
  return {
    evaluations: [...scoped.evaluations, missing],
    inventory: scoped.inventory,
  };
};

/** What the Security Hub step did: the requests sent, or why it sent none. */
interface SecurityHubReport {
  readonly sent: BatchImportFindingsCommandInput[];
  readonly skipped?: string;
}

/**
 * Why this invocation imports nothing, or `undefined` when it imports: the
 * rule parameter `securityHub` is false (Config's native integration
 * instead), or the event is a TestMode run, which must leave no trace
 * outside the process unless the caller asked for the import.
 */
const importSkippedBecause = (
  rule: PreparedRule,
  event: ConfigRuleEvent,
  dependencies: RuleRunDependencies
): string | undefined => {
  if (!importsFindings(rule)) {
    return 'the rule parameter securityHub is false';
  }
  if (
    event.resultToken === 'TESTMODE' &&
    !dependencies.importFindingsInTestMode
  ) {
    return 'TestMode (resultToken TESTMODE) imports nothing; vpce-guard invoke --import-findings imports anyway';
  }
  return undefined;
};

/**
 * One finding per evaluation, imported with the resource owner's
 * credentials after Config has the evaluations; skipped when
 * {@link importSkippedBecause} says why.
 */
const reportToSecurityHub = async (
  rule: PreparedRule,
  event: ConfigRuleEvent,
  clients: AccountClients,
  scoped: Scoped,
  dependencies: RuleRunDependencies
): Promise<SecurityHubReport> => {
  const skipped = importSkippedBecause(rule, event, dependencies);
  if (skipped !== undefined) return { sent: [], skipped };
  const { clock } = dependencies;
  const context = {
    partition: event.partition,
    region: event.region,
    accountId: event.accountId,
    runbookBaseUrl: dependencies.runbookBaseUrl,
    now: clock(),
    inventory: scoped.inventory,
  };
  const findings = scoped.evaluations.map((e) =>
    buildFinding(e, rule.metadata, context)
  );
  const sent = await importFindings(clients.securityHub, findings, {
    principal: clients.principal,
    memo: dependencies.updatedAt,
    now: () => clock().getTime(),
  });
  return { sent };
};

/**
 * A periodic run also reports NOT_APPLICABLE what the table recorded with
 * another verdict and the account no longer has. Config's own list of
 * stale results (evaluatePeriodic) stays: it knows the resources that went
 * before the table did (a deployment older than the table, a lost table).
 */
const withGoneFromTable = (
  rule: PreparedRule,
  event: ConfigRuleEvent,
  scoped: Scoped,
  prior: Prior,
  periodic: boolean
): Scoped => {
  if (!periodic || prior.recorded === undefined) return scoped;
  const listed = new Set(scoped.evaluations.map((e) => e.resourceId));
  const gone = goneSinceRecorded(prior.recorded, listed).map((id) =>
    notApplicable(rule, event, id, 'resource no longer exists')
  );
  return gone.length === 0
    ? scoped
    : {
        evaluations: [...scoped.evaluations, ...gone],
        inventory: scoped.inventory,
      };
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
 * The member role to act through, refusing an event that does not name the
 * role the deployment requires.
 */
const memberRoleOf = (
  event: ConfigRuleEvent,
  required: string | undefined
): string | undefined => {
  const name = executionRoleNameOf(event);
  if (required !== undefined && name !== required) {
    throw new InvalidEventError(
      `ruleParameters.ExecutionRoleName: this function acts only through the member role ${JSON.stringify(required)}, got ${JSON.stringify(name ?? null)} (account ${event.accountId})`
    );
  }
  return name;
};

/**
 * The rule with the event's parameters, validated before anything else (a
 * typo must not cost an AWS call); the names it ignores are told to the
 * handler, which warns once per name per container.
 */
const prepareRule = (
  event: ConfigRuleEvent,
  dependencies: RuleRunDependencies
): PreparedRule => {
  const rule = dependencies.rule.prepare(event.ruleParameters);
  if (rule.ignoredParameters.length > 0) {
    dependencies.onIgnoredParameters?.(
      rule.ignoredParameters,
      dependencies.logger
    );
  }
  return rule;
};

/**
 * Evaluates what the trigger asks for: a change (or an oversized change,
 * inflated first) its VPC's resources, a periodic run the whole
 * account-region.
 *
 * @returns the changed configuration item (none for a periodic run) and
 *   the evaluations
 */
const evaluateTrigger = async (
  rule: PreparedRule,
  event: ConfigRuleEvent,
  clients: AccountClients
): Promise<{ item: ConfigurationItem | undefined; evaluated: Scoped }> => {
  const { trigger } = event;
  const item =
    trigger.kind === 'change'
      ? trigger.item
      : trigger.kind === 'oversized'
        ? await inflateOversized(clients.config, trigger, clients.principal)
        : undefined;
  const evaluated = item
    ? await evaluateChange(rule, event, clients, item)
    : await evaluatePeriodic(rule, event, clients);
  return { item, evaluated };
};

/** One `info` line per invocation: what was evaluated, sent and skipped. */
const logReported = (
  logger: Logger,
  result: RuleRunResult,
  rule: PreparedRule,
  scoped: Scoped
): void => {
  logger.info(
    {
      trigger: result.trigger,
      evaluations: result.evaluations.length,
      sent: result.delta.sent,
      skipped: result.delta.skipped,
      priorState: result.delta.priorState,
      sendReasons: result.delta.reasons,
      // Resources of a VPC shared with this account: their owner's
      // account evaluates them (README "Real accounts").
      notOwned: scoped.inventory ? rule.notOwned(scoped.inventory).length : 0,
      configBatches: result.sentToConfig.length,
      securityHubBatches: result.sentToSecurityHub.length,
      ...(result.securityHubSkipped === undefined
        ? {}
        : { securityHubSkipped: result.securityHubSkipped }),
    },
    'evaluations reported'
  );
};

/**
 * Runs one rule on one AWS Config invocation: parse the event, validate
 * the parameters before anything else (a typo must not cost an AWS call),
 * act in the member account when `ExecutionRoleName` is set, evaluate,
 * keep what differs from the last recorded verdicts (or is due for a
 * refresh; everything when they cannot be read), report it with
 * PutEvaluations, then to Security Hub (whose findings must not get ahead
 * of Config), and record it. Any failure of a report is thrown, so Lambda
 * retries the event and the retry sends the same delta; nothing is ever
 * reported COMPLIANT after a failed call.
 *
 * @param rawEvent - the event exactly as Lambda receives it
 */
const runConfigRule = async (
  rawEvent: unknown,
  dependencies: RuleRunDependencies
): Promise<RuleRunResult> => {
  const event = parseConfigEvent(rawEvent);
  const rule = prepareRule(event, dependencies);
  const clients = await dependencies.clientsFor({
    accountId: event.accountId,
    region: event.region,
    partition: event.partition,
    executionRoleName: memberRoleOf(
      event,
      dependencies.requiredExecutionRoleName
    ),
  });
  const { item, evaluated } = await evaluateTrigger(rule, event, clients);
  const periodic = item === undefined;
  warnProblems(dependencies.logger, evaluated);
  const prior = await readPrior(
    event,
    evaluated.evaluations.map((e) => e.resourceId),
    periodic,
    dependencies
  );
  const scoped = withGoneFromTable(rule, event, evaluated, prior, periodic);
  const delta = planSend(rule, scoped.evaluations, prior, dependencies.clock());
  const sentToConfig = await putEvaluations(
    clients.config,
    delta.send,
    {
      resultToken: event.resultToken,
      orderingTimestamp: orderingTimestampOf(event, item),
    },
    clients.principal
  );
  const securityHub = await reportToSecurityHub(
    rule,
    event,
    clients,
    { evaluations: [...delta.send], inventory: scoped.inventory },
    dependencies
  );
  // Only once both took them: a failure above leaves the table as it was,
  // so Lambda's retry of the event sends the same delta again.
  if (prior.state !== 'unused') {
    await recordSent(rule, event, delta.send, dependencies);
  }
  const result: RuleRunResult = {
    trigger: event.trigger.kind,
    evaluations: scoped.evaluations,
    sentToConfig,
    sentToSecurityHub: securityHub.sent,
    ...(securityHub.skipped === undefined
      ? {}
      : { securityHubSkipped: securityHub.skipped }),
    delta: {
      priorState: prior.state,
      sent: delta.send.length,
      skipped: delta.skipped.length,
      reasons: delta.reasons,
    },
  };
  logReported(dependencies.logger, result, rule, scoped);
  return result;
};

export type {
  AccountClients,
  AccountTarget,
  DeltaSummary,
  PriorState,
  RuleRunDependencies,
  RuleRunResult,
};
export { runConfigRule };
