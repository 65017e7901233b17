import { DEFAULT_RUNBOOK_BASE_URL } from '../../functions/shared/asff.js';
import { loadSnapshotFile } from '../../functions/shared/snapshot-loader.js';
import { InputError } from '../../rules/model/errors.js';
import { buildInventory } from '../../rules/model/inventory.js';
import type { Evaluation, RuleMetadata } from '../../rules/model/rule.js';
import { loadLiveSnapshot } from '../aws.js';
import { evaluateAll, type SourcedInventory } from '../evaluate.js';
import { type CliIo, ExitCode } from '../io.js';
import { writeReport } from '../output.js';
import { renderAsff } from '../report/asff.js';
import { renderHtml } from '../report/html.js';
import { renderJson } from '../report/json.js';
import { hasFailures } from '../report/summary.js';
import { renderTable } from '../report/table.js';
import {
  prepareRules,
  readRuleParameters,
  selectRules,
} from '../rule-selection.js';

/** Report formats of `scan`. */
const FORMATS = ['table', 'json', 'asff', 'html'] as const;
type Format = (typeof FORMATS)[number];

/** Options of `vpce-guard scan`, as commander parses them. */
interface ScanOptions {
  readonly snapshot?: readonly string[];
  readonly region?: readonly string[];
  readonly profile?: string;
  readonly roleArn?: readonly string[];
  readonly rules?: string;
  readonly ruleParams?: string;
  readonly format: Format;
  readonly output?: string;
  readonly exitZero?: boolean;
  readonly runbookBaseUrl?: string;
}

const toInventory = ({
  source,
  snapshot,
}: {
  source: string;
  snapshot: Parameters<typeof buildInventory>[0];
}): SourcedInventory => {
  try {
    return { source, inventory: buildInventory(snapshot) };
  } catch (error) {
    if (error instanceof InputError) {
      throw new InputError(`${source}: ${error.message}`, { cause: error });
    }
    throw error;
  }
};

/** Several files may hold the same account-region; scanning it twice would double-count. */
const rejectDuplicates = (inventories: readonly SourcedInventory[]): void => {
  const seen = new Map<string, string>();
  for (const { source, inventory } of inventories) {
    const key = `${inventory.accountId}/${inventory.region}`;
    const first = seen.get(key);
    if (first)
      throw new InputError(
        `${source}: account-region ${key} is also in ${first}`
      );
    seen.set(key, source);
  }
};

const loadSnapshots = async (
  files: readonly string[]
): Promise<SourcedInventory[]> => {
  const loaded = (await Promise.all(files.map(loadSnapshotFile))).flat();
  return loaded.map(toInventory);
};

/**
 * Loads every account (one per `--role-arn`, else the caller's) in every
 * `--region`, one after the other so EC2's per-account throttling budget
 * is not spent in bursts; progress goes to stderr on a terminal.
 */
const loadLive = async (
  options: ScanOptions,
  io: CliIo
): Promise<SourcedInventory[]> => {
  const roles = options.roleArn?.length ? options.roleArn : [undefined];
  const sources = roles.flatMap((roleArn) =>
    (options.region ?? []).map((region) => ({
      region,
      roleArn,
      profile: options.profile,
    }))
  );
  const inventories: SourcedInventory[] = [];
  for (const [index, source] of sources.entries()) {
    const name = `${source.roleArn ?? 'caller'} ${source.region}`;
    if (io.stderr.isTTY) {
      io.stderr.write(`scanning ${name} (${index + 1}/${sources.length})\n`);
    }
    const snapshot = await loadLiveSnapshot(source);
    inventories.push(toInventory({ source: name, snapshot }));
  }
  return inventories;
};

const loadInventories = async (
  options: ScanOptions,
  io: CliIo
): Promise<SourcedInventory[]> => {
  const hasSnapshots = (options.snapshot?.length ?? 0) > 0;
  const hasRegions = (options.region?.length ?? 0) > 0;
  if (hasSnapshots === hasRegions) {
    throw new InputError('scan: give either --snapshot FILE… or --region R…');
  }
  const inventories = hasSnapshots
    ? await loadSnapshots(options.snapshot ?? [])
    : await loadLive(options, io);
  rejectDuplicates(inventories);
  return inventories;
};

const render = (
  options: ScanOptions,
  io: CliIo,
  evaluations: readonly Evaluation[],
  metadata: readonly RuleMetadata[],
  inventories: readonly SourcedInventory[]
): string => {
  if (options.format === 'json') {
    return renderJson(
      evaluations,
      metadata.map((m) => m.id)
    );
  }
  const base = options.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
  if (options.format === 'asff') {
    return renderAsff(evaluations, metadata, inventories, base, new Date());
  }
  if (options.format === 'html') {
    return renderHtml(evaluations, metadata, inventories, base, new Date());
  }
  return renderTable(evaluations, metadata, {
    color: options.output === undefined && io.stdout.isTTY === true,
  });
};

/**
 * `vpce-guard scan (--snapshot FILE… | --region R…)`: validates the parameters, loads the
 * snapshots, evaluates, writes one report.
 *
 * @returns the exit status: 1 when anything is NON_COMPLIANT
 */
const scan = async (options: ScanOptions, io: CliIo): Promise<number> => {
  const selected = selectRules(options.rules);
  const parameters = options.ruleParams
    ? await readRuleParameters(options.ruleParams)
    : {};
  const prepared = prepareRules(selected, parameters);
  const inventories = await loadInventories(options, io);
  const evaluations = evaluateAll(prepared, inventories);
  const metadata = selected.map((rule) => rule.metadata);
  const text = render(options, io, evaluations, metadata, inventories);
  await writeReport(text, options.output, io);
  return hasFailures(evaluations) && !options.exitZero
    ? ExitCode.NON_COMPLIANT
    : ExitCode.CLEAN;
};

export type { Format, ScanOptions };
export { FORMATS, scan };
