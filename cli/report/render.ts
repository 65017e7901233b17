/**
 * One report of a scan in any output format: `scan` offers them all,
 * `report --aggregator` the ones that need no inventory (table, JSON,
 * HTML). Both commands render through here, so a format reads the same
 * whichever command wrote it.
 */
import type { RuleMetadata } from '../../rules/model/rule.js';
import type { ScanResult } from '../evaluate.js';
import { readRunbooks } from '../runbooks.js';
import { packageVersion } from '../version.js';
import { renderAsff } from './asff.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderOcsf } from './ocsf.js';
import { renderTable } from './table.js';

/** Every output format of a report. */
const OUTPUT_FORMATS = ['table', 'json', 'asff', 'ocsf', 'html'] as const;

/** An output format of a report. */
type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** How a report is rendered, beyond its format. */
interface RenderOptions {
  /** Where the runbooks are published; the findings' default otherwise. */
  readonly runbookBaseUrl?: string;
  /** Whether the table may use colour (stdout is a terminal). */
  readonly color: boolean;
  /** The report's time: findings' `UpdatedAt`, OCSF `time`, the HTML date. */
  readonly now: Date;
}

/**
 * The text of `result` in `format`, over the rules of `metadata`.
 *
 * @returns the report, ready to write
 */
const renderReport = (
  format: OutputFormat,
  result: ScanResult,
  metadata: readonly RuleMetadata[],
  options: RenderOptions
): string => {
  switch (format) {
    case 'json':
      return renderJson(
        result,
        metadata.map((m) => m.id)
      );
    case 'asff':
      return renderAsff(
        result.evaluations,
        metadata,
        result.inventories,
        options.runbookBaseUrl,
        options.now
      );
    case 'ocsf':
      return renderOcsf(result.evaluations, metadata, result.inventories, {
        runbookBaseUrl: options.runbookBaseUrl,
        now: options.now,
        productVersion: packageVersion(),
      });
    case 'html':
      return renderHtml(result, metadata, {
        runbooks: readRunbooks(metadata.map((m) => m.id)),
        runbookBaseUrl: options.runbookBaseUrl,
        generatedAt: options.now,
      });
    case 'table':
      return renderTable(result, metadata, { color: options.color });
  }
};

export type { OutputFormat, RenderOptions };
export { OUTPUT_FORMATS, renderReport };
