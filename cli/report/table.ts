import { styleText } from 'node:util';
import Table from 'cli-table3';
import type {
  ComplianceType,
  Evaluation,
  RuleMetadata,
} from '../../rules/model/rule.js';
import type { ScanProblem, ScanResult } from '../evaluate.js';
import {
  type OrganizationSummary,
  summarizeOrganization,
} from './organization.js';
import { summarize } from './summary.js';

/** Options of the table report. */
interface TableOptions {
  /** ANSI colours for verdicts (only when writing to a terminal). */
  readonly color: boolean;
}

// 26 + 16 + 54 columns plus 4 borders: fits a 100-column terminal.
const COLUMN_WIDTHS = [26, 16, 54];
// The annotation column less its one-space padding on each side.
const ANNOTATION_WIDTH = 52;

const ORDER: Readonly<Record<ComplianceType, number>> = {
  NON_COMPLIANT: 0,
  COMPLIANT: 1,
  NOT_APPLICABLE: 2,
};

const COLOR: Readonly<Record<ComplianceType, Parameters<typeof styleText>[0]>> =
  {
    NON_COMPLIANT: 'red',
    COMPLIANT: 'green',
    NOT_APPLICABLE: 'gray',
  };

/**
 * Splits words longer than a cell: cli-table3 wraps on word boundaries but
 * truncates a word that does not fit (a `vpce-svc-…` service name), and an
 * annotation must never lose its cause.
 */
const breakLongWords = (text: string, width: number): string =>
  text
    .split(' ')
    .map((word) =>
      word.length <= width
        ? word
        : (word.match(new RegExp(`.{1,${width}}`, 'gu')) ?? [word]).join(' ')
    )
    .join(' ');

/** `1 evaluation`, `2 evaluations`. */
const plural = (count: number, noun: string): string =>
  `${count} ${noun}${count === 1 ? '' : 's'}`;

const byVerdictThenId = (a: Evaluation, b: Evaluation): number =>
  ORDER[a.complianceType] - ORDER[b.complianceType] ||
  a.accountId.localeCompare(b.accountId) ||
  a.region.localeCompare(b.region) ||
  a.resourceId.localeCompare(b.resourceId);

const ruleTable = (
  evaluations: readonly Evaluation[],
  multiAccount: boolean,
  options: TableOptions
): string => {
  const table = new Table({
    head: ['Resource', 'Verdict', 'Annotation'],
    colWidths: COLUMN_WIDTHS,
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [] },
  });
  let lastAccount = '';
  for (const evaluation of [...evaluations].sort(byVerdictThenId)) {
    const account = `${evaluation.accountId} ${evaluation.region}`;
    if (multiAccount && account !== lastAccount) {
      table.push([{ colSpan: 3, content: account }]);
      lastAccount = account;
    }
    const verdict = options.color
      ? styleText(COLOR[evaluation.complianceType], evaluation.complianceType)
      : evaluation.complianceType;
    table.push([
      evaluation.resourceId,
      verdict,
      breakLongWords(evaluation.annotation, ANNOTATION_WIDTH),
    ]);
  }
  if (evaluations.length === 0)
    table.push([{ colSpan: 3, content: 'no resources in scope' }]);
  return table.toString();
};

// 42 + 54 columns plus 3 borders: fits a 100-column terminal too.
const PROBLEM_WIDTHS = [42, 54];

/** `111122223333/us-east-1 vpce-1`: where a problem is, as far as known. */
const problemPlace = (problem: ScanProblem): string =>
  [
    problem.accountId === undefined
      ? undefined
      : `${problem.accountId}/${problem.region ?? '?'}`,
    problem.resourceId,
  ]
    .filter((part) => part !== undefined)
    .join(' ') || '(input)';

/** The problems as a table, each cause wrapped inside its cell. */
const problemsTable = (problems: readonly ScanProblem[]): string => {
  const table = new Table({
    head: ['Where', 'Cause'],
    colWidths: PROBLEM_WIDTHS,
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [] },
  });
  for (const problem of problems) {
    table.push([
      breakLongWords(problemPlace(problem), (PROBLEM_WIDTHS[0] ?? 0) - 2),
      breakLongWords(problem.message, (PROBLEM_WIDTHS[1] ?? 0) - 2),
    ]);
  }
  return table.toString();
};

