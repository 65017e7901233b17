import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { run } from '../../cli/program.js';

/** A writable stream that remembers what was written. */
class Capture extends Writable {
  public text = '';
  public isTTY = false;

  public override _write(
    chunk: Buffer,
    _encoding: string,
    done: () => void
  ): void {
    this.text += chunk.toString();
    done();
  }
}

/** What one in-process run of the CLI produced. */
interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `vpce-guard` in-process with captured output. */
const runCli = async (...argv: string[]): Promise<CliResult> => {
  const stdout = new Capture();
  const stderr = new Capture();
  const status = await run(argv, { stdout, stderr });
  return { status, stdout: stdout.text, stderr: stderr.text };
};

/** Writes JSON into a fresh temporary directory and returns its path. */
const writeTemp = (name: string, value: unknown): string => {
  const directory = mkdtempSync(join(tmpdir(), 'vpce-guard-test-'));
  const file = join(directory, name);
  writeFileSync(
    file,
    typeof value === 'string' ? value : JSON.stringify(value)
  );
  return file;
};

export type { CliResult };
export { runCli, writeTemp };
