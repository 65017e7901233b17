import type { Rule } from '../rules/model/rule.js';
import { type DeploymentSettings, InvalidContextError } from './settings.js';

/** Config's limit on `InputParameters` of an organization rule (a string). */
const MAX_ORGANIZATION_INPUT_PARAMETERS = 1024;

/** Config's limit on an organization rule name. */
const MAX_ORGANIZATION_RULE_NAME = 64;

/** Config's limit on a rule description (account and organization rules). */
const MAX_DESCRIPTION = 256;

const ELLIPSIS = '…';

/**
 * `text` cut to `max` characters at the last word boundary, ending with `…`
 * so a reader sees it was cut, never mid-word.
 */
const fitText = (text: string, max: number): string => {
  if (text.length <= max) return text;
  const room = text.slice(0, max - ELLIPSIS.length + 1);
  const boundary = room.lastIndexOf(' ');
  const cut = boundary > 0 ? room.slice(0, boundary) : room.slice(0, -1);
  return `${cut.replace(/[\s,;:.–—-]+$/u, '')}${ELLIPSIS}`;
};

/** A rule's description as Config takes it. */
const configDescriptionOf = (rule: Rule): string =>
  fitText(rule.metadata.description, MAX_DESCRIPTION);

/** The Config rule name of a rule: stable, users put it in dashboards. */
const configRuleName = (rule: Rule): string => `vpce-guard-${rule.metadata.id}`;

/** One `SourceDetails` entry of an `AWS::Config::ConfigRule`. */
interface SourceDetail {
  readonly eventSource: 'aws.config';
  readonly messageType: string;
  readonly maximumExecutionFrequency?: string;
}

/**
 * What makes Config invoke a rule: a change to one of its resource types
 * (oversized items included; the function reads them back from the
 * history) and a periodic run, which is the one that sees resources whose
 * change Config did not record and cleans up stale evaluations.
 */
const sourceDetailsOf = (settings: DeploymentSettings): SourceDetail[] => [
  {
    eventSource: 'aws.config',
    messageType: 'ConfigurationItemChangeNotification',
  },
  {
    eventSource: 'aws.config',
    messageType: 'OversizedConfigurationItemChangeNotification',
  },
  {
    eventSource: 'aws.config',
    messageType: 'ScheduledNotification',
    maximumExecutionFrequency: settings.periodicFrequency,
  },
];

/** The same triggers, in `OrganizationCustomRuleMetadata`'s vocabulary. */
const ORGANIZATION_TRIGGER_TYPES = [
  'ConfigurationItemChangeNotification',
  'OversizedConfigurationItemChangeNotification',
  'ScheduledNotification',
] as const;

/**
 * A rule's `InputParameters` from context (empty when none were given).
 * With `findingsSource` config the functions import nothing: `securityHub`
 * is `false`, in the parameters Config shows, so anyone reading the rule
 * sees why.
 */
const inputParametersOf = (
  rule: Rule,
  settings: DeploymentSettings
): Record<string, string> => ({
  ...settings.ruleParameters[rule.metadata.id],
  ...(settings.findingsSource === 'config' ? { securityHub: 'false' } : {}),
});

/**
 * An organization rule's `InputParameters`: the rule's own plus
 * `ExecutionRoleName`, as the JSON string Config stores.
 *
 * @throws InvalidContextError when it exceeds Config's 1024 characters
 */
const organizationInputParametersOf = (
  rule: Rule,
  settings: DeploymentSettings
): string => {
  const text = JSON.stringify({
    ...inputParametersOf(rule, settings),
    ExecutionRoleName: settings.memberRoleName,
  });
  if (text.length > MAX_ORGANIZATION_INPUT_PARAMETERS) {
    throw new InvalidContextError(
      `context ruleParameters.${rule.metadata.id}: the organization rule's InputParameters are ${text.length} characters; Config accepts at most ${MAX_ORGANIZATION_INPUT_PARAMETERS}`
    );
  }
  return text;
};

/**
 * The organization rule name of a rule.
 *
 * @throws InvalidContextError when it exceeds Config's 64 characters
 */
const organizationRuleName = (rule: Rule): string => {
  const name = configRuleName(rule);
  if (name.length > MAX_ORGANIZATION_RULE_NAME) {
    throw new InvalidContextError(
      `rule ${rule.metadata.id}: organization rule name ${name} is longer than ${MAX_ORGANIZATION_RULE_NAME} characters`
    );
  }
  return name;
};

export type { SourceDetail };
export {
  configDescriptionOf,
  configRuleName,
  fitText,
  inputParametersOf,
  ORGANIZATION_TRIGGER_TYPES,
  organizationInputParametersOf,
  organizationRuleName,
  sourceDetailsOf,
};
