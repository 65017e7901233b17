/**
 * `npm run bench`: generates synthetic landscapes of three sizes and measures
 * snapshot parsing and rule evaluation. Each size runs in a fresh child
 * process so its peak RSS is its own; each prints one JSON line.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { validateAccountRegion } from '../functions/shared/snapshot-loader.js';
import { rules } from '../rules/index.js';
import { buildInventory } from '../rules/model/inventory.js';
import { generateLandscape, type LandscapeSize } from './landscape.js';

const SEED = 20240601;
const BASE: LandscapeSize = { vpcs: 5, subnets: 100, endpoints: 60 };
const CASES: Readonly<Record<string, number>> = { S: 1, M: 10, L: 100 };

const round = (value: number, digits = 1): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

const runCase = (name: string): void => {
  const factor = CASES[name];
  if (factor === undefined) throw new Error(`unknown bench case ${name}`);
  const size: LandscapeSize = {
    vpcs: BASE.vpcs * factor,
    subnets: BASE.subnets * factor,
    endpoints: BASE.endpoints * factor,
  };
  const text = JSON.stringify(generateLandscape(size, SEED));

  const parseStart = performance.now();
  const snapshot = validateAccountRegion(JSON.parse(text), `bench-${name}`);
  const inventory = buildInventory(snapshot);
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

const runChild = (name: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [name], {
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`bench case ${name} exited with ${code}`))
    );
  });

const main = async (): Promise<void> => {
  const name = process.argv[2];
  if (name !== undefined) {
    runCase(name);
    return;
  }
  for (const caseName of Object.keys(CASES)) await runChild(caseName);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
