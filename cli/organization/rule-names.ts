/**
 * Which vpce-guard rule a Config rule name belongs to. The stacks name
 * each rule `vpce-guard-<rule id>` (infra/config-rules.ts,
 * `configRuleName`); AWS Config then names the rules it creates from an
 * organization rule `OrgConfigRule-<name>-<suffix>` in each member, and
 * those of a conformance pack `<name>-conformance-pack-<suffix>`, where
 * the suffix is a generated run of letters and digits.
 */
import { rules } from '../../rules/index.js';

/** The prefix the stacks give every vpce-guard Config rule. */
const CONFIG_RULE_PREFIX = 'vpce-guard-';

const ORGANIZATION_PREFIX = 'OrgConfigRule-';
const CONFORMANCE_PACK_INFIX = '-conformance-pack-';
const GENERATED_SUFFIX = /^[A-Za-z0-9]+$/u;

/** Whether `name` is `prefix` followed by a generated suffix alone. */
const isPrefixPlusSuffix = (name: string, prefix: string): boolean =>
  name.startsWith(prefix) && GENERATED_SUFFIX.test(name.slice(prefix.length));

/**
 * The vpce-guard rule id of a Config rule name, in any of the three forms
 * (account stack, organization rule, conformance pack); `undefined` for
 * any other rule. A generated suffix never holds a hyphen, so one rule id
 * that begins another cannot be mistaken for it.
 */
const ruleIdOfConfigRuleName = (name: string): string | undefined => {
  for (const rule of rules) {
    const base = `${CONFIG_RULE_PREFIX}${rule.metadata.id}`;
    if (
      name === base ||
      isPrefixPlusSuffix(name, `${ORGANIZATION_PREFIX}${base}-`) ||
      isPrefixPlusSuffix(name, `${base}${CONFORMANCE_PACK_INFIX}`)
    ) {
      return rule.metadata.id;
    }
  }
  return undefined;
};

export { CONFIG_RULE_PREFIX, ruleIdOfConfigRuleName };
