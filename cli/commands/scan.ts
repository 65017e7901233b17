import { AwsCallError } from '../../functions/shared/errors.js';
import {
  type AccountRegionLoad,
  loadSnapshotFile,
} from '../../functions/shared/formats/snapshot.js';
import { InputError } from '../../rules/model/errors.js';
import type { PreparedRule } from '../../rules/model/rule.js';
import { loadLiveAccountRegion } from '../aws.js';
import {
  evaluateAll,
  type ScanProblem,
  type SourcedInventory,
} from '../evaluate.js';
import { type CliIo, ExitCode } from '../io.js';
import { organizationRequest } from '../organization/options.js';
import { progressOn } from '../organization/progress.js';
import { loadOrganization } from '../organization/scan-organization.js';
import { writeReport } from '../output.js';
import type { OrganizationScope } from '../report/organization.js';
import {
  OUTPUT_FORMATS,
  type OutputFormat,
  renderReport,
} from '../report/render.js';
import { hasFailures } from '../report/summary.js';
import {
  ignoredParameterWarnings,
  prepareRules,
  readRuleParameters,
  selectRules,
} from '../rule-selection.js';

/** Report formats of `scan`. */
const FORMATS = OUTPUT_FORMATS;
/** A report format of `scan`. */
type Format = OutputFormat;

/** Options of `vpce-guard scan`, as commander parses them. */
interface ScanOptions {
  readonly snapshot?: readonly string[];
  readonly region?: readonly string[];
  readonly profile?: string;
  readonly roleArn?: readonly string[];
  readonly organization?: boolean;
  readonly roleName?: string;
  readonly regions?: readonly string[];
  readonly concurrency?: string;
  readonly excludeAccounts?: readonly string[];
  readonly rules?: string;
  readonly ruleParams?: string;
  readonly format: Format;
  readonly output?: string;
  readonly exitZero?: boolean;
  readonly runbookBaseUrl?: string;
}

/** The account-regions of a scan: those loaded, and those that could not be. */
interface Loaded {
  readonly inventories: SourcedInventory[];
  readonly failed: ScanProblem[];
  /** What an organization scan covered. */
  readonly organization?: OrganizationScope;
}

/** A failed account-region as a problem: no resourceId, the message whole. */
const failure = (
  load: Extract<AccountRegionLoad, { ok: false }>
): ScanProblem => ({
  ...(load.accountId === undefined ? {} : { accountId: load.accountId }),
  ...(load.region === undefined ? {} : { region: load.region }),
  message: load.message,
});

/**
 * Splits loads into inventories and failures. The same account-region
 * twice (in two files) is a failure of the second: scanning it twice would
 * double-count it.
 */
const sortLoads = (loads: readonly AccountRegionLoad[]): Loaded => {
  const seen = new Map<string, string>();
  const loaded: Loaded = { inventories: [], failed: [] };
  for (const load of loads) {
    if (!load.ok) {
      loaded.failed.push(failure(load));
      continue;
    }
    const { inventory, source } = load;
    const key = `${inventory.accountId}/${inventory.region}`;
    const first = seen.get(key);
    if (first) {
      loaded.failed.push({
        accountId: inventory.accountId,
        region: inventory.region,
        message: `${source}: the same account-region is also in ${first}`,
      });
      continue;
    }
    seen.set(key, source);
    loaded.inventories.push({ source, inventory });
  }
  return loaded;
};

const loadSnapshots = async (
  files: readonly string[]
): Promise<AccountRegionLoad[]> =>
  (await Promise.all(files.map(loadSnapshotFile))).flat();

/** The account id in a role ARN, for naming an account that failed early. */
const accountOfRole = (roleArn: string | undefined): string | undefined =>
  roleArn?.split(':')[4] || undefined;

/**
 * Loads every account (one per `--role-arn`, else the caller's) in every
 * `--region`, one after the other so EC2's per-account throttling budget
 * is not spent in bursts; progress goes to stderr on a terminal. An
 * account-region AWS refuses (AccessDenied, retries exhausted) is a
 * failure of its own; the others are still loaded.
 */
