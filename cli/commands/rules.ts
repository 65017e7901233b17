import { ruleFilePath } from '../../rules/files.js';
import { rules } from '../../rules/index.js';
import type { RuleMetadata } from '../../rules/model/rule.js';
import { type CliIo, ExitCode } from '../io.js';

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

export { listRules };
