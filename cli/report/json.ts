import type { Evaluation } from '../../rules/model/rule.js';
import { summarize } from './summary.js';

/**
 * The `--format json` document: every evaluation, NOT_APPLICABLE ones
 * included, with exactly the keys of DESIGN.md §4, and a summary.
 */
const renderJson = (
  evaluations: readonly Evaluation[],
  ruleIds: readonly string[]
): string => {
  const document = {
    evaluations: evaluations.map((e) => ({
      ruleId: e.ruleId,
      accountId: e.accountId,
      region: e.region,
      resourceType: e.resourceType,
      resourceId: e.resourceId,
      complianceType: e.complianceType,
      annotation: e.annotation,
    })),
    summary: summarize(evaluations, ruleIds),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
};

export { renderJson };
