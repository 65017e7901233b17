/**
 * Starts moto in server mode on a free loopback port for the bench, and
 * stops it again. (The integration tests' Jest global setup has its own
 * copy: Jest loads that hook through its CommonJS transform without the
 * project's module mapper, so it cannot import this ESM module.)
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

/** A running moto server. */
interface MotoServer {
  /** The loopback endpoint moto serves, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** Wipes every resource moto holds, back to its initial state. */
  reset(): Promise<void>;
  /** Stops moto (SIGTERM, then SIGKILL) and removes its log. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const STARTUP_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 150;
const STOP_GRACE_MS = 5_000;

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

/** The last lines of a log file, or a note that it is unreadable. */
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

const exited = (child: ChildProcess): boolean =>
  child.exitCode !== null || child.signalCode !== null;

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone. */
const stopChild = async (child: ChildProcess): Promise<void> => {
  if (exited(child)) return;
  const gone = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
  });
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STOP_GRACE_MS);
  });
  const outcome = await Promise.race([gone, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await gone;
  }
};

/** Whether moto's management API answers at `endpoint`. */
const answers = async (endpoint: string): Promise<boolean> => {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, {
      signal: AbortSignal.timeout(2_000),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
};

/**
 * Starts `python3 -m moto.server` on a free 127.0.0.1 port and waits until
 * it answers. The child is killed when this process exits, even if
 * `stop()` is never called.
 *
 * @throws Error with the tail of moto's log when it does not come up
 */
const startMoto = async (): Promise<MotoServer> => {
  const port = await freePort();
  const endpoint = `http://${HOST}:${port}`;
  const logDir = mkdtempSync(join(tmpdir(), 'vpce-guard-bench-moto-'));
  const logFile = join(logDir, 'moto.log');
  const logFd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      'python3',
      ['-m', 'moto.server', '-H', HOST, '-p', String(port)],
      { stdio: ['ignore', logFd, logFd] }
    );
  } finally {
    closeSync(logFd);
  }
  // A failed spawn (no python3) shows up as an exit below.
  child.on('error', () => undefined);
  const killOnExit = () => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));

  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(logDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await answers(endpoint))) {
    if (exited(child) || Date.now() > deadline) {
      const why = exited(child)
        ? `moto exited during startup (code ${child.exitCode}, signal ${child.signalCode}); is it installed? pip install 'moto[server]'`
        : `moto did not answer at ${endpoint}/moto-api/ within ${STARTUP_TIMEOUT_MS} ms`;
      const log = tail(logFile);
      await stop();
      throw new Error(`${why}\n--- moto log ---\n${log}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }

  return {
    endpoint,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, {
        method: 'POST',
      });
      await response.arrayBuffer();
      if (!response.ok) {
        throw new Error(`moto reset failed: HTTP ${response.status}`);
      }
    },
    stop,
  };
};

export type { MotoServer };
export { startMoto };
