/**
 * Jest global setup of the `integration` project: starts moto in server mode
 * on a free loopback port and points the AWS SDK at it through the
 * environment, which the test workers inherit.
 *
 * It is a project-level hook, so Jest runs it only when integration tests
 * are selected (`--selectProjects unit` never starts moto).
 *
 * This file is loaded through Jest's CommonJS transform, so it must not use
 * `import.meta`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What global setup leaves in `globalThis` for global teardown (both hooks
 * run in Jest's parent process). Jest loads these hooks without the
 * project's module mapper, so they share state this way rather than
 * through a relative import.
 */
export interface MotoServer {
  /** The loopback endpoint moto serves, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** The file moto's stdout and stderr go to (removed by `stop()`). */
  readonly logFile: string;
  /** Stops moto and restores the AWS environment variables. */
  stop(): Promise<void>;
}

/** The `globalThis` key of the running {@link MotoServer}. */
export const MOTO_SERVER_KEY = Symbol.for('vpce-guard.integration.moto');

/** The environment variables setup overrides and teardown restores. */
const AWS_ENV_KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
] as const;

const slot = globalThis as { [MOTO_SERVER_KEY]?: MotoServer | undefined };

/**
 * Stops a child: SIGTERM, then SIGKILL if it has not exited within
 * `graceMs`. Resolves once the process is gone.
 */
const stopChild = async (child: ChildProcess, graceMs = 5_000) => {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
  });
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
};

const HOST = '127.0.0.1';
// Deadlines that only catch a moto that will never come up: on a busy
// machine its Python start-up alone can take tens of seconds.
const STARTUP_TIMEOUT_MS = 300_000;
const PROBE_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 150;

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port of a probe listener'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });

/** The last `lines` lines of a log file, or a note that it is unreadable. */
const tail = (file: string, lines = 40): string => {
  try {
    return readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .join('\n');
  } catch (error) {
    return `(log ${file} unreadable: ${String(error)})`;
  }
};

/** Whether moto's management API answers at `endpoint`. */
const answers = async (endpoint: string): Promise<boolean> => {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
};

/** Polls moto until it answers; throws with the log's tail otherwise. */
const waitUntilReady = async (
  child: ChildProcess,
  endpoint: string,
  logFile: string
): Promise<void> => {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `moto exited during startup (code ${child.exitCode}, signal ${child.signalCode}). ` +
          `Is it installed? pip install 'moto[server]'\n--- ${logFile} ---\n${tail(logFile)}`
      );
    }
    if (await answers(endpoint)) {
      return;
    }
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(
    `moto did not answer at ${endpoint}/moto-api/ within ${STARTUP_TIMEOUT_MS} ms\n` +
      `--- ${logFile} ---\n${tail(logFile)}`
  );
};

/** Starts moto and exports the AWS environment for the test workers. */
export default async function globalSetup(): Promise<void> {
  // Watch mode re-runs global setup; never leak the previous server.
  await slot[MOTO_SERVER_KEY]?.stop();

  const port = await freePort();
  const endpoint = `http://${HOST}:${port}`;
  const logDir = mkdtempSync(join(tmpdir(), 'vpce-guard-moto-'));
  const logFile = join(logDir, 'moto.log');
  const logFd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      'python3',
      ['-m', 'moto.server', '-H', HOST, '-p', String(port)],
      { detached: false, stdio: ['ignore', logFd, logFd] }
    );
  } finally {
    closeSync(logFd);
  }
  // A failed spawn (no python3) is reported through `exitCode` below.
  child.on('error', () => undefined);
  // Last resort if Jest exits without running teardown.
  const killOnExit = () => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));

  try {
    await waitUntilReady(child, endpoint, logFile);
  } catch (error) {
    await stopChild(child);
    throw error;
  }

  const savedEnv = Object.fromEntries(
    AWS_ENV_KEYS.map((key) => [key, process.env[key]])
  );
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_SESSION_TOKEN = 'testing';
  delete process.env.AWS_PROFILE;

  slot[MOTO_SERVER_KEY] = {
    endpoint,
    logFile,
    async stop() {
      slot[MOTO_SERVER_KEY] = undefined;
      await stopChild(child);
      // A failed startup keeps its log (its tail is in the error); a clean
      // run leaves nothing behind.
      rmSync(logDir, { recursive: true, force: true });
      for (const [key, value] of Object.entries(savedEnv)) {
        if (value === undefined) {
          delete process.env[key];
        } else {
          process.env[key] = value;
        }
      }
    },
  };
}
