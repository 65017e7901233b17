/**
 * `npm run test:stress`: the integration tier on a machine whose every core
 * is busy, as a shared CI machine may be. One busy process per core spins
 * for the whole run; the tier runs RUNS times in a row (default 3) and the
 * script fails at the first failing run.
 *
 *   npm run test:stress                # three runs
 *   STRESS_RUNS=1 npm run test:stress  # one
 *
 * No test may depend on the machine's speed (README, "Tests under load"),
 * so every run must pass however long it takes.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';

const runs = Number(process.env.STRESS_RUNS ?? '3');
if (!Number.isInteger(runs) || runs < 1) {
  console.error(
    `test:stress: STRESS_RUNS must be a positive integer, got ${process.env.STRESS_RUNS}`
  );
  process.exit(2);
}
const cores = availableParallelism();

/** One process that keeps one core busy until it is killed. */
const spin = () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });

const hogs = Array.from({ length: cores }, spin);
const stopHogs = () => {
  for (const hog of hogs) hog.kill('SIGKILL');
};
process.on('exit', stopHogs);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopHogs();
    process.exit(130);
  });
}

/** Runs the integration tier once; resolves with its exit code. */
const integrationTier = () =>
  new Promise((resolve) => {
    const child = spawn('npm', ['run', 'test:integration'], {
      stdio: 'inherit',
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

console.error(
  `test:stress: ${cores} busy processes on ${cores} cores, ${runs} run(s) of the integration tier`
);
for (let run = 1; run <= runs; run += 1) {
  const started = process.hrtime.bigint();
  const code = await integrationTier();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const load = loadavg()[0]?.toFixed(1);
  const outcome = code === 0 ? 'passed' : `failed (exit ${code})`;
  console.error(
    `test:stress: run ${run}/${runs} ${outcome} in ${seconds.toFixed(0)} s, load average ${load}`
  );
  if (code !== 0) process.exit(1); // the exit handler stops the hogs
}
console.error(`test:stress: ${runs} run(s) in a row passed`);
// The busy processes keep the event loop alive: stop them, or this script
// would never exit.
stopHogs();
