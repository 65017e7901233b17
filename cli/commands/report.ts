import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { sdkClientConfig } from '../../functions/shared/aws/client-config.js';
import { rules } from '../../rules/index.js';
import { InputError } from '../../rules/model/errors.js';
import type { ScanResult } from '../evaluate.js';
import { type CliIo, ExitCode } from '../io.js';
import {
  type AggregatedResults,
  readAggregatedResults,
} from '../organization/aggregator.js';
import { CONFIG_RULE_PREFIX } from '../organization/rule-names.js';
import { writeReport } from '../output.js';
import { type OutputFormat, renderReport } from '../report/render.js';
import { hasFailures } from '../report/summary.js';

/**
 * Report formats of `report`: no ASFF or OCSF, whose findings need the
 * resources' inventory, which an aggregator does not hold.
 */
const REPORT_FORMATS = [
  'table',
  'json',
  'html',
] as const satisfies readonly OutputFormat[];
/** A report format of `report`. */
type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Options of `vpce-guard report`, as commander parses them. */
interface ReportOptions {
  readonly aggregator: string;
  readonly format: ReportFormat;
  /** The aggregator's Region; without it the standard SDK configuration. */
  readonly region?: string;
  readonly profile?: string;
  readonly output?: string;
  readonly exitZero?: boolean;
  readonly runbookBaseUrl?: string;
}

// ConfigurationAggregatorName: 1–256 of [\w-] (the Config API reference).
const AGGREGATOR_NAME = /^[\w-]{1,256}$/u;

const CALLER = 'your credentials';

/** What the aggregator holds, as a report of the organization it covers. */
const asScanResult = (
  aggregator: string,
  { evaluations, problems, rulesFound }: AggregatedResults
): ScanResult => ({
  evaluations,
  notOwned: [],
  problems,
  inventories: [],
  organization: {
    source: `AWS Config aggregator ${aggregator}`,
    accounts: [...new Set(rulesFound.map((r) => r.accountId))]
      .sort()
      .map((id) => ({ id })),
    regions: [...new Set(rulesFound.map((r) => r.region))].sort(),
  },
});

/**
 * `vpce-guard report --aggregator NAME`: vpce-guard's results for every
 * account and Region an AWS Config aggregator covers, read through the
 * aggregate compliance APIs (no EC2 call, no member-account credentials),
 * rendered with the same organization summary as `scan --organization`.
 *
 * @returns 2 when the aggregator holds no vpce-guard result, else 1 when
 *   anything is NON_COMPLIANT (unless `--exit-zero`), else 0
 * @throws InputError for a malformed or unknown aggregator name;
 *   AwsCallError when Config refuses or fails a call
 */
const report = async (options: ReportOptions, io: CliIo): Promise<number> => {
  if (!AGGREGATOR_NAME.test(options.aggregator)) {
    throw new InputError(
      `--aggregator: expected a configuration aggregator name (1–256 letters, digits, _ and -), got ${JSON.stringify(options.aggregator)}`
    );
  }
  const config = new ConfigServiceClient({
    ...sdkClientConfig(options.region),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  let results: AggregatedResults;
  try {
    results = await readAggregatedResults(config, options.aggregator, CALLER);
  } finally {
    config.destroy();
  }
  if (results.rulesFound.length === 0) {
    io.stderr.write(
      `vpce-guard: --aggregator ${options.aggregator}: holds no results of vpce-guard rules (${CONFIG_RULE_PREFIX}<rule id>, OrgConfigRule-${CONFIG_RULE_PREFIX}<rule id>-…, ${CONFIG_RULE_PREFIX}<rule id>-conformance-pack-…)\n`
    );
    return ExitCode.BAD_INPUT;
  }
  const result = asScanResult(options.aggregator, results);
  const text = renderReport(
    options.format,
    result,
    rules.map((rule) => rule.metadata),
    {
      runbookBaseUrl: options.runbookBaseUrl,
      color: options.output === undefined && io.stdout.isTTY === true,
      now: new Date(),
    }
  );
  await writeReport(text, options.output, io);
  return hasFailures(result.evaluations) && !options.exitZero
    ? ExitCode.NON_COMPLIANT
    : ExitCode.CLEAN;
};

export type { ReportFormat, ReportOptions };
export { REPORT_FORMATS, report };
