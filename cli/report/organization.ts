import { findRule } from '../../rules/index.js';
import type {
  ComplianceType,
  Evaluation,
  Severity,
} from '../../rules/model/rule.js';
import type { ScanProblem, ScanResult } from '../evaluate.js';

/** An account of the organization, as the report names it. */
interface ScopeAccount {
  readonly id: string;
  /** The account's name in AWS Organizations, when known. */
  readonly name?: string;
}

/**
 * What a report covers when it covers an organization: set by `scan
 * --organization` (the ACTIVE accounts it scanned) and by `report
 * --aggregator` (the accounts the aggregator holds results for).
 */
interface OrganizationScope {
  /** Where the results come from, e.g. `AWS Organizations o-a1b2c3d4e5`. */
  readonly source: string;
  /** Every account in scope, also those with no result (not loaded). */
  readonly accounts: readonly ScopeAccount[];
  /** The Regions in scope. */
  readonly regions: readonly string[];
}

/** One account's line of the organization summary. */
interface AccountSummary {
  readonly accountId: string;
  readonly name?: string;
  readonly nonCompliant: number;
  readonly compliant: number;
  readonly notApplicable: number;
  /** Regions with results (scanned, or reported to the aggregator). */
  readonly regions: readonly string[];
  /** Regions that could not be loaded: their results are unknown. */
  readonly notLoaded: readonly string[];
  /**
   * Rules with a NON_COMPLIANT resource in the account, worst first: most
   * failures in the account, then severity, then id.
   */
  readonly failingRules: readonly string[];
}

/** One rule's line of the organization summary. */
interface RuleSummary {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly nonCompliant: number;
  readonly compliant: number;
  readonly notApplicable: number;
  /** Accounts with at least one NON_COMPLIANT resource under the rule. */
  readonly accountsFailing: number;
}

/** The organization summary every report format shows, worst first. */
interface OrganizationSummary {
  readonly source: string;
  readonly regions: readonly string[];
  /** Worst first: most NON_COMPLIANT, then most Regions not loaded. */
  readonly accounts: readonly AccountSummary[];
  /** Worst first: most NON_COMPLIANT, then the higher severity. */
  readonly rules: readonly RuleSummary[];
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  CRITICAL: 0,
  HIGH: 1,
  MEDIUM: 2,
  LOW: 3,
};

const KEY: Readonly<
  Record<ComplianceType, 'nonCompliant' | 'compliant' | 'notApplicable'>
> = {
  NON_COMPLIANT: 'nonCompliant',
  COMPLIANT: 'compliant',
  NOT_APPLICABLE: 'notApplicable',
};

interface Tally {
  nonCompliant: number;
  compliant: number;
  notApplicable: number;
}

const tallyOf = (evaluations: readonly Evaluation[]): Tally => {
  const tally: Tally = { nonCompliant: 0, compliant: 0, notApplicable: 0 };
  for (const evaluation of evaluations) {
    tally[KEY[evaluation.complianceType]] += 1;
  }
  return tally;
};

const groupBy = <T>(
  items: readonly T[],
  keyOf: (item: T) => string
): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
};

/** An account-region that could not be loaded at all (no resource named). */
const isUnloaded = (
  problem: ScanProblem
): problem is ScanProblem & { accountId: string; region: string } =>
  problem.resourceId === undefined &&
  problem.accountId !== undefined &&
  problem.region !== undefined;

const sorted = (values: Iterable<string>): string[] =>
  [...new Set(values)].sort();

/** Rules worst first: most NON_COMPLIANT, then severity, then id. */
const byWorstRule = (a: RuleSummary, b: RuleSummary): number =>
  b.nonCompliant - a.nonCompliant ||
  SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
  a.ruleId.localeCompare(b.ruleId);

/**
 * Accounts worst first: most NON_COMPLIANT, then most Regions not loaded
 * (a blind spot ranks above a clean account), then id.
 */
