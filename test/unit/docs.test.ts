import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { rules } from '../../rules/index.js';

const readme = readFileSync('README.md', 'utf8');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
};

describe('README', () => {
  it.each(rules.map((r) => [r.metadata.id, r.metadata] as const))(
    'documents %s with its severity and every parameter',
    (id, metadata) => {
      expect(readme).toContain(`### \`${id}\` (${metadata.severity})`);
      for (const parameter of metadata.parameters) {
        if (parameter.name === 'exemptTagKey') continue;
        expect(readme).toMatch(new RegExp(`\\| \`${parameter.name}\` +\\|`));
      }
    }
  );

  it('documents the common exemptTagKey parameter and its default', () => {
    expect(readme).toContain('`exemptTagKey` (default `vpce-guard:exempt`)');
  });

  it.each(Object.keys(pkg.dependencies))(
    'says why the dependency %s is there',
    (name) => {
      expect(readme).toMatch(
        new RegExp(`\\| \`${name.replace('.', '\\.')}\` +\\|`)
      );
    }
  );

  it('gives the two set-up commands', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test');
  });
});
