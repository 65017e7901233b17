import { runbookUrl } from '../../functions/shared/formats/asff.js';
import type { Inventory, VpcEndpoint } from '../../rules/model/inventory.js';
import {
  RESOURCE_KIND_ORDER,
  RESOURCE_KINDS,
  type ResourceKind,
  unhandledKind,
} from '../../rules/model/resource-kinds.js';
import type {
  ComplianceType,
  Evaluation,
  RuleMetadata,
} from '../../rules/model/rule.js';
import { exposureOf } from '../../rules/model/subnet-exposure.js';
import type { ScanProblem, ScanResult, SourcedInventory } from '../evaluate.js';
import {
  type AccountSummary,
  type RuleSummary,
  summarizeOrganization,
} from './organization.js';
import { summarize } from './summary.js';

const VERDICTS: readonly ComplianceType[] = [
  'NON_COMPLIANT',
  'COMPLIANT',
  'NOT_APPLICABLE',
];

const VERDICT_CLASS: Readonly<Record<ComplianceType, string>> = {
  NON_COMPLIANT: 'nc',
  COMPLIANT: 'ok',
  NOT_APPLICABLE: 'na',
};

const VERDICT_MARK: Readonly<Record<ComplianceType, string>> = {
  NON_COMPLIANT: '✗',
  COMPLIANT: '✓',
  NOT_APPLICABLE: '–',
};

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes `& < > " '` so that any text is safe in element content and attribute values. */
const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/gu, (char) => ESCAPES[char] ?? char);

/** What the renderer looks up while it walks the inventories. */
interface Context {
  readonly byKey: ReadonlyMap<string, Evaluation>;
  readonly rules: ReadonlyMap<string, RuleMetadata>;
  /** The runbooks embedded in the page, by rule id. */
  readonly runbooks: ReadonlyMap<string, string>;
}

/** What {@link renderHtml} is told besides the scan result. */
interface HtmlOptions {
  /**
   * Each rule's runbook Markdown (`rules/<id>/runbook.md`) by rule id; the
   * page embeds those of the rules that fail and links each failure to its
   * rule's copy, so the links work wherever the file is opened.
   */
  readonly runbooks: ReadonlyMap<string, string>;
  /**
   * Where the repository is published (`--runbook-base-url`): each embedded
   * runbook then also links to its published copy.
   */
  readonly runbookBaseUrl?: string | undefined;
  /** The time printed in the header. */
  readonly generatedAt: Date;
}

const keyOf = (
  accountId: string,
  region: string,
  ruleId: string,
  resourceId: string
): string => `${accountId}\u0000${region}\u0000${ruleId}\u0000${resourceId}`;

const lookup = (
  context: Context,
  inventory: Inventory,
  ruleId: string,
  resourceId: string
): Evaluation | undefined =>
  context.byKey.get(
    keyOf(inventory.accountId, inventory.region, ruleId, resourceId)
  );

const STYLE = `
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1a1a1a;background:#fff}
table{border-collapse:collapse;margin:0.5rem 0 1.5rem;width:100%}
th,td{border:1px solid #bbb;padding:0.3rem 0.5rem;text-align:left;vertical-align:top;overflow-wrap:break-word;word-break:break-word}
th{background:#eee}
.nc{background:#fde2e1;color:#8a1010;font-weight:bold}
.ok{background:#e1f5e4;color:#14532d}
.na{background:#f0f0f0;color:#444}
.note{font-weight:normal;display:block}
tr.row-fail td:first-child{border-left:4px solid #b91c1c}
.runbook pre{white-space:pre-wrap;background:#f7f7f7;border:1px solid #ddd;padding:0.75rem}
`;

const cell = (text: string): string => `<td>${escapeHtml(text)}</td>`;

const headerRow = (names: readonly string[]): string =>
  `<tr>${names.map((name) => `<th scope="col">${escapeHtml(name)}</th>`).join('')}</tr>`;

/** The id of a rule's embedded runbook, the target of its failures' links. */
const runbookAnchor = (ruleId: string): string => `runbook-${ruleId}`;

const runbookLink = (context: Context, ruleId: string): string =>
  context.runbooks.has(ruleId)
    ? ` <a href="#${escapeHtml(runbookAnchor(ruleId))}">runbook</a>`
    : '';

