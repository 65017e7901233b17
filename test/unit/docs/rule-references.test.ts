import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ruleFilePath } from '../../../rules/files.js';
import { rules } from '../../../rules/index.js';
import type { RuleMetadata } from '../../../rules/model/rule.js';
import { headingsOf } from '../../helpers/runbook-markdown.js';

/**
 * The sections every rule reference has, in this order, so that a reader
 * can compare rules section by section.
 */
const COMMON_HEADINGS = [
  '## Scope',
  '## How it decides',
  '## Verdicts and annotations',
  '## Cannot evaluate',
  '## Parameters',
  '## Exemption tag and common parameters',
  '## Shared VPCs',
  '## AWS facts',
  '## Known limits',
];

const AWS_DOCS_LINK = /\]\((https:\/\/docs\.aws\.amazon\.com\/[^)\s]+)\)/g;

const referenceOf = (id: string): string =>
  readFileSync(ruleFilePath(id, 'reference'), 'utf8');

/** The text of one `## ` section, up to the next `## ` heading. */
const sectionOf = (markdown: string, heading: string): string => {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start === -1) return '';
  const end = markdown.indexOf('\n## ', start + heading.length + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
};

const ruleTable = rules.map((r) => [r.metadata.id, r.metadata] as const);

/** Rule folders under rules/ (everything but the shared model). */
const ruleFolders = readdirSync('rules', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'model')
  .map((entry) => entry.name)
  .sort();

describe('rule references (rules/<id>/README.md)', () => {
  it.each(ruleFolders)('rules/%s/ has a README.md', (folder) => {
    // Act
    const found = existsSync(ruleFilePath(folder, 'reference'));

    // Assert
    expect(found).toBe(true);
  });

  it.each(ruleTable)(
    '%s has the common headings, in order, and no other level-2 heading',
    (id) => {
      // Arrange
      const headings = headingsOf(referenceOf(id));

      // Act
      const title = headings[0];
      const sections = headings.filter((h) => h.startsWith('## '));

      // Assert
      expect(title).toBe(`# \`${id}\``);
      expect(sections).toEqual(COMMON_HEADINGS);
    }
  );

  it.each(ruleTable)(
    '%s links the AWS documentation behind its decisions',
    (id) => {
      // Arrange
      const facts = sectionOf(referenceOf(id), '## AWS facts');

      // Act
      const links = [...facts.matchAll(AWS_DOCS_LINK)].map((m) => m[1]);

      // Assert
      expect(links.length).toBeGreaterThanOrEqual(1);
      for (const link of links) expect(link).toMatch(/^https:\/\/[^ ]+$/);
    }
  );

  it.each(ruleTable)(
    '%s states its severity and resource type',
    (_id, metadata: RuleMetadata) => {
      // Arrange
      const reference = referenceOf(metadata.id);

      // Act
      const header = reference.slice(0, reference.indexOf('\n## '));

      // Assert
      expect(header).toMatch(
        new RegExp(`\\| Severity +\\| ${metadata.severity} `)
      );
      expect(header).toContain(`\`${metadata.resourceType}\``);
    }
  );

  it.each(ruleTable)(
    '%s documents each of its parameters with its default',
    (_id, metadata: RuleMetadata) => {
      // Arrange
      const reference = referenceOf(metadata.id);
      const parameters = [
        sectionOf(reference, '## Parameters'),
        sectionOf(reference, '## Exemption tag and common parameters'),
      ].join('\n');

      // Act
      const rows = metadata.parameters.map((p) => ({
        name: p.name,
        row: parameters
          .split('\n')
          .find((line) => line.startsWith(`| \`${p.name}\` `)),
        defaultText: p.defaultText === '' ? '(none)' : `\`${p.defaultText}\``,
      }));

      // Assert
      for (const { name, row, defaultText } of rows) {
        expect({ name, row }).toEqual({ name, row: expect.any(String) });
        expect(row).toContain(defaultText);
      }
    }
  );

  it.each(ruleTable)(
    '%s quotes the exact error of an invalid value of each parameter',
    (_id, metadata: RuleMetadata) => {
      // Arrange
      const reference = referenceOf(metadata.id);

      // Act
      const quoted = metadata.parameters.map((p) => ({
        name: p.name,
        quoted: reference.includes(
          `${metadata.id}: parameter ${p.name}: expected ${p.expected}, got `
        ),
      }));

      // Assert
      expect(quoted).toEqual(
        metadata.parameters.map((p) => ({ name: p.name, quoted: true }))
      );
    }
  );
});
