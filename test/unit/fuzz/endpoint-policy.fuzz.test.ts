/**
 * Policy-analysis fuzzing (issue 7, part 3), policies without a trusted
 * set: generated endpoint policies, the rule's verdict
 * (rules/endpoint-policy-restrictive/README.md) against the IAM policy
 * simulator `@cloud-copilot/iam-simulate`. The property is in
 * test/helpers/endpoint-policy-property.ts; the policies with a trusted set
 * are in endpoint-policy-trusted.fuzz.test.ts (a file of its own, so that
 * Jest can run the halves on separate workers).
 *
 * Rerun with another seed or more runs:
 *   FUZZ_SEED=7 FUZZ_RUNS=5000 NODE_OPTIONS=--experimental-vm-modules \
 *     npx jest test/unit/fuzz --selectProjects unit
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  checkCase,
  emptyTally,
  fuzzSettings,
} from '../../helpers/endpoint-policy-property.js';
import { untrustedCaseArbitrary } from '../../helpers/policy-arbitraries.js';

const { seed, numRuns } = fuzzSettings(1000);

describe('endpoint-policy-restrictive against iam-simulate, no trusted set', () => {
  it(`agrees on ${numRuns} generated policies (seed ${seed})`, async () => {
    // Arrange
    const tally = emptyTally();

    // Act
    await fc.assert(
      fc.asyncProperty(untrustedCaseArbitrary, (fuzzCase) =>
        checkCase(fuzzCase, tally)
      ),
      { seed, numRuns }
    );

    // Assert: both verdicts are common, so neither half is vacuous, and
    // the simulator confirms many "not restrictive" verdicts as written.
    const total = tally.restrictive + tally.open;
    expect(tally.restrictive).toBeGreaterThan(total / 5);
    expect(tally.open).toBeGreaterThan(total / 5);
    expect(tally.open - tally.documented).toBeGreaterThan(tally.open / 4);
  });
});

describe('the AGPL boundary', () => {
  /** Every TypeScript source under `dir`. */
  const sourcesUnder = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sourcesUnder(path);
      return path.endsWith('.ts') ? [path] : [];
    });

  // iam-simulate is AGPL-3.0: it may test the rule, never ship with it.
  it.each([['rules'], ['functions'], ['cli']])(
    'keeps @cloud-copilot packages out of %s/',
    (dir) => {
      // Arrange
      const sources = sourcesUnder(dir);

      // Act
      const importers = sources.filter((path) =>
        readFileSync(path, 'utf8').includes('@cloud-copilot/')
      );

      // Assert
      expect(sources.length).toBeGreaterThan(0);
      expect(importers).toEqual([]);
    }
  );
});