/** A table cell with the verdict in words and colour, and its annotation. */
const verdictCell = (
  context: Context,
  evaluation: Evaluation | undefined
): string => {
  if (!evaluation) return '<td class="na">not evaluated</td>';
  const type = evaluation.complianceType;
  const link =
    type === 'NON_COMPLIANT' ? runbookLink(context, evaluation.ruleId) : '';
  return `<td class="${VERDICT_CLASS[type]}">${VERDICT_MARK[type]} ${type}${link}<span class="note">${escapeHtml(evaluation.annotation)}</span></td>`;
};

const fails = (evaluations: readonly (Evaluation | undefined)[]): boolean =>
  evaluations.some((e) => e?.complianceType === 'NON_COMPLIANT');

/** A rendered row and whether it holds a failure, for failures-first order. */
interface Row {
  readonly id: string;
  readonly failing: boolean;
  readonly html: string;
}

const byFailuresFirst = (a: Row, b: Row): number =>
  a.failing === b.failing
    ? a.id < b.id
      ? -1
      : a.id > b.id
        ? 1
        : 0
    : a.failing
      ? -1
      : 1;

const rowHtml = (failing: boolean, cells: string): string =>
  `<tr class="${failing ? 'row-fail' : 'row-pass'}">${cells}</tr>`;

/** A resource of one kind in a VPC, with the facts its table shows. */
interface KindRow {
  readonly id: string;
  readonly facts: readonly string[];
}

/** The fact columns of a kind's table, after its id. */
const factHeaders = (kind: ResourceKind): readonly string[] => {
  switch (kind) {
    case 'vpc':
      return ['Name', 'IPv4 CIDRs'];
    case 'subnet':
      return ['Name', 'AZ id', 'Route table', 'Exposure'];
    case 'vpc-endpoint':
      return ['Type', 'Service', 'AZ ids', 'Private DNS'];
    default:
      return unhandledKind(kind);
  }
};

const azIdsOf = (inventory: Inventory, endpoint: VpcEndpoint): string =>
  (endpoint.subnetIds ?? [])
    .map((id) => inventory.subnets.get(id)?.availabilityZoneId ?? `${id}?`)
    .join(', ');

const onOff = (value: boolean | undefined): string =>
  value === undefined ? 'unknown' : value ? 'on' : 'off';

/** The resources of one kind in a VPC, with their facts. */
const kindRows = (
  kind: ResourceKind,
  inventory: Inventory,
  vpcId: string
): KindRow[] => {
  switch (kind) {
    case 'vpc': {
      const vpc = inventory.vpcs.get(vpcId);
      if (!vpc) return [];
      const cidrs = vpc.ipv4Cidrs?.map((c) => c.text).join(', ') ?? 'unknown';
      return [{ id: vpcId, facts: [vpc.tags.get('Name') ?? '', cidrs] }];
    }
    case 'subnet':
      return [...inventory.subnets.values()]
        .filter((s) => s.vpcId === vpcId)
        .map((subnet) => ({
          id: subnet.id,
          facts: [
            subnet.tags.get('Name') ?? '',
            subnet.availabilityZoneId ?? 'unknown',
            inventory.effectiveRouteTables.get(subnet.id)?.id ?? 'unknown',
            exposureOf(inventory, subnet) ?? 'unknown',
          ],
        }));
    case 'vpc-endpoint':
      return [...inventory.endpoints.values()]
        .filter((e) => e.vpcId === vpcId)
        .map((endpoint) => ({
          id: endpoint.id,
          facts: [
            endpoint.type ?? 'unknown',
            endpoint.service?.name ?? '–',
            azIdsOf(inventory, endpoint),
            onOff(endpoint.privateDnsEnabled),
          ],
        }));
    default:
      return unhandledKind(kind);
  }
};

/** One resource's row: its facts, then its verdict under each rule. */
const resourceRow = (
  context: Context,
  inventory: Inventory,
  rules: readonly RuleMetadata[],
  row: KindRow
): Row => {
  const evaluations = rules.map((rule) =>
    lookup(context, inventory, rule.id, row.id)
  );
  const failing = fails(evaluations);
  const cells = [
    cell(row.id),
    ...row.facts.map(cell),
    ...evaluations.map((e) => verdictCell(context, e)),
  ].join('');
  return { id: row.id, failing, html: rowHtml(failing, cells) };
};

