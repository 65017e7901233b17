/**
 * vpce-guard's results for a whole organization, read from an AWS Config
 * aggregator (`report --aggregator`): which vpce-guard rules have results
 * in which account-Region (DescribeAggregateComplianceByConfigRules), then
 * every resource's verdict (GetAggregateComplianceDetailsByConfigRule), all
 * pages of both. No EC2 call and no credentials in the member accounts:
 * the aggregator account's own Config holds it all. An adapter like those
 * in functions/shared/aws/ (it takes its client), kept under cli/ because
 * only the CLI calls it: everything under functions/shared/aws/ is granted
 * to the Lambda functions (functions/shared/aws/aws-actions.ts).
 */
import {
  type AggregateEvaluationResult,
  type ConfigServiceClient,
  paginateDescribeAggregateComplianceByConfigRules,
  paginateGetAggregateComplianceDetailsByConfigRule,
} from '@aws-sdk/client-config-service';
import { mapWithLimit } from '../../functions/shared/aws/map-with-limit.js';
import { InputError, toAwsCallError } from '../../functions/shared/errors.js';
import { rules } from '../../rules/index.js';
import {
  RESOURCE_KINDS,
  type ResourceType,
} from '../../rules/model/resource-kinds.js';
import type { ComplianceType, Evaluation } from '../../rules/model/rule.js';
import type { ScanProblem } from '../evaluate.js';
import { ruleIdOfConfigRuleName } from './rule-names.js';

/** One vpce-guard Config rule with results in one account-Region. */
interface RuleInAccountRegion {
  readonly configRuleName: string;
  readonly ruleId: string;
  readonly accountId: string;
  readonly region: string;
}

/** What the aggregator holds of vpce-guard's rules. */
interface AggregatedResults {
  /** Every resource's latest verdict, in scan order (rule, account, Region, resource). */
  readonly evaluations: readonly Evaluation[];
  /** Results vpce-guard cannot use, and `cannot evaluate` verdicts. */
  readonly problems: readonly ScanProblem[];
  /** The account-Regions with vpce-guard results. */
  readonly rulesFound: readonly RuleInAccountRegion[];
}

/** Largest pages: 1000 rule summaries, 100 resource results. */
const SUMMARY_PAGE_SIZE = 1000;
const DETAIL_PAGE_SIZE = 100;

/**
 * Detail reads in flight: the aggregator account's Config serves every
 * one of them, and adaptive retries absorb the rest of its throttling.
 */
const DETAIL_CONCURRENCY = 2;

const COMPLIANCE_TYPES: ReadonlySet<string> = new Set<ComplianceType>([
  'COMPLIANT',
  'NON_COMPLIANT',
  'NOT_APPLICABLE',
]);

const RESOURCE_TYPES: ReadonlySet<string> = new Set(
  Object.values(RESOURCE_KINDS).map((kind) => kind.configType)
);

const RULE_ORDER = new Map(
  rules.map((rule, index) => [rule.metadata.id, index])
);

/** An action's failure; a missing aggregator is the user's to fix (exit 2). */
const aggregatorError = (
  error: unknown,
  action: string,
  aggregator: string,
  caller: string
): Error => {
  if (
    (error as { name?: string }).name ===
    'NoSuchConfigurationAggregatorException'
  ) {
    return new InputError(
      `--aggregator ${aggregator}: no such configuration aggregator in this account and Region`,
      { cause: error }
    );
  }
  return toAwsCallError(error, action, caller);
};

const byScanOrder = (a: RuleInAccountRegion, b: RuleInAccountRegion): number =>
  (RULE_ORDER.get(a.ruleId) ?? 0) - (RULE_ORDER.get(b.ruleId) ?? 0) ||
  a.accountId.localeCompare(b.accountId) ||
  a.region.localeCompare(b.region) ||
  a.configRuleName.localeCompare(b.configRuleName);

/** The vpce-guard rules with results, per account-Region, each once. */
const findRules = async (
  config: ConfigServiceClient,
  aggregator: string,
  caller: string
): Promise<RuleInAccountRegion[]> => {
  const found = new Map<string, RuleInAccountRegion>();
  try {
    for await (const page of paginateDescribeAggregateComplianceByConfigRules(
      { client: config, pageSize: SUMMARY_PAGE_SIZE },
      { ConfigurationAggregatorName: aggregator }
    )) {
      for (const item of page.AggregateComplianceByConfigRules ?? []) {
        const name = item.ConfigRuleName ?? '';
        const ruleId = ruleIdOfConfigRuleName(name);
        if (!ruleId || !item.AccountId || !item.AwsRegion) continue;
        const entry = {
          configRuleName: name,
          ruleId,
          accountId: item.AccountId,
          region: item.AwsRegion,
        };
        found.set(
          `${name}\u0000${entry.accountId}\u0000${entry.region}`,
          entry
        );
      }
    }
  } catch (error) {
    throw aggregatorError(
      error,
      'config:DescribeAggregateComplianceByConfigRules',
      aggregator,
      caller
    );
  }
  return [...found.values()].sort(byScanOrder);
};

