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
import { fuzzAgainstSimulator } from '../../helpers/endpoint-policy-property.js';
import { untrustedCaseArbitrary } from '../../helpers/policy-arbitraries.js';

fuzzAgainstSimulator(
  'endpoint-policy-restrictive against iam-simulate, no trusted set',
  untrustedCaseArbitrary
);

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
