import type { Rule } from '../rules/model/rule.js';
import { InvalidContextError } from './settings.js';

/** IAM's limit on a role name. */
const MAX_ROLE_NAME = 64;

/** A rule id in PascalCase, for construct ids and document names. */
const pascalCase = (ruleId: string): string =>
  ruleId
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/**
 * The fixed name of an organization function's role in one Region. Member
 * roles trust these names, so they cannot be generated.
 *
 * @throws InvalidContextError when the name would exceed IAM's 64 characters
 */
const centralRoleName = (rule: Rule, region: string): string => {
  const name = `vpce-guard-${rule.metadata.id}-${region}`;
  // A token stands for the deploying Region; size it as the longest one.
  const length = region.startsWith('${Token')
    ? name.length - region.length + 'ap-southeast-7'.length
    : name.length;
  if (length > MAX_ROLE_NAME) {
    throw new InvalidContextError(
      `rule ${rule.metadata.id}: role name ${name} is longer than ${MAX_ROLE_NAME} characters`
    );
  }
  return name;
};

/**
 * What a member role trusts for a rule: its function role in any Region
 * (`vpce-guard-<rule-id>-*`, the names {@link centralRoleName} gives). One
 * pattern per rule keeps the trust policy the same size however many
 * Regions are deployed; naming each Region's role would pass IAM's
 * 2,048-character trust-policy limit at four Regions.
 */
const centralRoleNamePattern = (rule: Rule): string =>
  `vpce-guard-${rule.metadata.id}-*`;

export { centralRoleName, centralRoleNamePattern, pascalCase };
