import { describe, expect, it } from '@jest/globals';
import type { SourcedInventory } from '../../../cli/evaluate.js';
import { renderHtml } from '../../../cli/report/html.js';
import { readRunbooks } from '../../../cli/runbooks.js';
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

const runbooks = readRunbooks(metadata.map((rule) => rule.id));

const render = (
  evaluations: readonly Evaluation[],
  inventories: readonly SourcedInventory[],
  { runbookBaseUrl }: { runbookBaseUrl?: string } = { runbookBaseUrl: BASE }
): string =>
  renderHtml(
    { evaluations, inventories, notOwned: [], problems: [] },
    metadata,
    { runbooks, runbookBaseUrl, generatedAt: GENERATED_AT }
  );

/** The `href` values of a page. */
const hrefsOf = (html: string): string[] =>
  [...html.matchAll(/href="([^"]*)"/gu)].map((m) => m[1] ?? '');

/** The text of the element with `id`, up to its closing `</section>`. */
const sectionWithId = (html: string, id: string): string | undefined => {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return undefined;
  return html.slice(start, html.indexOf('</section>', start));
};

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

  it('lists every failing resource with its annotation and a link to its rule’s runbook in the page', async () => {
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
      expect(html).toContain(`href="#runbook-${failure.ruleId}"`);
    }
  });

  it.each([
    ['with a published base URL', BASE],
    ['without one', undefined],
  ])(
    'links every in-page anchor to a runbook the page holds, %s',
    async (_, base) => {
      // Arrange
      const { evaluations, inventories } = await load();

      // Act
      const html = render(
        evaluations,
        inventories,
        base === undefined ? {} : { runbookBaseUrl: base }
      );

      // Assert
      const anchors = hrefsOf(html).filter((href) => href.startsWith('#'));
      expect(anchors.length).toBeGreaterThan(0);
      for (const anchor of new Set(anchors)) {
        const ruleId = anchor.slice('#runbook-'.length);
        const section = sectionWithId(html, anchor.slice(1));
        expect(section).toBeDefined();
        expect(section).toContain(
          escapeExpected(runbooks.get(ruleId) ?? 'no runbook')
        );
      }
    }
  );

  it('embeds the runbooks of the failing rules only', async () => {
    // Arrange
    const { evaluations, inventories } = await load();
    const failing = new Set(
      evaluations
        .filter((e) => e.complianceType === 'NON_COMPLIANT')
        .map((e) => e.ruleId)
    );

    // Act
    const html = render(evaluations, inventories);

    // Assert
    for (const rule of metadata) {
      expect(sectionWithId(html, `runbook-${rule.id}`) !== undefined).toBe(
        failing.has(rule.id)
      );
    }
  });

  it('links no document outside the page but the published runbooks, and none at all without a base URL', async () => {
    // Arrange
    const { evaluations, inventories } = await load();

    // Act
    const withBase = hrefsOf(render(evaluations, inventories));
    const withoutBase = hrefsOf(render(evaluations, inventories, {}));

    // Assert
    const external = withBase.filter((href) => !href.startsWith('#'));
    expect(external.length).toBeGreaterThan(0);
    for (const href of external) {
      expect(href).toMatch(
        /^https:\/\/runbooks\.example\.test\/rules\/[a-z-]+\/runbook\.md$/u
      );
    }
    expect(withoutBase.filter((href) => !href.startsWith('#'))).toEqual([]);
  });

  it('contains no scripts and loads nothing from elsewhere', async () => {
    // Arrange
    const { evaluations, inventories } = await load();

    // Act
    const html = render(evaluations, inventories);

    // Assert
    expect(html.toLowerCase()).not.toMatch(/<script|<link|<img|src=/u);
    expect(html).not.toContain('.invalid');
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
