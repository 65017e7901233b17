import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { progressOn } from '../../../cli/organization/progress.js';

/** A stream that remembers what was written; a terminal or not. */
class Capture extends Writable {
  public text = '';

  public constructor(public readonly isTTY: boolean) {
    super();
  }

  public override _write(
    chunk: Buffer,
    _encoding: string,
    done: () => void
  ): void {
    this.text += chunk.toString();
    done();
  }
}

const runScan = (stderr: Capture): void => {
  const progress = progressOn(stderr);
  progress.start(40);
  for (let i = 0; i < 40; i += 1) progress.done(i < 2);
  progress.stop();
};

describe('progressOn', () => {
  it('draws a progress bar on a terminal, ending with every account-Region done', () => {
    // Arrange
    const stderr = new Capture(true);

    // Act
    runScan(stderr);

    // Assert: the final frame, then the line the bar leaves behind
    expect(stderr.text).toContain('40/40 account-Regions | 2 not loaded');
    expect(stderr.text).toMatch(/\r?\n$/u);
  });

  it('writes nothing when stderr is not a terminal', () => {
    // Arrange
    const stderr = new Capture(false);

    // Act
    runScan(stderr);

    // Assert
    expect(stderr.text).toBe('');
  });
});
