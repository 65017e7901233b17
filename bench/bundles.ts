/**
 * The bundle part of `npm run bench`: builds the Lambda handler with the
 * esbuild settings infra gives `NodejsFunction` (infra/bundle-settings.ts)
 * and times its import in fresh Node processes.
 *
 * Infra deploys one function per rule, all from the same entry (`RULE_ID`
 * selects the rule), so the bundle is built once and its import is timed
 * once per rule with that rule's `RULE_ID`: one line per deployed function.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import {
  BUNDLE_SETTINGS,
  FUNCTION_NODE_OPTIONS,
  HANDLER_ENTRY,
} from '../infra/bundle-settings.js';
import { rules } from '../rules/index.js';
import { median, round } from './stats.js';

const run = promisify(execFile);

/** Fresh processes per function; the median is reported. */
const IMPORT_RUNS = 5;

/** One bundle line of the bench. */
interface BundleResult {
  readonly bundle: string;
  readonly bytes: number;
  /** The linked source map beside the bundle. */
  readonly mapBytes: number;
  /** With the function's NODE_OPTIONS, as Lambda imports it. */
  readonly importMs: number;
  /** The Node the import was timed on. */
  readonly node: string;
}

/**
 * Times `await import(bundle)` in the child, after Node itself has started,
 * so the figure is the module's load and top-level code: what a cold start
 * adds to the runtime's own start.
 */
const IMPORT_SCRIPT = [
  'const start = performance.now();',
  'await import(process.argv[1]);',
  'process.stdout.write(String(performance.now() - start));',
  'process.exit(0);',
].join('\n');

/**
 * The child's environment: no AWS profile or credentials of the caller,
 * every endpoint on a closed loopback port and no instance metadata, so a
 * module that called AWS at import would fail rather than reach a network.
 */
const importEnv = (ruleId: string): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_'))
  ),
  RULE_ID: ruleId,
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_EC2_METADATA_DISABLED: 'true',
});

/** Milliseconds one fresh process takes to import the bundle. */
const importOnce = async (bundle: string, ruleId: string): Promise<number> => {
  const { stdout } = await run(
    process.execPath,
    [
      FUNCTION_NODE_OPTIONS,
      '--input-type=module',
      '-e',
      IMPORT_SCRIPT,
      pathToFileURL(bundle).href,
    ],
    { env: importEnv(ruleId), timeout: 30_000 }
  );
  const ms = Number(stdout);
  if (!Number.isFinite(ms)) {
    throw new Error(`importing ${bundle} printed ${JSON.stringify(stdout)}`);
  }
  return ms;
};

/** Builds the handler bundle as infra does; returns its path (its map is `<path>.map`). */
const buildHandlerBundle = async (
  repoRoot: string,
  outDir: string
): Promise<string> => {
  const outfile = join(outDir, 'index.mjs');
  await build({
    absWorkingDir: repoRoot,
    entryPoints: [join(repoRoot, HANDLER_ENTRY)],
    outfile,
    bundle: true,
    sourcemap: BUNDLE_SETTINGS.sourceMap,
    sourcesContent: BUNDLE_SETTINGS.sourcesContent,
    logLevel: 'warning',
    format: BUNDLE_SETTINGS.format,
    platform: BUNDLE_SETTINGS.platform,
    target: BUNDLE_SETTINGS.target,
    minify: BUNDLE_SETTINGS.minify,
    keepNames: BUNDLE_SETTINGS.keepNames,
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    external: [...BUNDLE_SETTINGS.external],
    banner: { js: BUNDLE_SETTINGS.banner },
  });
  return outfile;
};

/**
 * Builds the bundle into a temporary directory, measures it for every
 * rule's function and removes it again.
 */
const measureBundles = async (repoRoot: string): Promise<BundleResult[]> => {
  const outDir = mkdtempSync(join(tmpdir(), 'vpce-guard-bench-bundle-'));
  try {
    const bundle = await buildHandlerBundle(repoRoot, outDir);
    const bytes = statSync(bundle).size;
    const mapBytes = statSync(`${bundle}.map`).size;
    const results: BundleResult[] = [];
    for (const rule of rules) {
      const times: number[] = [];
      for (let run = 0; run < IMPORT_RUNS; run++) {
        times.push(await importOnce(bundle, rule.metadata.id));
      }
      results.push({
        bundle: rule.metadata.id,
        bytes,
        mapBytes,
        importMs: round(median(times)),
        node: process.version,
      });
    }
    return results;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
};

export type { BundleResult };
export { measureBundles };