/** One aggregated result as an evaluation, or why it cannot be one. */
const toEvaluation = (
  where: RuleInAccountRegion,
  result: AggregateEvaluationResult
): Evaluation | ScanProblem => {
  const qualifier =
    result.EvaluationResultIdentifier?.EvaluationResultQualifier;
  const resourceId = qualifier?.ResourceId ?? '';
  const resourceType = qualifier?.ResourceType ?? '';
  const complianceType = result.ComplianceType ?? '';
  const place = {
    accountId: result.AccountId ?? where.accountId,
    region: result.AwsRegion ?? where.region,
  };
  if (
    !COMPLIANCE_TYPES.has(complianceType) ||
    !RESOURCE_TYPES.has(resourceType)
  ) {
    return {
      ...place,
      ...(resourceId === '' ? {} : { resourceId }),
      message: `${where.configRuleName}: the aggregator holds ${complianceType || 'no verdict'} for a ${resourceType || 'resource of no type'}, which vpce-guard does not report`,
    };
  }
  const annotation = result.Annotation ?? '';
  return {
    ruleId: where.ruleId,
    ...place,
    resourceType: resourceType as ResourceType,
    resourceId,
    complianceType: complianceType as ComplianceType,
    annotation,
    ...(annotation.startsWith('cannot evaluate:')
      ? { problem: annotation }
      : {}),
  };
};

const isEvaluation = (item: Evaluation | ScanProblem): item is Evaluation =>
  'complianceType' in item;

/** Every resource result of one rule in one account-Region, all pages. */
const resultsOf = async (
  config: ConfigServiceClient,
  aggregator: string,
  caller: string,
  where: RuleInAccountRegion
): Promise<(Evaluation | ScanProblem)[]> => {
  const items: (Evaluation | ScanProblem)[] = [];
  try {
    for await (const page of paginateGetAggregateComplianceDetailsByConfigRule(
      { client: config, pageSize: DETAIL_PAGE_SIZE },
      {
        ConfigurationAggregatorName: aggregator,
        ConfigRuleName: where.configRuleName,
        AccountId: where.accountId,
        AwsRegion: where.region,
      }
    )) {
      for (const result of page.AggregateEvaluationResults ?? []) {
        // Proactive results judge templates before deployment, not resources.
        if (
          result.EvaluationResultIdentifier?.EvaluationResultQualifier
            ?.EvaluationMode === 'PROACTIVE'
        ) {
          continue;
        }
        items.push(toEvaluation(where, result));
      }
    }
  } catch (error) {
    throw aggregatorError(
      error,
      'config:GetAggregateComplianceDetailsByConfigRule',
      aggregator,
      caller
    );
  }
  return items.sort((a, b) =>
    (a.resourceId ?? '').localeCompare(b.resourceId ?? '')
  );
};

/**
 * Reads every vpce-guard result the aggregator holds. A failed call fails
 * the whole read (never a report with holes that looks complete).
 *
 * @param caller - who is calling, for error messages
 * @throws InputError when the aggregator does not exist; AwsCallError
 *   (AccessDeniedError when refused) naming the failed action otherwise
 */
const readAggregatedResults = async (
  config: ConfigServiceClient,
  aggregator: string,
  caller: string
): Promise<AggregatedResults> => {
  const rulesFound = await findRules(config, aggregator, caller);
  const perRule = await mapWithLimit(rulesFound, DETAIL_CONCURRENCY, (where) =>
    resultsOf(config, aggregator, caller, where)
  );
  const items = perRule.flat();
  const evaluations = items.filter(isEvaluation);
  const problems = new Map<string, ScanProblem>();
  // A resource several rules cannot evaluate for one cause is one problem,
  // as in a scan (cli/evaluate.ts).
  for (const problem of [
    ...items.filter((item): item is ScanProblem => !isEvaluation(item)),
    ...evaluations.flatMap((e) =>
      e.problem === undefined
        ? []
        : [
            {
              accountId: e.accountId,
              region: e.region,
              resourceId: e.resourceId,
              message: e.problem,
            },
          ]
    ),
  ]) {
    const key = [
      problem.accountId,
      problem.region,
      problem.resourceId,
      problem.message,
    ].join('\u0000');
    if (!problems.has(key)) problems.set(key, problem);
  }
  return { evaluations, problems: [...problems.values()], rulesFound };
};

export type { AggregatedResults, RuleInAccountRegion };
export { readAggregatedResults };
