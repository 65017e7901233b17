import type { Inventory } from '../rules/model/inventory.js';
import type {
  Evaluation,
  NotOwned,
  PreparedRule,
} from '../rules/model/rule.js';
import type { OrganizationScope } from './report/organization.js';

/** An inventory with the name of where it came from, for messages. */
interface SourcedInventory {
  readonly source: string;
  readonly inventory: Inventory;
}

/**
 * Something a scan could not decide: a resource the rules report as
 * `cannot evaluate`, an input item no rule could use, or (without
 * `resourceId`) a whole account-region that could not be loaded.
 */
interface ScanProblem {
  readonly accountId?: string;
  readonly region?: string;
  readonly resourceId?: string;
  readonly message: string;
}

/** What a scan found, for every report format. */
interface ScanResult {
  readonly evaluations: readonly Evaluation[];
  /** Resources of the rules' types that other accounts own (shared VPCs). */
  readonly notOwned: readonly NotOwned[];
  readonly problems: readonly ScanProblem[];
  /** The account-regions that were loaded, in input order. */
  readonly inventories: readonly SourcedInventory[];
  /**
   * Set when the report covers an organization (`scan --organization`,
   * `report --aggregator`): the reports then add an organization summary.
   */
  readonly organization?: OrganizationScope;
}

/**
 * The problems of one inventory: its unusable items, then its resources'
 * `cannot evaluate` causes, each once however many rules hit it.
 */
const problemsOf = (
  inventory: Inventory,
  evaluations: readonly Evaluation[]
): ScanProblem[] => {
  const where = { accountId: inventory.accountId, region: inventory.region };
  const seen = new Set<string>();
  const problems: ScanProblem[] = [];
  const add = (problem: ScanProblem): void => {
    const key = `${problem.resourceId ?? ''}\n${problem.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(problem);
  };
  for (const problem of inventory.problems) add({ ...where, ...problem });
  for (const evaluation of evaluations) {
    if (evaluation.problem !== undefined) {
      add({
        ...where,
        resourceId: evaluation.resourceId,
        message: evaluation.problem,
      });
    }
  }
  return problems;
};

/**
 * Runs every prepared rule over every inventory. The order is stable: rules
 * in registry order, then inventories in input order, then resource ids.
 * Nothing in an inventory can fail the scan: what a rule cannot decide is
 * a `cannot evaluate` verdict and a problem.
 *
 * @param failed - account-regions that could not be loaded, reported first
 */
const evaluateAll = (
  prepared: readonly PreparedRule[],
  inventories: readonly SourcedInventory[],
  failed: readonly ScanProblem[] = []
): ScanResult => {
  const byInventory = inventories.map(({ inventory }) =>
    prepared.map((rule) => rule.evaluate(inventory))
  );
  const evaluations = prepared.flatMap((_, r) =>
    byInventory.flatMap((perRule) => perRule[r] ?? [])
  );
  const notOwned = prepared.flatMap((rule) =>
    inventories.flatMap(({ inventory }) => rule.notOwned(inventory))
  );
  const problems = [
    ...failed,
    ...inventories.flatMap(({ inventory }, i) =>
      problemsOf(inventory, (byInventory[i] ?? []).flat())
    ),
  ];
  return { evaluations, notOwned, problems, inventories };
};

export type { ScanProblem, ScanResult, SourcedInventory };
export { evaluateAll };
