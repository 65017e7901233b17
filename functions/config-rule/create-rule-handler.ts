import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Logger } from 'pino';
import type { Rule } from '../../rules/model/rule.js';
import { executionRoleArn } from '../shared/aws/credentials.js';
import type { VerdictTable } from '../shared/aws/verdict-table.js';
import { VpceGuardError } from '../shared/errors.js';
import { parseConfigEvent } from '../shared/formats/config-event.js';
import { UpdatedAtMemo } from '../shared/report/securityhub-reporter.js';
import { type LoggedContext, logInvocation } from './log-invocation.js';
import {
  AccountOutsideOrganizationError,
  type OrganizationGuard,
  OUTSIDE_ORGANIZATION_REFUSAL,
} from './organization-guard.js';
import {
  type AccountClients,
  type AccountTarget,
  type RuleRunResult,
  runConfigRule,
} from './run-config-rule.js';

/** What a rule handler needs to act through a member-account role. */
interface MemberRoleRequest {
  /** `arn:<partition>:iam::<member account>:role/<ExecutionRoleName>`. */
  readonly roleArn: string;
  /** The Region of the event, where the member's resources are. */
  readonly region: string;
  /** `vpce-guard-<rule-id>`: what the member's CloudTrail shows. */
  readonly sessionName: string;
}

/** The AWS clients a rule handler acts through. */
interface RuleHandlerClients {
  /** The function's own role, in its own account and Region. */
  readonly own: AccountClients;
  /**
   * Clients acting as a member-account role (organization rules name it in
   * `ExecutionRoleName`), e.g. with credentials from `sts:AssumeRole`. The
   * handler asks once per role and Region and keeps the clients for the
   * container's life, so their credentials are cached with them.
   */
  readonly forMemberRole: (request: MemberRoleRequest) => AccountClients;
}

/** Everything one rule's handler depends on; nothing comes from the environment. */
interface RuleHandlerOptions {
  /** The one rule this handler evaluates. */
  readonly rule: Rule;
  readonly clients: RuleHandlerClients;
  /** The base logger; each invocation logs through a child of it. */
  readonly logger: Logger;
  /** The current time, for the findings' timestamps and the import's pacing. */
  readonly clock: () => Date;
  /** A pino level for this handler's lines; the base logger's when absent. */
  readonly logLevel?: string | undefined;
  /**
   * Where the repository is published (findings link to `rules/<id>/runbook.md` under it);
   * when absent, findings link to the console page of the rule's deployed
   * SSM Automation document.
   */
  readonly runbookBaseUrl?: string | undefined;
  /**
   * Import findings for `TESTMODE` events too (`vpce-guard invoke
   * --import-findings`); a TestMode run imports nothing otherwise.
   */
  readonly importFindingsInTestMode?: boolean;
  /**
   * The member role every event must name in `ExecutionRoleName`
   * (organization deployments): Config's invoke permission cannot be
   * limited to one organization, so an event from a rule someone else
   * pointed at the function is refused before any AWS call.
   */
  readonly requiredMemberRoleName?: string | undefined;
  /**
   * Organization deployments: every event's account must be an ACTIVE
   * account of the organization, checked before any credentials are asked
   * for (functions/config-rule/organization-guard.ts).
   */
  readonly organizationGuard?: OrganizationGuard | undefined;
  /**
   * The table of last verdicts (`VERDICT_TABLE_NAME`), read and written
   * with the function's own credentials: with it, a run sends only what
   * changed or is due for a refresh; without it, everything.
   */
  readonly verdictTable?: VerdictTable | undefined;
}

/** Why an event was refused without being evaluated. */
interface RefusedEvent {
  readonly reason: typeof OUTSIDE_ORGANIZATION_REFUSAL;
  readonly accountId: string;
  readonly organizationId: string;
}

/**
 * What one invocation did: what it sent, or, for an event the organization
 * guard refused, nothing sent and why.
 */
type RuleHandlerResult = RuleRunResult & { readonly refused?: RefusedEvent };

/**
 * The Lambda handler of one rule: what it sent is its result (Config
 * ignores it; `vpce-guard invoke` prints it).
 */
type RuleHandler = MiddyfiedHandler<
  unknown,
  RuleHandlerResult,
  Error,
  LoggedContext
>;

/** A deployment mistake: the function was given no rule, or an unknown one. */
class RuleNotConfiguredError extends VpceGuardError {
  public constructor(ruleId: string | undefined) {
    super(`RULE_ID ${JSON.stringify(ruleId)} names no vpce-guard rule`);
    this.name = 'RuleNotConfiguredError';
  }
}

/**
 * Member-account clients per role and Region, built on first use and kept:
 * one container serves many events of the same accounts, and rebuilding
 * the clients would assume the role again for every event.
 */
const memberClientsCache = (
  ruleId: string,
  clients: RuleHandlerClients
): ((target: AccountTarget) => Promise<AccountClients>) => {
  const cache = new Map<string, AccountClients>();
  return async (target) => {
    if (!target.executionRoleName) return clients.own;
    const roleArn = executionRoleArn(
      target.partition,
      target.accountId,
      target.executionRoleName
    );
    const key = `${roleArn} ${target.region}`;
    let member = cache.get(key);
    if (!member) {
      member = clients.forMemberRole({
        roleArn,
        region: target.region,
        sessionName: `vpce-guard-${ruleId}`,
      });
      cache.set(key, member);
    }
    return member;
  };
};