const byWorstAccount = (a: AccountSummary, b: AccountSummary): number =>
  b.nonCompliant - a.nonCompliant ||
  b.notLoaded.length - a.notLoaded.length ||
  a.accountId.localeCompare(b.accountId);

// Every id here comes from the registry; LOW only satisfies the type.
const severityOf = (ruleId: string): Severity =>
  findRule(ruleId)?.metadata.severity ?? 'LOW';

const ruleSummaries = (
  evaluations: readonly Evaluation[],
  ruleIds: readonly string[]
): RuleSummary[] => {
  const byRule = groupBy(evaluations, (e) => e.ruleId);
  return ruleIds
    .map((ruleId) => {
      const own = byRule.get(ruleId) ?? [];
      return {
        ruleId,
        severity: severityOf(ruleId),
        ...tallyOf(own),
        accountsFailing: new Set(
          own
            .filter((e) => e.complianceType === 'NON_COMPLIANT')
            .map((e) => e.accountId)
        ).size,
      };
    })
    .sort(byWorstRule);
};

/** The rules failing in one account's evaluations, worst first. */
const failingRulesOf = (evaluations: readonly Evaluation[]): string[] =>
  [
    ...groupBy(
      evaluations.filter((e) => e.complianceType === 'NON_COMPLIANT'),
      (e) => e.ruleId
    ),
  ]
    .sort(
      ([a, failuresA], [b, failuresB]) =>
        failuresB.length - failuresA.length ||
        SEVERITY_RANK[severityOf(a)] - SEVERITY_RANK[severityOf(b)] ||
        a.localeCompare(b)
    )
    .map(([ruleId]) => ruleId);

const accountSummary = (
  account: ScopeAccount,
  evaluations: readonly Evaluation[],
  loadedRegions: readonly string[],
  notLoaded: readonly string[]
): AccountSummary => {
  const failing = failingRulesOf(evaluations);
  return {
    accountId: account.id,
    ...(account.name === undefined ? {} : { name: account.name }),
    ...tallyOf(evaluations),
    regions: sorted([...loadedRegions, ...evaluations.map((e) => e.region)]),
    notLoaded: sorted(notLoaded),
    failingRules: failing,
  };
};

/**
 * The organization summary of a report: per account and per rule, the
 * verdict counts, worst first; per account also the Regions that could not
 * be loaded, whose verdicts are unknown.
 *
 * @param ruleIds - the rules that ran, in registry order
 */
const summarizeOrganization = (
  result: ScanResult,
  ruleIds: readonly string[],
  scope: OrganizationScope
): OrganizationSummary => {
  const byRule = ruleSummaries(result.evaluations, ruleIds);
  const evaluationsOf = groupBy(result.evaluations, (e) => e.accountId);
  const loadedOf = groupBy(
    result.inventories.map(({ inventory }) => inventory),
    (inventory) => inventory.accountId
  );
  const unloadedOf = groupBy(
    result.problems.filter(isUnloaded),
    (problem) => problem.accountId
  );
  // Accounts only the results name (an aggregator's) are listed too.
  const accounts = new Map(scope.accounts.map((a) => [a.id, a]));
  for (const id of [...evaluationsOf.keys(), ...unloadedOf.keys()]) {
    if (!accounts.has(id)) accounts.set(id, { id });
  }
  const byAccount = [...accounts.values()]
    .map((account) =>
      accountSummary(
        account,
        evaluationsOf.get(account.id) ?? [],
        (loadedOf.get(account.id) ?? []).map((inventory) => inventory.region),
        (unloadedOf.get(account.id) ?? []).map((problem) => problem.region)
      )
    )
    .sort(byWorstAccount);
  return {
    source: scope.source,
    regions: [...scope.regions],
    accounts: byAccount,
    rules: byRule,
  };
};

export type {
  AccountSummary,
  OrganizationScope,
  OrganizationSummary,
  RuleSummary,
  ScopeAccount,
};
export { summarizeOrganization };
