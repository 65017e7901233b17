import { describe, expect, it } from '@jest/globals';
import type { SourcedInventory } from '../../../cli/evaluate.js';
import { renderHtml } from '../../../cli/report/html.js';
import { rules } from '../../../rules/index.js';
import type { Evaluation } from '../../../rules/model/rule.js';
import { loadInventories } from '../../helpers/example.js';

const BASE = 'https://runbooks.example.test';
const GENERATED_AT = new Date('2024-05-01T12:00:00Z');
const VOID_ELEMENTS = new Set(['meta', 'br', 'hr', 'img', 'link', 'input']);
const metadata = rules.map((rule) => rule.metadata);

const escapeExpected = (text: string): string =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

/** The problems with tag nesting: unclosed, stray or misordered tags. */
const tagProblems = (html: string): string[] => {
  const problems: string[] = [];
  const stack: string[] = [];
  for (const match of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/gu)) {
    const [, slash, rawName] = match;
    const name = (rawName ?? '').toLowerCase();
    if (slash === '') {
      if (!VOID_ELEMENTS.has(name)) stack.push(name);
    } else if (stack.pop() !== name) {
      problems.push(`</${name}> at ${match.index}`);
    }
  }
  return [...problems, ...stack.map((name) => `<${name}> not closed`)];
};

const load = async (): Promise<{
  inventories: SourcedInventory[];
  evaluations: Evaluation[];
}> => {
  const inventories = await loadInventories();
  const evaluations = rules.flatMap((rule) =>
    inventories.flatMap(({ inventory }) => rule.prepare({}).evaluate(inventory))
  );
  return { inventories, evaluations };
};

const render = (
  evaluations: readonly Evaluation[],
  inventories: readonly SourcedInventory[]
): string =>
  renderHtml(
    { evaluations, inventories, notOwned: [], problems: [] },
    metadata,
    BASE,
    GENERATED_AT
  );

describe('renderHtml', () => {
  it('renders a well-formed HTML5 document', async () => {
    // Arrange
    const { evaluations, inventories } = await load();

    // Act
    const html = render(evaluations, inventories);

    // Assert
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<title>');
    expect(html).toContain(GENERATED_AT.toISOString());
    expect(tagProblems(html)).toEqual([]);
    const hasPublic = evaluations.some((e) =>
      e.annotation.startsWith('public subnet')
    );
    expect(html.includes('<td>public</td>')).toBe(hasPublic);
  });

  it('lists every failing resource with its annotation and runbook link', async () => {
    // Arrange
    const { evaluations, inventories } = await load();
    const failures = evaluations.filter(
      (e) => e.complianceType === 'NON_COMPLIANT'
    );

    // Act
    const html = render(evaluations, inventories);

    // Assert
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(html).toContain(escapeExpected(failure.resourceId));
      expect(html).toContain(escapeExpected(failure.annotation));
      expect(html).toContain(
        `href="${escapeExpected(`${BASE}/rules/${failure.ruleId}/runbook.md`)}"`
      );
    }
  });

  it('contains no scripts and no URL other than runbook links', async () => {
    // Arrange
    const { evaluations, inventories } = await load();

    // Act
    const html = render(evaluations, inventories);

    // Assert
    expect(html.toLowerCase()).not.toContain('<script');
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<>]*/gu)].map((m) => m[0]);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url.startsWith(`${BASE}/`)).toBe(true);
  });

  it('escapes markup in annotations', async () => {
    // Arrange
    const { evaluations, inventories } = await load();
    const [first, ...rest] = evaluations;
    if (!first) throw new Error('no evaluations');
    const hostile: Evaluation = {
      ...first,
      complianceType: 'NON_COMPLIANT',
      annotation: `<script>alert(1)</script> & "quotes" 'too'`,
    };

    // Act
    const html = render([hostile, ...rest], inventories);

    // Assert
    expect(html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;too&#39;'
    );
    expect(html.toLowerCase()).not.toContain('<script');
    expect(tagProblems(html)).toEqual([]);
  });

  it('puts failing rows before passing rows in every table of a VPC section', async () => {
    // Arrange
    const { evaluations, inventories } = await load();

    // Act
    const html = render(evaluations, inventories);

    // Assert
    const vpcSections = html.split('<section class="vpc">').slice(1);
    expect(vpcSections.length).toBeGreaterThan(0);
    expect(html).toContain('row-fail');
    for (const section of vpcSections) {
      for (const table of section.split('<table').slice(1)) {
        const lastFail = table.lastIndexOf('class="row-fail"');
        const firstPass = table.indexOf('class="row-pass"');
        if (lastFail !== -1 && firstPass !== -1) {
          expect(lastFail).toBeLessThan(firstPass);
        }
      }
    }
  });
});
