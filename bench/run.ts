/**
 * `npm run bench`, in four parts, each printing JSON lines on stdout
 * (progress goes to stderr); `npm run bench -- <part>` runs one part alone
 * (`evaluation`, `live`, `organization`, `bundles`):
 *
 * 1. evaluation: synthetic landscapes of three sizes, snapshot parsing and
 *    every rule of the registry; each size in a fresh child process so its
 *    peak RSS is its own;
 * 2. live load: the S and M landscapes recreated in moto (started here on a
 *    free loopback port, stopped at the end even on failure) and loaded
 *    through a call-counting client, against the minimum calls; then, on
 *    the same landscape and in a child process of its own, the delta
 *    scenarios of every rule's handler (bench/delta.ts);
 * 3. organization scan: 20 and 50 accounts × 2 Regions of S landscapes in
 *    moto (bench/organization-scan.ts), scanned at several concurrencies;
 * 4. bundles: the Lambda bundle built as infra builds it, its size and its
 *    import time in fresh processes.
 */
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAccountRegion } from '../functions/shared/formats/snapshot.js';
import { rules } from '../rules/index.js';
import { generateLandscape, type LandscapeSize } from './landscape.js';
import type { MotoServer } from './moto-server.js';
import { round } from './stats.js';

const SEED = 20240601;
const BASE: LandscapeSize = { vpcs: 5, subnets: 100, endpoints: 60 };
const CASES: Readonly<Record<string, number>> = { S: 1, M: 10, L: 100 };
const LIVE_CASES = ['S', 'M'] as const;

/** The repository root, from `dist-bench/bench/run.js`. */
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const sizeOf = (name: string): LandscapeSize => {
  const factor = CASES[name];
  if (factor === undefined) throw new Error(`unknown bench case ${name}`);
  return {
    vpcs: BASE.vpcs * factor,
    subnets: BASE.subnets * factor,
    endpoints: BASE.endpoints * factor,
  };
};

const runCase = (name: string): void => {
  const text = JSON.stringify(generateLandscape(sizeOf(name), SEED));

  const parseStart = performance.now();
  const inventory = readAccountRegion(JSON.parse(text), `bench-${name}`);
  const snapshotParseMs = performance.now() - parseStart;

  const prepared = rules.map((rule) => rule.prepare({}));
  const evaluateStart = performance.now();
  let resources = 0;
  for (const rule of prepared) resources += rule.evaluate(inventory).length;
  const evaluateMs = performance.now() - evaluateStart;

  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      case: name,
      resources,
      evaluateMs: round(evaluateMs),
      resourcesPerSec: Math.round(resources / (evaluateMs / 1000)),
      peakRssMb: round(peakRssMb),
      snapshotParseMs: round(snapshotParseMs),
    })
  );
};

const runChild = (...args: string[]): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), args, {
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`bench ${args.join(' ')} exited with ${code}`))
    );
  });

/** In a child: the delta scenarios of `name` against moto at `endpoint`. */
const runDelta = async (name: string, endpoint: string): Promise<void> => {
  const { measureDelta } = await import('./delta.js');
  for (const line of await measureDelta(endpoint, name)) {
    console.log(JSON.stringify(line));
  }
};

/**
 * Runs `part` against a moto of its own, stopped however the part ends
 * (also on Ctrl-C). Parts 2 to 4 are imported only when they run, so the
 * evaluation children do not load the SDK or esbuild and their peak RSS
 * stays their own.
 */
const withMoto = async (
  part: (moto: MotoServer) => Promise<void>
): Promise<void> => {
  const { startMoto } = await import('./moto-server.js');
  const moto = await startMoto();
  const stopOnSignal = (signal: NodeJS.Signals) => {
    void moto.stop().finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    await part(moto);
  } finally {
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
    await moto.stop();
  }
};

/**
 * Part 2: the S and M live loads, one moto for both, each followed by the
 * delta scenarios on the same landscape, in a child of their own.
 */
const runLiveLoads = (): Promise<void> =>
  withMoto(async (moto) => {
    const { measureLiveLoad } = await import('./live-load.js');
    for (const name of LIVE_CASES) {
      const landscape = generateLandscape(sizeOf(name), SEED);
      console.log(JSON.stringify(await measureLiveLoad(moto, name, landscape)));
      await runChild('delta', name, moto.endpoint);
    }
  });

/** Part 3: organization scans of S accounts. */
const runOrganizationScans = (): Promise<void> =>
  withMoto(async (moto) => {
    const { measureOrganizationScans } = await import('./organization-scan.js');
    await measureOrganizationScans(
      moto,
      generateLandscape(sizeOf('S'), SEED),
      (line) => console.log(JSON.stringify(line))
    );
  });

/** Part 1: each size in a child process of its own. */
const runEvaluations = async (): Promise<void> => {
  for (const caseName of Object.keys(CASES)) await runChild(caseName);
};

/** Part 4: the Lambda bundle, as infra builds it. */
const runBundles = async (): Promise<void> => {
  const { measureBundles } = await import('./bundles.js');
  for (const line of await measureBundles(REPO_ROOT)) {
    console.log(JSON.stringify(line));
  }
};

/** The parts, in the order `npm run bench` runs them. */
const PARTS: Readonly<Record<string, () => Promise<void>>> = {
  evaluation: runEvaluations,
  live: runLiveLoads,
  organization: runOrganizationScans,
  bundles: runBundles,
};

const main = async (): Promise<void> => {
  const [name, deltaCase, endpoint] = process.argv.slice(2);
  if (name === 'delta' && deltaCase !== undefined && endpoint !== undefined) {
    await runDelta(deltaCase, endpoint);
    return;
  }
  if (name !== undefined && name in CASES) {
    runCase(name);
    return;
  }
  const part = name === undefined ? undefined : PARTS[name];
  if (name !== undefined && part === undefined) {
    throw new Error(
      `unknown bench part ${JSON.stringify(name)}; expected one of ${Object.keys(PARTS).join(', ')}`
    );
  }
  for (const run of part ? [part] : Object.values(PARTS)) await run();
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