/**
 * Member clients only for accounts the guard admits: the check runs before
 * the clients (and so the role's credentials) are asked for.
 */
const admittedAccountsOnly = (
  clientsFor: (target: AccountTarget) => Promise<AccountClients>,
  guard: OrganizationGuard | undefined
): ((target: AccountTarget) => Promise<AccountClients>) => {
  if (guard === undefined) return clientsFor;
  return async (target) => {
    const admission = await guard.admit(target.accountId);
    if (!admission.admitted) {
      throw new AccountOutsideOrganizationError(
        target.accountId,
        admission.organizationId
      );
    }
    return clientsFor(target);
  };
};

/**
 * An outsider's event ends here, without an error: Lambda would retry a
 * failed event twice and then park it in the dead-letter queue, and an
 * outsider could keep the function's error alarm firing, hiding real
 * failures. The warning's `refusal` field is what the organization
 * stack's metric filter and alarm count.
 */
const refuseOutsider = (
  event: unknown,
  refusal: AccountOutsideOrganizationError,
  logger: Logger
): RuleHandlerResult => {
  logger.warn(
    {
      refusal: OUTSIDE_ORGANIZATION_REFUSAL,
      refusedAccountId: refusal.accountId,
      organizationId: refusal.organizationId,
    },
    'refused an event from an account outside the organization'
  );
  return {
    // The event was parsed before the guard ran, so this cannot throw.
    trigger: parseConfigEvent(event).trigger.kind,
    evaluations: [],
    sentToConfig: [],
    sentToSecurityHub: [],
    // Nothing was read or sent: the event never reached the rule.
    delta: { priorState: 'unused', sent: 0, skipped: 0, reasons: {} },
    refused: {
      reason: OUTSIDE_ORGANIZATION_REFUSAL,
      accountId: refusal.accountId,
      organizationId: refusal.organizationId,
    },
  };
};

/**
 * One warning per ignored parameter name for the container's life: Config
 * sends the same parameters with every event, and a warning on each would
 * bury the other lines without telling anything new.
 */
const warnOncePerName = (
  rule: Rule
): ((names: readonly string[], logger: Logger) => void) => {
  const warned = new Set<string>();
  const known = rule.metadata.parameters.map((spec) => spec.name);
  return (names, logger) => {
    for (const name of names) {
      if (warned.has(name)) continue;
      warned.add(name);
      logger.warn(
        { parameter: name, known },
        'ignored a rule parameter the rule does not take'
      );
    }
  };
};

/**
 * Builds the Lambda handler of one rule: middy-wrapped, with a child logger
 * per invocation and every failure logged as `{ err }` before it is
 * rethrown. What must outlive one invocation — member-account clients,
 * the Security Hub UpdatedAt memo, the parameter names already warned
 * about — lives in this closure, one per handler (so one per container),
 * never in a module.
 */
const createRuleHandler = (options: RuleHandlerOptions): RuleHandler => {
  const { rule, clock } = options;
  const ruleId = rule.metadata.id;
  const logger =
    options.logLevel === undefined
      ? options.logger
      : options.logger.child({}, { level: options.logLevel });
  const clientsFor = admittedAccountsOnly(
    memberClientsCache(ruleId, options.clients),
    options.organizationGuard
  );
  const updatedAt = new UpdatedAtMemo();
  const onIgnoredParameters = warnOncePerName(rule);
  const evaluateConfigEvent = async (
    event: unknown,
    context: LoggedContext
  ): Promise<RuleHandlerResult> => {
    const invocationLogger = context.logger ?? logger;
    try {
      return await runConfigRule(event, {
        rule,
        clientsFor,
        logger: invocationLogger,
        runbookBaseUrl: options.runbookBaseUrl,
        importFindingsInTestMode: options.importFindingsInTestMode === true,
        requiredExecutionRoleName: options.requiredMemberRoleName,
        clock,
        updatedAt,
        onIgnoredParameters,
        verdictTable: options.verdictTable,
      });
    } catch (error) {
      if (!(error instanceof AccountOutsideOrganizationError)) throw error;
      return refuseOutsider(event, error, invocationLogger);
    }
  };
  return middy<unknown, RuleHandlerResult, Error, LoggedContext>(
    evaluateConfigEvent
  ).use(logInvocation(logger, ruleId));
};

/**
 * The handler of a function whose `RULE_ID` names no rule: every
 * invocation fails with {@link RuleNotConfiguredError}, logged like any
 * other failure, so the deployment mistake shows in the function's errors
 * and logs rather than as a module that cannot load.
 */
const createUnconfiguredHandler = (
  ruleId: string | undefined,
  logger: Logger
): RuleHandler =>
  middy<unknown, RuleHandlerResult, Error, LoggedContext>(() =>
    Promise.reject(new RuleNotConfiguredError(ruleId))
  ).use(logInvocation(logger, ruleId));

export type {
  MemberRoleRequest,
  RefusedEvent,
  RuleHandler,
  RuleHandlerClients,
  RuleHandlerOptions,
  RuleHandlerResult,
};
export { createRuleHandler, createUnconfiguredHandler, RuleNotConfiguredError };