const loadLive = async (
  options: ScanOptions,
  rules: readonly PreparedRule[],
  io: CliIo
): Promise<AccountRegionLoad[]> => {
  const roles = options.roleArn?.length ? options.roleArn : [undefined];
  const sources = roles.flatMap((roleArn) =>
    (options.region ?? []).map((region) => ({
      region,
      roleArn,
      profile: options.profile,
    }))
  );
  const loads: AccountRegionLoad[] = [];
  for (const [index, source] of sources.entries()) {
    const name = `${source.roleArn ?? 'caller'} ${source.region}`;
    if (io.stderr.isTTY) {
      io.stderr.write(`scanning ${name} (${index + 1}/${sources.length})\n`);
    }
    try {
      const { inventory } = await loadLiveAccountRegion(source, rules, name);
      loads.push({ ok: true, source: name, inventory });
    } catch (error) {
      if (!(error instanceof AwsCallError || error instanceof InputError)) {
        throw error;
      }
      const accountId = accountOfRole(source.roleArn);
      loads.push({
        ok: false,
        source: name,
        region: source.region,
        ...(accountId === undefined ? {} : { accountId }),
        message: `${name}: ${error.message}`,
      });
    }
  }
  return loads;
};

const loadInventories = async (
  options: ScanOptions,
  rules: readonly PreparedRule[],
  io: CliIo
): Promise<Loaded> => {
  const organization = organizationRequest(options);
  if (organization) {
    const { loads, scope } = await loadOrganization(organization, rules, {
      progress: progressOn(io.stderr),
      warn: (line) => io.stderr.write(`${line}\n`),
    });
    return { ...sortLoads(loads), organization: scope };
  }
  const hasSnapshots = (options.snapshot?.length ?? 0) > 0;
  const hasRegions = (options.region?.length ?? 0) > 0;
  if (hasSnapshots === hasRegions) {
    throw new InputError(
      'scan: give either --snapshot FILE…, --region R… or --organization'
    );
  }
  return sortLoads(
    hasSnapshots
      ? await loadSnapshots(options.snapshot ?? [])
      : await loadLive(options, rules, io)
  );
};

/** `vpce-guard: 111122223333/us-east-1: snap.json[1]: Vpcs: expected an array…`. */
const failureLine = (problem: ScanProblem): string => {
  const where =
    problem.accountId === undefined || problem.region === undefined
      ? ''
      : `${problem.accountId}/${problem.region}: `;
  return `vpce-guard: ${where}${problem.message}\n`;
};

/**
 * `vpce-guard scan (--snapshot FILE… | --region R… | --organization)`: validates the
 * parameters, loads every account-region, evaluates those that loaded and
 * writes one report. An account-region that could not be loaded is one
 * line on stderr and an entry in the report's problems.
 *
 * @returns the exit status: 2 when an account-region could not be loaded
 *   (after the others are reported), else 1 when anything is NON_COMPLIANT
 */
const scan = async (options: ScanOptions, io: CliIo): Promise<number> => {
  const selected = selectRules(options.rules);
  const parameters = options.ruleParams
    ? await readRuleParameters(options.ruleParams)
    : {};
  const prepared = prepareRules(selected, parameters);
  for (const warning of ignoredParameterWarnings(prepared)) {
    io.stderr.write(`${warning}\n`);
  }
  const { inventories, failed, organization } = await loadInventories(
    options,
    prepared,
    io
  );
  for (const problem of failed) io.stderr.write(failureLine(problem));
  // Nothing loaded: nothing to report, only the reasons above.
  if (inventories.length === 0) return ExitCode.BAD_INPUT;
  const evaluated = evaluateAll(prepared, inventories, failed);
  const result = organization ? { ...evaluated, organization } : evaluated;
  const metadata = selected.map((rule) => rule.metadata);
  const text = renderReport(options.format, result, metadata, {
    runbookBaseUrl: options.runbookBaseUrl,
    color: options.output === undefined && io.stdout.isTTY === true,
    now: new Date(),
  });
  await writeReport(text, options.output, io);
  if (failed.length > 0) return ExitCode.BAD_INPUT;
  return hasFailures(result.evaluations) && !options.exitZero
    ? ExitCode.NON_COMPLIANT
    : ExitCode.CLEAN;
};

export type { Format, ScanOptions };
export { FORMATS, scan };
