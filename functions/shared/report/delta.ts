/**
 * Which evaluations a run sends, given what was last recorded for each
 * resource: Config bills every evaluation it records and Security Hub
 * every finding it ingests, so an unchanged verdict is sent again only
 * when it is due for a refresh (README, "Cost"). Pure: the records come
 * from functions/shared/aws/verdict-table.ts or, for `vpce-guard invoke
 * --previous`, from an earlier scan document.
 */
import {
  type ComplianceType,
  clampAnnotation,
  type Evaluation,
} from '../../../rules/model/rule.js';

/** What was last sent, and accepted, for one resource under one rule. */
interface RecordedResult {
  readonly complianceType: ComplianceType;
  /** As Config stores it: cut to 256 characters, `""` for none. */
  readonly annotation: string;
  /** When it was recorded; unknown for a scan document, never due then. */
  readonly recordedAt?: Date | undefined;
  /** Whether its finding was imported too; unknown counts as yes. */
  readonly findingImported?: boolean | undefined;
}

/**
 * Why an evaluation is sent: `new` (nothing recorded), `changed` (another
 * verdict or annotation), `refresh` (recorded more than `refreshDays`
 * ago), `finding` (recorded without its finding, which is now wanted),
 * `unknown` (the records could not be read).
 */
type SendReason = 'new' | 'changed' | 'refresh' | 'finding' | 'unknown';

/** How a run decides. */
interface DeltaOptions {
  readonly now: Date;
  /** The rule parameter: a result older than this many days is sent again. */
  readonly refreshDays: number;
  /** Whether this run imports findings (the rule parameter `securityHub`). */
  readonly importsFindings: boolean;
}

/** The evaluations a run sends and the ones it skips. */
interface Delta {
  readonly send: readonly Evaluation[];
  readonly skipped: readonly Evaluation[];
  /** How many are sent for each reason. */
  readonly reasons: Readonly<Partial<Record<SendReason, number>>>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The annotation as Config stores it, so a cut one compares equal. */
const storedAnnotation = (evaluation: Evaluation): string =>
  evaluation.annotation === '' ? '' : clampAnnotation(evaluation.annotation);

const isDueForRefresh = (
  recorded: RecordedResult,
  options: DeltaOptions
): boolean =>
  recorded.recordedAt !== undefined &&
  options.now.getTime() - recorded.recordedAt.getTime() >=
    options.refreshDays * DAY_MS;

/**
 * Why `evaluation` must be sent, or `undefined` when Config and Security
 * Hub already hold it and it is not due for a refresh.
 *
 * @param recorded - what was last recorded for its resource; `undefined`
 *   when nothing was
 */
const sendReasonOf = (
  evaluation: Evaluation,
  recorded: RecordedResult | undefined,
  options: DeltaOptions
): SendReason | undefined => {
  if (recorded === undefined) return 'new';
  if (
    recorded.complianceType !== evaluation.complianceType ||
    recorded.annotation !== storedAnnotation(evaluation)
  ) {
    return 'changed';
  }
  if (isDueForRefresh(recorded, options)) return 'refresh';
  if (options.importsFindings && recorded.findingImported === false) {
    return 'finding';
  }
  return undefined;
};

/**
 * Splits `evaluations` into those to send and those Config and Security
 * Hub already hold. Without records (`undefined`: they could not be read)
 * everything is sent: an unreadable state must cost money, never lose a
 * verdict.
 *
 * @param recorded - the last recorded result per resource id
 */
const planDelta = (
  evaluations: readonly Evaluation[],
  recorded: ReadonlyMap<string, RecordedResult> | undefined,
  options: DeltaOptions
): Delta => {
  const send: Evaluation[] = [];
  const skipped: Evaluation[] = [];
  const reasons: Partial<Record<SendReason, number>> = {};
  for (const evaluation of evaluations) {
    const reason =
      recorded === undefined
        ? 'unknown'
        : sendReasonOf(
            evaluation,
            recorded.get(evaluation.resourceId),
            options
          );
    if (reason === undefined) {
      skipped.push(evaluation);
      continue;
    }
    send.push(evaluation);
    reasons[reason] = (reasons[reason] ?? 0) + 1;
  }
  return { send, skipped, reasons };
};

/**
 * The resources recorded with a verdict other than NOT_APPLICABLE that are
 * not among `current`: gone since, to be reported NOT_APPLICABLE.
 *
 * @returns sorted ids
 */
const goneSinceRecorded = (
  recorded: ReadonlyMap<string, RecordedResult>,
  current: ReadonlySet<string>
): string[] =>
  [...recorded.entries()]
    .filter(
      ([id, result]) =>
        result.complianceType !== 'NOT_APPLICABLE' && !current.has(id)
    )
    .map(([id]) => id)
    .sort();

/** What is recorded for `evaluation` once Config (and Security Hub) took it. */
const recordOf = (
  evaluation: Evaluation,
  recordedAt: Date,
  findingImported: boolean
): Required<RecordedResult> => ({
  complianceType: evaluation.complianceType,
  annotation: storedAnnotation(evaluation),
  recordedAt,
  findingImported,
});

export type { Delta, DeltaOptions, RecordedResult, SendReason };
export { goneSinceRecorded, planDelta, recordOf, sendReasonOf };
