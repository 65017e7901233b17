import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Logger } from 'pino';
import type { Rule } from '../../rules/model/rule.js';
import { executionRoleArn } from '../shared/aws/credentials.js';
import type { VerdictTable } from '../shared/aws/verdict-table.js';
import { VpceGuardError } from '../shared/errors.js';
import { DEFAULT_RUNBOOK_BASE_URL } from '../shared/formats/asff.js';
import { UpdatedAtMemo } from '../shared/report/securityhub-reporter.js';
import { type LoggedContext, logInvocation } from './log-invocation.js';
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
   * a placeholder (`https://vpce-guard.invalid`) when absent.
   */
  readonly runbookBaseUrl?: string | undefined;
  /**
   * The member role every event must name in `ExecutionRoleName`
   * (organization deployments): Config's invoke permission cannot be
   * limited to one organization, so an event from a rule someone else
   * pointed at the function is refused before any AWS call.
   */
  readonly requiredMemberRoleName?: string | undefined;
  /**
   * The table of last verdicts (`VERDICT_TABLE_NAME`), read and written
   * with the function's own credentials: with it, a run sends only what
   * changed or is due for a refresh; without it, everything.
   */
  readonly verdictTable?: VerdictTable | undefined;
}

/**
 * The Lambda handler of one rule: what it sent is its result (Config
 * ignores it; `vpce-guard invoke` prints it).
 */
type RuleHandler = MiddyfiedHandler<
  unknown,
  RuleRunResult,
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
  const clientsFor = memberClientsCache(ruleId, options.clients);
  const updatedAt = new UpdatedAtMemo();
  const onIgnoredParameters = warnOncePerName(rule);
  const evaluateConfigEvent = (
    event: unknown,
    context: LoggedContext
  ): Promise<RuleRunResult> =>
    runConfigRule(event, {
      rule,
      clientsFor,
      logger: context.logger ?? logger,
      runbookBaseUrl: options.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL,
      requiredExecutionRoleName: options.requiredMemberRoleName,
      clock,
      updatedAt,
      onIgnoredParameters,
      verdictTable: options.verdictTable,
    });
  return middy<unknown, RuleRunResult, Error, LoggedContext>(
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
  middy<unknown, RuleRunResult, Error, LoggedContext>(() =>
    Promise.reject(new RuleNotConfiguredError(ruleId))
  ).use(logInvocation(logger, ruleId));

export type {
  MemberRoleRequest,
  RuleHandler,
  RuleHandlerClients,
  RuleHandlerOptions,
};
export { createRuleHandler, createUnconfiguredHandler, RuleNotConfiguredError };
