/**
 * The files of a rule's folder, `rules/<id>/`, relative to the repository
 * root. Only their names are fixed here (rules/ does no I/O): infra reads
 * the remediation document, the CLI prints the reference, and findings link
 * to the runbook.
 */

/** The files every rule folder holds besides its code. */
const RULE_FILES = {
  /** What the rule decides, case by case, with the AWS facts behind it. */
  reference: 'README.md',
  /** What to do about a failure, step by step. */
  runbook: 'runbook.md',
  /** The SSM Automation document that fixes a failure. */
  remediation: 'remediation.yaml',
} as const;

/** One of {@link RULE_FILES}. */
type RuleFile = keyof typeof RULE_FILES;

/**
 * The path of one file of a rule's folder, relative to the repository root.
 *
 * @example ruleFilePath('interface-endpoint-multi-az', 'runbook')
 * // 'rules/interface-endpoint-multi-az/runbook.md'
 */
const ruleFilePath = (ruleId: string, file: RuleFile): string =>
  `rules/${ruleId}/${RULE_FILES[file]}`;

export type { RuleFile };
export { RULE_FILES, ruleFilePath };
