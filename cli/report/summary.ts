import type { ComplianceType, Evaluation } from '../../rules/model/rule.js';

/** Counts of one set of evaluations by verdict. */
interface Counts {
  compliant: number;
  nonCompliant: number;
  notApplicable: number;
}

/** The `summary` object of the JSON report. */
interface Summary extends Counts {
  readonly evaluations: number;
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

/**
 * Counts evaluations overall, per rule and per account (`account/region`).
 *
 * @param ruleIds - rules to list even when they evaluated nothing
 */
const summarize = (
  evaluations: readonly Evaluation[],
  ruleIds: readonly string[]
): Summary => {
  const total = zero();
  const rules: Record<string, Counts> = Object.fromEntries(
    ruleIds.map((id) => [id, zero()])
  );
  const accounts: Record<string, Counts> = {};
  for (const evaluation of evaluations) {
    const key = KEY[evaluation.complianceType];
    const account = `${evaluation.accountId}/${evaluation.region}`;
    total[key] += 1;
    increment(rules, evaluation.ruleId, key);
    increment(accounts, account, key);
  }
  return { evaluations: evaluations.length, ...total, rules, accounts };
};

/** True when any evaluation is NON_COMPLIANT. */
const hasFailures = (evaluations: readonly Evaluation[]): boolean =>
  evaluations.some((e) => e.complianceType === 'NON_COMPLIANT');

export type { Counts, Summary };
export { hasFailures, summarize };
