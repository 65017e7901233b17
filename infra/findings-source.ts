/**
 * Which findings Security Hub CSPM shows for the rules, and how to tell
 * the AWS Config integration's findings of a rule from everything else.
 * Pure: the stacks (infra/insights.ts, infra/config-findings.ts) turn these
 * decisions into resources, and test/infra checks them.
 *
 * The Config integration sends a finding for every evaluation of every
 * custom rule, with `ProductName` `Config`, `CompanyName` `AWS` and the
 * Config rule's name as `Title` (its `GeneratorId` is the rule's ARN, which
 * holds a generated id, not the name). An organization rule runs in each
 * member account as a rule named `OrgConfigRule-<name>-<suffix>`, and a rule
 * of a conformance pack as `<name>-conformance-pack-<suffix>`.
 */
import type { Rule } from '../rules/model/rule.js';
import { configRuleName, organizationRuleName } from './config-rules.js';
import type { DeploymentSettings } from './settings.js';

/** A Security Hub string filter, in the CDK's property casing. */
interface StringFilter {
  comparison: 'EQUALS' | 'PREFIX';
  value: string;
}

/** Filters on the product the Config integration's findings carry. */
const configProduct = (): {
  productName: StringFilter[];
  companyName: StringFilter[];
} => ({
  productName: [{ comparison: 'EQUALS', value: 'Config' }],
  companyName: [{ comparison: 'EQUALS', value: 'AWS' }],
});

/**
 * Whether `rule`'s functions import findings in this deployment: with
 * `findingsSource` vpce-guard, unless the rule parameter `securityHub` is
 * false for it.
 */
const importsFindings = (rule: Rule, settings: DeploymentSettings): boolean =>
  settings.findingsSource === 'vpce-guard' &&
  rule.prepare(settings.ruleParameters[rule.metadata.id] ?? {}).parameters
    .securityHub !== false;

/** The rules whose functions import findings into Security Hub CSPM. */
const importingRules = (
  rules: readonly Rule[],
  settings: DeploymentSettings
): Rule[] => rules.filter((rule) => importsFindings(rule, settings));

/**
 * The rules whose Config-integration findings an automation rule
 * suppresses: those vpce-guard imports its own findings for, so that each
 * resource shows once. None when `suppressConfigFindings` is off (a member
 * account, whose administrator's rule covers it).
 */
const suppressedRules = (
  rules: readonly Rule[],
  settings: DeploymentSettings
): Rule[] =>
  settings.suppressConfigFindings ? importingRules(rules, settings) : [];

/**
 * The `Title` filters that match the Config integration's findings of
 * `rule`: its account rule's name exactly, and the names its organization
 * rule gets in member accounts (`OrgConfigRule-<name>-<suffix>`). The
 * trailing `-` keeps one rule's prefix from matching a rule whose id merely
 * starts with the same words.
 */
const configFindingTitles = (rule: Rule): StringFilter[] => [
  { comparison: 'EQUALS', value: configRuleName(rule) },
  {
    comparison: 'PREFIX',
    value: `OrgConfigRule-${organizationRuleName(rule)}-`,
  },
  // A conformance pack (context deployAs) deploys the rule under its name
  // with `-conformance-pack-<suffix>` appended.
  {
    comparison: 'PREFIX',
    value: `${configRuleName(rule)}-conformance-pack-`,
  },
];

/**
 * The criteria of the automation rule that suppresses `rule`'s findings
 * from the Config integration: Config's product and the rule's names.
 */
const suppressionCriteria = (
  rule: Rule
): Record<'productName' | 'companyName' | 'title', StringFilter[]> => ({
  ...configProduct(),
  title: configFindingTitles(rule),
});

/** The note the suppressed finding carries: where to look instead. */
const suppressionNote = (rule: Rule): string =>
  `Suppressed by vpce-guard: its own finding for this resource carries the details and the runbook link. Look for GeneratorId vpce-guard/${rule.metadata.id} (finding Id vpce-guard/${rule.metadata.id}/<Region>/<resource id>).`;

export type { StringFilter };
export {
  configFindingTitles,
  configProduct,
  importingRules,
  importsFindings,
  suppressedRules,
  suppressionCriteria,
  suppressionNote,
};