/** The table of one kind in a VPC, with a verdict column per rule of that kind. */
const kindTable = (
  context: Context,
  inventory: Inventory,
  vpcId: string,
  kind: ResourceKind
): string => {
  const rules = [...context.rules.values()].filter(
    (rule) => rule.resourceKind === kind
  );
  // A kind no rule ran on has nothing to show.
  if (rules.length === 0) return '';
  const facts = RESOURCE_KINDS[kind];
  const rows = kindRows(kind, inventory, vpcId).map((row) =>
    resourceRow(context, inventory, rules, row)
  );
  return table(
    facts.plural,
    [facts.name, ...factHeaders(kind), ...rules.map((rule) => rule.id)],
    rows
  );
};

const table = (
  caption: string,
  headers: readonly string[],
  rows: readonly Row[]
): string => {
  if (rows.length === 0) return `<p>No ${escapeHtml(caption)}.</p>`;
  const body = [...rows]
    .sort(byFailuresFirst)
    .map((row) => row.html)
    .join('\n');
  return `<table><caption>${escapeHtml(caption)}</caption>\n<thead>${headerRow(headers)}</thead>\n<tbody>\n${body}\n</tbody></table>`;
};

const vpcSection = (
  context: Context,
  inventory: Inventory,
  vpcId: string
): string => {
  const name = inventory.vpcs.get(vpcId)?.tags.get('Name');
  const title = name === undefined ? vpcId : `${vpcId} (${name})`;
  return [
    `<section class="vpc"><h3>VPC ${escapeHtml(title)}</h3>`,
    ...RESOURCE_KIND_ORDER.map((kind) =>
      kindTable(context, inventory, vpcId, kind)
    ).filter((html) => html !== ''),
    '</section>',
  ].join('\n');
};

const vpcIdsOf = (inventory: Inventory): string[] =>
  [
    ...new Set([
      ...inventory.vpcs.keys(),
      ...[...inventory.subnets.values()].flatMap((s) =>
        s.vpcId === undefined ? [] : [s.vpcId]
      ),
      ...[...inventory.endpoints.values()].flatMap((e) =>
        e.vpcId === undefined ? [] : [e.vpcId]
      ),
    ]),
  ].sort();

const inventorySection = (
  context: Context,
  { source, inventory }: SourcedInventory
): string => {
  const heading = `${inventory.accountId}/${inventory.region}`;
  return [
    `<section class="account-region"><h2>${escapeHtml(heading)}</h2>`,
    `<p>Source: ${escapeHtml(source)}</p>`,
    ...vpcIdsOf(inventory).map((id) => vpcSection(context, inventory, id)),
    '</section>',
  ].join('\n');
};

const countRow = (
  label: string,
  evaluations: readonly Evaluation[]
): string => {
  const counts = VERDICTS.map(
    (type) => evaluations.filter((e) => e.complianceType === type).length
  );
  return `<tr><th scope="row">${escapeHtml(label)}</th>${counts.map((n) => `<td>${n}</td>`).join('')}</tr>`;
};

const countTable = (
  caption: string,
  groups: ReadonlyMap<string, readonly Evaluation[]>
): string =>
  [
    `<table><caption>${escapeHtml(caption)}</caption>`,
    `<thead>${headerRow(['', ...VERDICTS])}</thead><tbody>`,
    ...[...groups].map(([label, group]) => countRow(label, group)),
    '</tbody></table>',
  ].join('\n');

const groupEvaluations = (
  labels: readonly string[],
  evaluations: readonly Evaluation[],
  labelOf: (evaluation: Evaluation) => string
): Map<string, Evaluation[]> => {
  const groups = new Map<string, Evaluation[]>(labels.map((l) => [l, []]));
  for (const evaluation of evaluations) {
    const label = labelOf(evaluation);
    groups.set(label, [...(groups.get(label) ?? []), evaluation]);
  }
  return groups;
};

/** Who owns the resources this account only sees, if anyone. */
const notOwnedParagraph = (result: ScanResult): string => {
  const { notOwned, notOwnedBy } = summarize(
    result.evaluations,
    [],
    result.notOwned
  );
  if (notOwned === 0) return '';
  const owners = Object.entries(notOwnedBy)
    .map(([owner, count]) => `${escapeHtml(owner)} (${count})`)
    .join(', ');
  return `<p>${notOwned} resource${notOwned === 1 ? '' : 's'} owned by other accounts (shared VPCs) are evaluated by their owners, not here: ${owners}.</p>`;
};

