import type {
  ComplianceType,
  Evaluation,
  NotOwned,
} from '../../rules/model/rule.js';

/** Counts of one set of evaluations by verdict. */
interface Counts {
  compliant: number;
  nonCompliant: number;
  notApplicable: number;
  /** Resources of the rule's type that another account owns (not evaluated). */
  notOwned: number;
}

/** The `summary` object of the JSON report. */
interface Summary {
  readonly evaluations: number;
  readonly compliant: number;
  readonly nonCompliant: number;
  readonly notApplicable: number;
  /** Distinct resources other accounts own, whatever rules they fall under. */
  readonly notOwned: number;
  /** Those resources by owner account. */
  readonly notOwnedBy: Record<string, number>;
  /** Entries of the report's `problems`. */
  readonly problems: number;
  readonly rules: Record<string, Counts>;
  readonly accounts: Record<string, Counts>;
}

const KEY: Readonly<Record<ComplianceType, keyof Counts>> = {
  COMPLIANT: 'compliant',
  NON_COMPLIANT: 'nonCompliant',
  NOT_APPLICABLE: 'notApplicable',
};

const zero = (): Counts => ({
  compliant: 0,
  nonCompliant: 0,
  notApplicable: 0,
  notOwned: 0,
});

const increment = (
  table: Record<string, Counts>,
  name: string,
  key: keyof Counts
): void => {
  const counts = table[name] ?? zero();
  counts[key] += 1;
  table[name] = counts;
};

/** Distinct not-owned resources by owner. */
const ownersOf = (notOwned: readonly NotOwned[]): Record<string, number> => {
  const resources = new Map<string, string>();
  for (const entry of notOwned) {
    resources.set(
      `${entry.accountId}/${entry.region}/${entry.resourceId}`,
      entry.ownerId
    );
  }
  const owners: Record<string, number> = {};
  for (const owner of [...resources.values()].sort()) {
    owners[owner] = (owners[owner] ?? 0) + 1;
  }
  return owners;
};

/**
 * Counts evaluations overall, per rule and per account (`account/region`),
 * and the resources left to their owners.
 *
 * @param ruleIds - rules to list even when they evaluated nothing
 */
const summarize = (
  evaluations: readonly Evaluation[],
  ruleIds: readonly string[],
  notOwned: readonly NotOwned[] = [],
  problems = 0
): Summary => {
  const total = zero();
  const rules: Record<string, Counts> = Object.fromEntries(
    ruleIds.map((id) => [id, zero()])
  );
  const accounts: Record<string, Counts> = {};
  for (const evaluation of evaluations) {
    const key = KEY[evaluation.complianceType];
    total[key] += 1;
    increment(rules, evaluation.ruleId, key);
    increment(accounts, `${evaluation.accountId}/${evaluation.region}`, key);
  }
  for (const entry of notOwned) {
    increment(rules, entry.ruleId, 'notOwned');
    increment(accounts, `${entry.accountId}/${entry.region}`, 'notOwned');
  }
  const notOwnedBy = ownersOf(notOwned);
  return {
    evaluations: evaluations.length,
    compliant: total.compliant,
    nonCompliant: total.nonCompliant,
    notApplicable: total.notApplicable,
    notOwned: Object.values(notOwnedBy).reduce((sum, n) => sum + n, 0),
    notOwnedBy,
    problems,
    rules,
    accounts,
  };
};

/** True when any evaluation is NON_COMPLIANT. */
const hasFailures = (evaluations: readonly Evaluation[]): boolean =>
  evaluations.some((e) => e.complianceType === 'NON_COMPLIANT');

export type { Counts, Summary };
export { hasFailures, summarize };
