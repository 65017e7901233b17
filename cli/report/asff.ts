import { buildFinding } from '../../functions/shared/formats/asff.js';
import type { Evaluation, RuleMetadata } from '../../rules/model/rule.js';
import type { SourcedInventory } from '../evaluate.js';

/**
 * The `--format asff` document: the JSON array of ASFF findings that the
 * Lambda rule would import for these evaluations, each stamped for the
 * account that owns the resource. Without `runbookBaseUrl`, each links to
 * the console page of its rule's SSM Automation document in its Region.
 */
const renderAsff = (
  evaluations: readonly Evaluation[],
  rules: readonly RuleMetadata[],
  inventories: readonly SourcedInventory[],
  runbookBaseUrl: string | undefined,
  now: Date
): string => {
  const inventoryOf = new Map(
    inventories.map(({ inventory }) => [
      `${inventory.accountId}/${inventory.region}`,
      inventory,
    ])
  );
  const ruleOf = new Map(rules.map((rule) => [rule.id, rule]));
  const findings = evaluations.flatMap((evaluation) => {
    const inventory = inventoryOf.get(
      `${evaluation.accountId}/${evaluation.region}`
    );
    const rule = ruleOf.get(evaluation.ruleId);
    if (!inventory || !rule) return [];
    return [
      buildFinding(evaluation, rule, {
        partition: inventory.partition,
        region: inventory.region,
        accountId: inventory.accountId,
        runbookBaseUrl,
        now,
        inventory,
      }),
    ];
  });
  return `${JSON.stringify(findings, null, 2)}\n`;
};

export { renderAsff };
