import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ruleFilePath } from '../../../rules/files.js';
import { rules } from '../../../rules/index.js';
import { runCli } from '../../helpers/cli.js';

const ruleIds = rules.map((rule) => rule.metadata.id);

describe('vpce-guard rules --explain', () => {
  it.each(ruleIds)('prints the reference of %s as it is', async (id) => {
    // Arrange
    const reference = readFileSync(ruleFilePath(id, 'reference'), 'utf8');

    // Act
    const result = await runCli('rules', '--explain', id);

    // Assert
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(reference);
  });

  it('keeps each rule reference under rules/<id>/README.md', () => {
    // Act
    const paths = ruleIds.map((id) => ruleFilePath(id, 'reference'));

    // Assert
    expect(paths).toEqual(ruleIds.map((id) => `rules/${id}/README.md`));
  });

  it.each([
    ['an unknown id', 'no-such-rule'],
    ['a rule id in another case', 'Interface-Endpoint-Multi-Az'],
    ['an empty id', ''],
  ])('rejects %s with exit status 2 and one line', async (_label, id) => {
    // Act
    const result = await runCli('rules', '--explain', id);

    // Assert
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      `vpce-guard: --explain: unknown rule ${JSON.stringify(id)} (known: ${ruleIds.join(', ')})`,
    ]);
  });

  it('refuses --explain together with --format', async () => {
    // Act
    const result = await runCli(
      'rules',
      '--explain',
      'interface-endpoint-multi-az',
      '--format',
      'json'
    );

    // Assert
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("'--explain <id>' cannot be used with");
  });
});
