import type { ScanResult } from '../evaluate.js';
import { summarizeOrganization } from './organization.js';
import { summarize } from './summary.js';

/**
 * The `--format json` document: every evaluation, NOT_APPLICABLE ones
 * included, with exactly the keys of README "The command"; a summary; and
 * the problems (what could not be evaluated, and account-regions that
 * could not be loaded, which carry no `resourceId`). A report that covers
 * an organization also has `organization`: per account and per rule, worst
 * first (cli/report/organization.ts).
 */
const renderJson = (result: ScanResult, ruleIds: readonly string[]): string => {
  const document = {
    evaluations: result.evaluations.map((e) => ({
      ruleId: e.ruleId,
      accountId: e.accountId,
      region: e.region,
      resourceType: e.resourceType,
      resourceId: e.resourceId,
      complianceType: e.complianceType,
      annotation: e.annotation,
    })),
    summary: summarize(
      result.evaluations,
      ruleIds,
      result.notOwned,
      result.problems.length
    ),
    ...(result.organization === undefined
      ? {}
      : {
          organization: summarizeOrganization(
            result,
            ruleIds,
            result.organization
          ),
        }),
    problems: result.problems.map((p) => ({
      ...(p.accountId === undefined ? {} : { accountId: p.accountId }),
      ...(p.region === undefined ? {} : { region: p.region }),
      ...(p.resourceId === undefined ? {} : { resourceId: p.resourceId }),
      message: p.message,
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
};

export { renderJson };