// 14 + 22 + 15 + 11 + 16 + 15 columns plus 7 borders: 100 columns.
const ORGANIZATION_ACCOUNT_WIDTHS = [14, 22, 15, 11, 16, 15];
// 40 + 15 + 11 + 16 + 10 columns plus 6 borders: 98 columns.
const ORGANIZATION_RULE_WIDTHS = [40, 15, 11, 16, 10];

/** A word-wrapped table with these column widths and headers. */
const wrappedTable = (
  head: readonly string[],
  widths: readonly number[]
): InstanceType<typeof Table> =>
  new Table({
    head: [...head],
    colWidths: [...widths],
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [] },
  });

/** Cells of a row, long words split to fit their column. */
const fitted = (cells: readonly string[], widths: readonly number[]) =>
  cells.map((cell, i) => breakLongWords(cell, (widths[i] ?? 3) - 2));

/** The organization summary: per account, then per rule, worst first. */
const organizationTables = (summary: OrganizationSummary): string => {
  const accounts = wrappedTable(
    [
      'Account',
      'Name',
      'NON_COMPLIANT',
      'COMPLIANT',
      'NOT_APPLICABLE',
      'Not loaded',
    ],
    ORGANIZATION_ACCOUNT_WIDTHS
  );
  for (const account of summary.accounts) {
    accounts.push(
      fitted(
        [
          account.accountId,
          account.name ?? '',
          String(account.nonCompliant),
          String(account.compliant),
          String(account.notApplicable),
          account.notLoaded.join(', '),
        ],
        ORGANIZATION_ACCOUNT_WIDTHS
      )
    );
  }
  const rules = wrappedTable(
    [
      'Rule',
      'NON_COMPLIANT',
      'COMPLIANT',
      'NOT_APPLICABLE',
      'Accounts failing',
    ],
    ORGANIZATION_RULE_WIDTHS
  );
  for (const rule of summary.rules) {
    rules.push(
      fitted(
        [
          `${rule.ruleId} (${rule.severity})`,
          String(rule.nonCompliant),
          String(rule.compliant),
          String(rule.notApplicable),
          String(rule.accountsFailing),
        ],
        ORGANIZATION_RULE_WIDTHS
      )
    );
  }
  const heading =
    `Organization: ${summary.source}; ${plural(summary.accounts.length, 'account')}, ` +
    `Regions ${summary.regions.join(', ')}`;
  return `\n\n${heading}\nAccounts, worst first:\n${accounts.toString()}\nRules, worst first:\n${rules.toString()}`;
};

/**
 * The `--format table` report: one table per rule (failures first), then
 * the totals, the resources left to their owners, the organization summary
 * of a report that covers an organization, and the problems.
 *
 * @param rules - the rules that ran, in report order
 */
const renderTable = (
  result: ScanResult,
  rules: readonly RuleMetadata[],
  options: TableOptions
): string => {
  const { evaluations } = result;
  const accounts = new Set(
    evaluations.map((e) => `${e.accountId} ${e.region}`)
  );
  const sections = rules.map((rule) => {
    const heading = `${rule.id} (${rule.severity})\n${rule.title}`;
    const own = evaluations.filter((e) => e.ruleId === rule.id);
    return `${options.color ? styleText('bold', heading) : heading}\n${ruleTable(own, accounts.size > 1, options)}`;
  });
  const s = summarize(
    evaluations,
    rules.map((r) => r.id),
    result.notOwned,
    result.problems.length
  );
  const totals =
    `${plural(s.evaluations, 'evaluation')} in ${plural(accounts.size, 'account-region')}:\n` +
    `${s.nonCompliant} NON_COMPLIANT, ${s.compliant} COMPLIANT, ${s.notApplicable} NOT_APPLICABLE`;
  // One owner per line: a participant of many shared VPCs has many owners.
  const owners = Object.entries(s.notOwnedBy).map(
    ([owner, count]) => `\n  ${owner}: ${count}`
  );
  const notOwned =
    s.notOwned === 0
      ? ''
      : `\n${plural(s.notOwned, 'resource')} owned by other accounts, evaluated by their owners:${owners.join('')}`;
  const organization =
    result.organization === undefined
      ? ''
      : organizationTables(
          summarizeOrganization(
            result,
            rules.map((r) => r.id),
            result.organization
          )
        );
  const problems =
    result.problems.length === 0
      ? ''
      : `\n\nProblems (${result.problems.length}):\n${problemsTable(result.problems)}`;
  return `${sections.join('\n\n')}\n\n${totals}${notOwned}${organization}${problems}\n`;
};

export type { TableOptions };
export { renderTable };
