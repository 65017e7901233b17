/**
 * `vpce-guard invoke --previous FILE`: an earlier `scan --format json`
 * document read as the last recorded state, so `invoke` can say how many of
 * the evaluations it sends the Lambda's delta would have skipped.
 */
import * as z from 'zod';
import { readJsonFile } from '../functions/shared/formats/json-file.js';
import { describeIssues } from '../functions/shared/formats/zod-messages.js';
import {
  type DeltaOptions,
  planDelta,
  type RecordedResult,
  type SendReason,
} from '../functions/shared/report/delta.js';
import { InputError } from '../rules/model/errors.js';
import type { Evaluation } from '../rules/model/rule.js';

/** The keys of one evaluation of the scan document that the delta reads. */
const PreviousEvaluation = z.object({
  ruleId: z.string(),
  accountId: z.string(),
  region: z.string(),
  resourceId: z.string(),
  complianceType: z.enum(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE']),
  annotation: z.string(),
});

/** A scan document; its summary and problems are not read. */
const PreviousScan = z.looseObject({
  evaluations: z.array(PreviousEvaluation),
});

/** One earlier evaluation. */
type PreviousEvaluation = z.infer<typeof PreviousEvaluation>;

/** What the delta would have done with the evaluations `invoke` sent. */
interface DeltaEstimate {
  /** The `--previous` file. */
  readonly previous: string;
  readonly evaluations: number;
  readonly wouldSend: number;
  readonly wouldSkip: number;
  readonly reasons: Readonly<Partial<Record<SendReason, number>>>;
}

/**
 * Reads a `scan --format json` document.
 *
 * @throws InputError naming the file and what is wrong with it
 */
const readPreviousScan = async (
  file: string
): Promise<PreviousEvaluation[]> => {
  const result = PreviousScan.safeParse(await readJsonFile(file));
  if (!result.success) {
    throw new InputError(
      `--previous ${file}: ${describeIssues(result.error.issues, { root: 'scan document' })}`
    );
  }
  return result.data.evaluations;
};

const placeOf = (e: { accountId: string; region: string }): string =>
  `${e.accountId}/${e.region}`;

/**
 * The earlier results of `ruleId` in the account-regions of `evaluations`,
 * by resource id. A scan records no time, so none is ever due for a
 * refresh, and it says nothing of findings.
 */
const recordedFrom = (
  previous: readonly PreviousEvaluation[],
  ruleId: string,
  evaluations: readonly Evaluation[]
): Map<string, RecordedResult> => {
  const places = new Set(evaluations.map(placeOf));
  return new Map(
    previous
      .filter((e) => e.ruleId === ruleId && places.has(placeOf(e)))
      .map((e) => [
        e.resourceId,
        { complianceType: e.complianceType, annotation: e.annotation },
      ])
  );
};

/**
 * How many of `evaluations` the Lambda's delta would have sent and skipped
 * had `previous` been the last recorded state.
 */
const estimateDelta = (
  file: string,
  previous: readonly PreviousEvaluation[],
  ruleId: string,
  evaluations: readonly Evaluation[],
  options: DeltaOptions
): DeltaEstimate => {
  const delta = planDelta(
    evaluations,
    recordedFrom(previous, ruleId, evaluations),
    options
  );
  return {
    previous: file,
    evaluations: evaluations.length,
    wouldSend: delta.send.length,
    wouldSkip: delta.skipped.length,
    reasons: delta.reasons,
  };
};

export type { DeltaEstimate, PreviousEvaluation };
export { estimateDelta, readPreviousScan };
