import { Presets, SingleBar } from 'cli-progress';
import type { CliIo } from '../io.js';

/** How far an organization scan has got, for whoever watches it. */
interface ScanProgress {
  /** The scan is about to load `total` account-Regions. */
  start(total: number): void;
  /** One account-Region is done; `failed` when it could not be loaded. */
  done(failed: boolean): void;
  /** The scan is over: leave the terminal as it was, plus one line. */
  stop(): void;
}

/** Reports nothing: for a stderr that is a file or a pipe. */
const SILENT: ScanProgress = {
  start: () => undefined,
  done: () => undefined,
  stop: () => undefined,
};

/**
 * A progress bar on stderr when stderr is a terminal (cli-progress, which
 * redraws one line in place), and nothing otherwise: a log file or a CI
 * job gets the report and the failure lines, not redraw sequences.
 */
const progressOn = (stderr: CliIo['stderr']): ScanProgress => {
  if (stderr.isTTY !== true) return SILENT;
  const bar = new SingleBar(
    {
      stream: stderr,
      format:
        'scanning {bar} {value}/{total} account-Regions | {failed} not loaded | {duration_formatted}',
      hideCursor: false,
      clearOnComplete: false,
    },
    Presets.shades_classic
  );
  let failed = 0;
  return {
    start: (total) => bar.start(total, 0, { failed }),
    done: (notLoaded) => {
      if (notLoaded) failed += 1;
      bar.increment(1, { failed });
    },
    stop: () => bar.stop(),
  };
};

export type { ScanProgress };
export { progressOn, SILENT };
