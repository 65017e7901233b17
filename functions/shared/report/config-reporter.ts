import {
  type Evaluation as ConfigEvaluation,
  type ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
  type PutEvaluationsCommandInput,
} from '@aws-sdk/client-config-service';
import { clampAnnotation, type Evaluation } from '../../../rules/model/rule.js';
import { ReportRejectedError, toAwsCallError } from '../errors.js';

/** Where and when a batch of evaluations is reported. */
interface EvaluationDelivery {
  /** From the event; `TESTMODE` sends `TestMode: true`. */
  readonly resultToken: string;
  /**
   * The CI capture time (change-triggered) or the notification creation
   * time (periodic).
   */
  readonly orderingTimestamp: Date;
}

/** PutEvaluations accepts at most this many evaluations per call. */
const BATCH_SIZE = 100;

const TEST_MODE_TOKEN = 'TESTMODE';

const toConfigEvaluation = (
  evaluation: Evaluation,
  orderingTimestamp: Date
): ConfigEvaluation => ({
  ComplianceResourceType: evaluation.resourceType,
  ComplianceResourceId: evaluation.resourceId,
  ComplianceType: evaluation.complianceType,
  ...(evaluation.annotation === ''
    ? {}
    : { Annotation: clampAnnotation(evaluation.annotation) }),
  OrderingTimestamp: orderingTimestamp,
});

/**
 * Reports evaluations to Config with `PutEvaluations`, in sequential
 * batches of at most 100. `TestMode` is set when the result token is
 * `TESTMODE`; an empty annotation is omitted (Config requires 1–256
 * characters) and a longer one is truncated. No evaluations, no call.
 *
 * A batch that Config accepts with `FailedEvaluations` does not stop the
 * remaining batches; once all are sent, a {@link ReportRejectedError} lists
 * every failed resource.
 *
 * @param principal - the role making the call, named in AccessDenied errors
 * @returns the requests sent, in order
 * @throws AwsCallError when a call fails (later batches are not sent)
 * @throws ReportRejectedError when Config rejected some evaluations
 */
const putEvaluations = async (
  config: ConfigServiceClient,
  evaluations: readonly Evaluation[],
  delivery: EvaluationDelivery,
  principal: string
): Promise<PutEvaluationsCommandInput[]> => {
  const sent: PutEvaluationsCommandInput[] = [];
  const failed: ConfigEvaluation[] = [];
  for (let start = 0; start < evaluations.length; start += BATCH_SIZE) {
    const input: PutEvaluationsCommandInput = {
      Evaluations: evaluations
        .slice(start, start + BATCH_SIZE)
        .map((evaluation) =>
          toConfigEvaluation(evaluation, delivery.orderingTimestamp)
        ),
      ResultToken: delivery.resultToken,
      ...(delivery.resultToken === TEST_MODE_TOKEN ? { TestMode: true } : {}),
    };
    try {
      const response = await config.send(new PutEvaluationsCommand(input));
      failed.push(...(response.FailedEvaluations ?? []));
    } catch (error) {
      throw toAwsCallError(error, 'config:PutEvaluations', principal);
    }
    sent.push(input);
  }
  if (failed.length > 0) {
    const resources = failed
      .map(
        (evaluation) =>
          `${evaluation.ComplianceResourceType ?? '?'} ${evaluation.ComplianceResourceId ?? '?'}`
      )
      .join(', ');
    throw new ReportRejectedError(
      `config:PutEvaluations rejected ${failed.length} of ${evaluations.length} evaluations: ${resources}`
    );
  }
  return sent;
};

/** Which of a rule's earlier results to look for. */
interface StaleQuery {
  /** The rule's name in the account (`OrgConfigRule-…` for org rules). */
  readonly configRuleName: string;
  /** Only results for this type count. */
  readonly resourceType: string;
  /** Ids that exist now: these are not stale. */
  readonly current: ReadonlySet<string>;
}

/**
 * Ids of `resourceType` that the rule reported COMPLIANT or NON_COMPLIANT
 * before and that are not in `current`: resources deleted since, to be
 * reported NOT_APPLICABLE after a periodic run. Pages through
 * `GetComplianceDetailsByConfigRule` (100 per page).
 *
 * @param principal - the role making the call, named in AccessDenied errors
 * @returns sorted, distinct ids
 * @throws AwsCallError when a call fails
 */
const staleResourceIds = async (
  config: ConfigServiceClient,
  query: StaleQuery,
  principal: string
): Promise<string[]> => {
  const stale = new Set<string>();
  let nextToken: string | undefined;
  do {
    let response: Awaited<ReturnType<typeof sendPage>>;
    try {
      response = await sendPage(config, query.configRuleName, nextToken);
    } catch (error) {
      throw toAwsCallError(
        error,
        'config:GetComplianceDetailsByConfigRule',
        principal
      );
    }
    for (const result of response.EvaluationResults ?? []) {
      const qualifier =
        result.EvaluationResultIdentifier?.EvaluationResultQualifier;
      const id = qualifier?.ResourceId;
      if (
        qualifier?.ResourceType === query.resourceType &&
        id !== undefined &&
        !query.current.has(id)
      ) {
        stale.add(id);
      }
    }
    nextToken = response.NextToken === '' ? undefined : response.NextToken;
  } while (nextToken !== undefined);
  return [...stale].sort();
};

const sendPage = (
  config: ConfigServiceClient,
  configRuleName: string,
  nextToken: string | undefined
) =>
  config.send(
    new GetComplianceDetailsByConfigRuleCommand({
      ConfigRuleName: configRuleName,
      ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
      Limit: 100,
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    })
  );

export type { EvaluationDelivery, StaleQuery };
export { putEvaluations, staleResourceIds };
