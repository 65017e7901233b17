/**
 * The delta of one invocation: what the table of last verdicts recorded
 * (functions/shared/aws/verdict-table.ts), which evaluations differ from it
 * (functions/shared/report/delta.ts), and recording what was sent. The
 * invariant throughout: reading or writing the table may cost money, never
 * a verdict. An unreadable table sends everything; an unwritten record is
 * sent again by the next run.
 */
import type { Logger } from 'pino';
import type { Evaluation, PreparedRule } from '../../rules/model/rule.js';
import {
  readRuleVerdicts,
  readVerdicts,
  recordVerdicts,
  type VerdictScope,
  type VerdictTable,
} from '../shared/aws/verdict-table.js';
import { AwsCallError } from '../shared/errors.js';
import type { ConfigRuleEvent } from '../shared/formats/config-event.js';
import {
  type Delta,
  planDelta,
  type RecordedResult,
  recordOf,
} from '../shared/report/delta.js';

/**
 * Where the last recorded verdicts came from: `read` from the table;
 * `unreadable` when reading failed, so everything was sent; `unused`
 * without a table, or in TestMode (Config records nothing then).
 */
type PriorState = 'read' | 'unreadable' | 'unused';

/** What was last recorded, and whether it could be read. */
interface Prior {
  readonly state: PriorState;
  /** By resource id; undefined unless `state` is `read`. */
  readonly recorded: ReadonlyMap<string, RecordedResult> | undefined;
}

/** What the table's reads and writes need from the invocation. */
interface VerdictDependencies {
  /** The table; without it every evaluation is sent. */
  readonly verdictTable?: VerdictTable | undefined;
  readonly logger: Logger;
  readonly clock: () => Date;
}

/** Whether the rule imports findings (its `securityHub` parameter). */
const importsFindings = (rule: PreparedRule): boolean =>
  rule.parameters.securityHub !== false;

const refreshDaysOf = (rule: PreparedRule): number =>
  rule.parameters.refreshDays as number;

const verdictScopeOf = (event: ConfigRuleEvent): VerdictScope => ({
  accountId: event.accountId,
  region: event.region,
  configRuleArn: event.configRuleArn,
});

/**
 * Reads the last recorded verdicts: a periodic run its rule's whole
 * partition, a change only `resourceIds`, the resources it evaluated. A
 * failed read is a warning and sends everything.
 */
const readPrior = async (
  event: ConfigRuleEvent,
  resourceIds: readonly string[],
  periodic: boolean,
  dependencies: VerdictDependencies
): Promise<Prior> => {
  const table = dependencies.verdictTable;
  if (table === undefined || event.resultToken === 'TESTMODE') {
    return { state: 'unused', recorded: undefined };
  }
  const scope = verdictScopeOf(event);
  try {
    const recorded = periodic
      ? await readRuleVerdicts(table, scope)
      : await readVerdicts(table, scope, resourceIds);
    return { state: 'read', recorded };
  } catch (error) {
    if (!(error instanceof AwsCallError)) throw error;
    dependencies.logger.warn(
      { err: error, table: table.tableName },
      'could not read the last recorded verdicts; sending every evaluation'
    );
    return { state: 'unreadable', recorded: undefined };
  }
};

/**
 * What to send of `evaluations`: those that differ from `prior` or are
 * due for a refresh; all of them when the table is unused or unreadable.
 */
const planSend = (
  rule: PreparedRule,
  evaluations: readonly Evaluation[],
  prior: Prior,
  now: Date
): Delta =>
  prior.state === 'unused'
    ? { send: evaluations, skipped: [], reasons: {} }
    : planDelta(evaluations, prior.recorded, {
        now,
        refreshDays: refreshDaysOf(rule),
        importsFindings: importsFindings(rule),
      });

/**
 * Records what Config and Security Hub took. A failure is a warning, not
 * a failed invocation: both already hold the verdicts, and the next run
 * merely sends them again.
 */
const recordSent = async (
  rule: PreparedRule,
  event: ConfigRuleEvent,
  sent: readonly Evaluation[],
  dependencies: VerdictDependencies
): Promise<void> => {
  const table = dependencies.verdictTable;
  if (table === undefined || sent.length === 0) return;
  const recordedAt = dependencies.clock();
  const records = sent.map((evaluation) => ({
    resourceId: evaluation.resourceId,
    ...recordOf(evaluation, recordedAt, importsFindings(rule)),
  }));
  try {
    await recordVerdicts(
      table,
      verdictScopeOf(event),
      records,
      refreshDaysOf(rule)
    );
  } catch (error) {
    if (!(error instanceof AwsCallError)) throw error;
    dependencies.logger.warn(
      { err: error, table: table.tableName, unrecorded: records.length },
      'could not record the verdicts sent; the next run sends them again'
    );
  }
};

export type { Prior, PriorState, VerdictDependencies };
export { importsFindings, planSend, readPrior, recordSent };
