import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleFilePath } from '../../rules/files.js';
import { findRule, rules } from '../../rules/index.js';
import { InputError, VpceGuardError } from '../../rules/model/errors.js';
import type { RuleMetadata } from '../../rules/model/rule.js';
import { type CliIo, ExitCode } from '../io.js';
import { findPackageRoot } from '../package-root.js';

/**
 * A registered rule whose reference cannot be read: the installation is
 * incomplete (the file ships with the package), not the user's input.
 */
class RuleReferenceError extends VpceGuardError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RuleReferenceError';
  }
}

const describeRule = (rule: RuleMetadata): string => {
  const parameters = rule.parameters.map(
    (p) =>
      `    ${p.name} (default ${JSON.stringify(p.defaultText)}): ${p.description}\n      expects ${p.expected}`
  );
  return [
    `${rule.id}  [${rule.severity}, ${rule.resourceType}]`,
    `  ${rule.title}`,
    '  parameters:',
    ...parameters,
  ].join('\n');
};

/**
 * `vpce-guard rules`: lists the rules, their parameters and defaults.
 *
 * @param format - `text` for people, `json` for tools
 */
const listRules = (format: 'text' | 'json', io: CliIo): number => {
  if (format === 'json') {
    const document = rules.map(({ metadata: m }) => ({
      id: m.id,
      title: m.title,
      description: m.description,
      severity: m.severity,
      resourceType: m.resourceType,
      parameters: m.parameters.map((p) => ({
        name: p.name,
        default: p.defaultText,
        expected: p.expected,
        description: p.description,
      })),
      resourceKind: m.resourceKind,
      remediation: m.remediation.text,
      runbook: ruleFilePath(m.id, 'runbook'),
    }));
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    io.stdout.write(
      `${rules.map((r) => describeRule(r.metadata)).join('\n\n')}\n`
    );
  }
  return ExitCode.CLEAN;
};

/**
 * The text of a registered rule's reference, read from the package root.
 *
 * @throws RuleReferenceError when the package root or the file is missing
 */
const readReference = (ruleId: string): string => {
  const root = findPackageRoot();
  const relative = ruleFilePath(ruleId, 'reference');
  if (!root) {
    throw new RuleReferenceError(
      `${relative}: the vpce-guard package root (its package.json) was not found`
    );
  }
  const file = join(root.directory, relative);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new RuleReferenceError(`${file}: cannot read (${code})`, {
      cause: error,
    });
  }
};

/**
 * `vpce-guard rules --explain ID`: prints the rule's reference
 * (rules/<id>/README.md) as it is.
 *
 * @throws InputError naming an unknown rule id (exit status 2)
 * @throws RuleReferenceError when the reference cannot be read (exit status 3)
 */
const explainRule = (ruleId: string, io: CliIo): number => {
  if (!findRule(ruleId)) {
    throw new InputError(
      `--explain: unknown rule ${JSON.stringify(ruleId)} (known: ${rules.map((r) => r.metadata.id).join(', ')})`
    );
  }
  io.stdout.write(readReference(ruleId));
  return ExitCode.CLEAN;
};

export { explainRule, listRules, RuleReferenceError };