const problemItem = (problem: ScanProblem): string => {
  const where = [
    problem.accountId === undefined
      ? undefined
      : `${problem.accountId}/${problem.region}`,
    problem.resourceId,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
  return `<li>${where === '' ? '' : `<code>${escapeHtml(where)}</code>: `}${escapeHtml(problem.message)}</li>`;
};

/** What could not be evaluated or loaded, with the cause of each. */
const problemsSection = (problems: readonly ScanProblem[]): string =>
  problems.length === 0
    ? ''
    : [
        `<section class="problems"><h2>Problems (${problems.length})</h2>`,
        '<p>Resources here are NON_COMPLIANT “cannot evaluate” until the cause is fixed; an entry without a resource is an account-region that could not be loaded.</p>',
        `<ul>${problems.map(problemItem).join('\n')}</ul>`,
        '</section>',
      ].join('\n');

const summarySection = (
  result: ScanResult,
  rules: readonly RuleMetadata[]
): string => {
  const { evaluations, inventories } = result;
  const byRule = groupEvaluations(
    rules.map((r) => r.id),
    evaluations,
    (e) => e.ruleId
  );
  const byPlace = groupEvaluations(
    inventories.map(({ inventory: i }) => `${i.accountId}/${i.region}`),
    evaluations,
    (e) => `${e.accountId}/${e.region}`
  );
  return [
    '<section class="summary"><h2>Summary</h2>',
    countTable('Verdicts per rule', byRule),
    countTable('Verdicts per account-region', byPlace),
    notOwnedParagraph(result),
    '</section>',
  ].join('\n');
};

/** The rules, in registry order, with a failure and an embedded runbook. */
const failingRulesWithRunbooks = (
  evaluations: readonly Evaluation[],
  rules: readonly RuleMetadata[],
  runbooks: ReadonlyMap<string, string>
): RuleMetadata[] => {
  const failing = new Set(
    evaluations
      .filter((e) => e.complianceType === 'NON_COMPLIANT')
      .map((e) => e.ruleId)
  );
  return rules.filter((rule) => failing.has(rule.id) && runbooks.has(rule.id));
};

/**
 * The runbooks of the failing rules, each as its Markdown text (the page
 * runs no script to render it), with a link to the published copy when a
 * base URL was given.
 */
const runbooksSection = (
  rules: readonly RuleMetadata[],
  options: HtmlOptions
): string => {
  if (rules.length === 0) return '';
  const sections = rules.map((rule) => {
    const published =
      options.runbookBaseUrl === undefined
        ? ''
        : `<p><a href="${escapeHtml(runbookUrl(options.runbookBaseUrl, rule.id))}">published copy</a></p>`;
    return [
      `<section class="runbook" id="${escapeHtml(runbookAnchor(rule.id))}">`,
      `<h3>${escapeHtml(rule.id)}: ${escapeHtml(rule.title)}</h3>`,
      published,
      `<pre>${escapeHtml(options.runbooks.get(rule.id) ?? '')}</pre>`,
      '</section>',
    ].join('\n');
  });
  return [
    '<section class="runbooks"><h2>Runbooks</h2>',
    ...sections,
    '</section>',
  ].join('\n');
};

/** A count cell, marked as a failure when it counts NON_COMPLIANT resources. */
const countCell = (count: number, failing = false): string =>
  failing && count > 0 ? `<td class="nc">${count}</td>` : `<td>${count}</td>`;

const accountRow = (account: AccountSummary): string =>
  rowHtml(
    account.nonCompliant > 0 || account.notLoaded.length > 0,
    [
      cell(account.accountId),
      cell(account.name ?? ''),
      countCell(account.nonCompliant, true),
      countCell(account.compliant),
      countCell(account.notApplicable),
      cell(account.regions.join(', ')),
      account.notLoaded.length > 0
        ? `<td class="nc">${escapeHtml(account.notLoaded.join(', '))}</td>`
        : '<td></td>',
      cell(account.failingRules.join(', ')),
    ].join('')
  );

const ruleRow = (context: Context, rule: RuleSummary): string =>
  rowHtml(
    rule.nonCompliant > 0,
    [
      `<td>${escapeHtml(rule.ruleId)}${rule.nonCompliant > 0 ? runbookLink(context, rule.ruleId) : ''}</td>`,
      cell(rule.severity),
      countCell(rule.nonCompliant, true),
      countCell(rule.compliant),
      countCell(rule.notApplicable),
      countCell(rule.accountsFailing, true),
    ].join('')
  );

/**
 * The organization summary, for a report that covers an organization:
 * per account and per rule, worst first (cli/report/organization.ts keeps
 * that order; the tables do not re-sort).
 */
const organizationSection = (context: Context, result: ScanResult): string => {
  if (result.organization === undefined) return '';
  const summary = summarizeOrganization(
    result,
    [...context.rules.keys()],
    result.organization
  );
  return [
    '<section class="organization"><h2>Organization</h2>',
    `<p>${escapeHtml(summary.source)}: ${summary.accounts.length} account${summary.accounts.length === 1 ? '' : 's'}, Regions ${escapeHtml(summary.regions.join(', '))}. Worst first.</p>`,
    '<table><caption>Per account</caption>',
    `<thead>${headerRow(['Account', 'Name', 'NON_COMPLIANT', 'COMPLIANT', 'NOT_APPLICABLE', 'Regions', 'Not loaded', 'Failing rules'])}</thead><tbody>`,
    ...summary.accounts.map(accountRow),
    '</tbody></table>',
    '<table><caption>Per rule</caption>',
    `<thead>${headerRow(['Rule', 'Severity', 'NON_COMPLIANT', 'COMPLIANT', 'NOT_APPLICABLE', 'Accounts failing'])}</thead><tbody>`,
    ...summary.rules.map((rule) => ruleRow(context, rule)),
    '</tbody></table>',
    '</section>',
  ].join('\n');
};

/**
 * The failures of account-regions the report has no inventory of (an
 * aggregator report reads verdicts, not VPCs): one row per resource.
 */
const failuresWithoutInventory = (
  context: Context,
  result: ScanResult
): string => {
  const loaded = new Set(
    result.inventories.map(
      ({ inventory }) => `${inventory.accountId}/${inventory.region}`
    )
  );
  const rows = result.evaluations
    .filter(
      (e) =>
        e.complianceType === 'NON_COMPLIANT' &&
        !loaded.has(`${e.accountId}/${e.region}`)
    )
    .map((e) => ({
      id: `${e.accountId}/${e.region}/${e.ruleId}/${e.resourceId}`,
      failing: true,
      html: rowHtml(
        true,
        [
          cell(`${e.accountId}/${e.region}`),
          cell(e.ruleId),
          cell(e.resourceType),
          cell(e.resourceId),
          verdictCell(context, e),
        ].join('')
      ),
    }));
  if (rows.length === 0) return '';
  return [
    '<section class="failures"><h2>NON_COMPLIANT resources</h2>',
    table(
      'NON_COMPLIANT resources',
      ['Account-region', 'Rule', 'Resource type', 'Resource', 'Verdict'],
      rows
    ),
    '</section>',
  ].join('\n');
};

/**
 * The `--format html` document: one self-contained HTML5 page (inline CSS,
 * no scripts, no external assets) with verdict counts per rule and per
 * account-region, then every VPC's subnets and endpoints with their
 * verdicts, failing rows first, each failure linked to its rule's runbook,
 * which the page itself holds (`options.runbooks`). A report that covers an
 * organization starts with the organization summary, and one without
 * inventories (an aggregator's) lists its failures in one table instead of
 * per VPC. Every dynamic string is HTML-escaped.
 */
const renderHtml = (
  result: ScanResult,
  rules: readonly RuleMetadata[],
  options: HtmlOptions
): string => {
  const { evaluations, inventories } = result;
  const embedded = failingRulesWithRunbooks(
    evaluations,
    rules,
    options.runbooks
  );
  const context: Context = {
    byKey: new Map(
      evaluations.map((e) => [
        keyOf(e.accountId, e.region, e.ruleId, e.resourceId),
        e,
      ])
    ),
    rules: new Map(rules.map((rule) => [rule.id, rule])),
    runbooks: new Map(
      embedded.map((rule) => [rule.id, options.runbooks.get(rule.id) ?? ''])
    ),
  };
  const time = options.generatedAt.toISOString();
  return `${[
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>vpce-guard report</title>',
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<header><h1>vpce-guard report</h1><p>Generated at <time datetime="${escapeHtml(time)}">${escapeHtml(time)}</time></p></header>`,
    '<main>',
    organizationSection(context, result),
    summarySection(result, rules),
    problemsSection(result.problems),
    failuresWithoutInventory(context, result),
    ...inventories.map((sourced) => inventorySection(context, sourced)),
    runbooksSection(embedded, options),
    '</main>',
    '</body>',
    '</html>',
  ].join('\n')}\n`;
};

export type { HtmlOptions };
export { renderHtml };
