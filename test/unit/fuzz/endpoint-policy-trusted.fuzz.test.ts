/**
 * Policy-analysis fuzzing (issue 7, part 3), policies with a trusted set
 * (`trustedOrgIds`/`trustedAccountIds`): see endpoint-policy.fuzz.test.ts
 * and test/helpers/endpoint-policy-property.ts. Outsiders here are every
 * principal outside the trusted set, including ones the policy names.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  checkCase,
  emptyTally,
  fuzzSettings,
} from '../../helpers/endpoint-policy-property.js';
import { trustedCaseArbitrary } from '../../helpers/policy-arbitraries.js';

const { seed, numRuns } = fuzzSettings(1000);

describe('endpoint-policy-restrictive against iam-simulate, with a trusted set', () => {
  it(`agrees on ${numRuns} generated policies (seed ${seed})`, async () => {
    // Arrange
    const tally = emptyTally();

    // Act
    await fc.assert(
      fc.asyncProperty(trustedCaseArbitrary, (fuzzCase) =>
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
