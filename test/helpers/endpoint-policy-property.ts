/**
 * The property the endpoint-policy fuzz tests check (test/unit/fuzz/), from
 * the data-perimeter meaning of `endpoint-policy-restrictive`
 * (rules/endpoint-policy-restrictive/README.md):
 * - the rule says **restrictive** ⇒ the simulator denies every sampled
 *   outside request (an outside principal, an outside resource, every
 *   sampled action and caller-controlled context; see iam-oracle.ts);
 * - the rule says **not restrictive** ⇒ the simulator lets at least one
 *   through, as the policy is written or, failing that, as the rule's
 *   documented reading relaxes it (documented-reading.ts). A "not
 *   restrictive" that even the relaxed policy does not justify is a
 *   counter-example.
 *
 * Outsiders are IAM principals of accounts outside every trusted org and
 * account (and outside the endpoint's org, which no generated policy
 * names), calling directly: never AWS services (the rule's reference:
 * service principals are trusted; `aws:PrincipalIsAWSService`/
 * `aws:ViaAWSService` = false is the perimeter exemption) and never anonymous callers (the issue defines
 * an outsider as an account; README "Policy fuzzing" says what an unsigned
 * request could do).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  analyzeEndpointPolicy,
  type TrustedSet,
} from '../../rules/model/endpoint-policy.js';
import {
  documentedReading,
  FIRST_READING,
  FULL_READING,
  oneDenyAtATime,
} from './documented-reading.js';
import {
  describeRequest,
  findOutsideRequestLetThrough,
  type OracleScope,
} from './iam-oracle.js';
import {
  ENDPOINT_ACCOUNT,
  ENDPOINT_ID,
  ENDPOINT_VPC,
  type GeneratedPolicy,
  type PolicyCase,
} from './policy-arbitraries.js';

type Json = Record<string, unknown>;

/** Counts of what the property saw, to check the generator's balance. */
interface Tally {
  restrictive: number;
  open: number;
  /** "Not restrictive" confirmed only under the documented reading. */
  documented: number;
  /** …and only once actions and resources are read unpaired. */
  unpaired: number;
  /** …and only once each Deny is asked alone. */
  oneDeny: number;
}

/** A tally with every count at zero. */
const emptyTally = (): Tally => ({
  restrictive: 0,
  open: 0,
  documented: 0,
  unpaired: 0,
  oneDeny: 0,
});

/**
 * The seed and the number of runs: fixed, so that `npm test` is
 * reproducible; FUZZ_SEED and FUZZ_RUNS override them.
 *
 * @param defaultRuns - the runs of one fuzz file under `npm test`
 */
const fuzzSettings = (
  defaultRuns: number
): { readonly seed: number; readonly numRuns: number } => ({
  seed: Number(process.env.FUZZ_SEED ?? 20_250_607),
  numRuns: Number(process.env.FUZZ_RUNS ?? defaultRuns),
});

/** The trusted set, `undefined` when none (empty lists are none). */
const trustedSetOf = ({ trusted }: PolicyCase): TrustedSet | undefined =>
  trusted !== undefined &&
  (trusted.orgIds.length > 0 || trusted.accountIds.length > 0)
    ? trusted
    : undefined;

const scopeOf = (fuzzCase: PolicyCase): OracleScope => ({
  endpointAccountId: ENDPOINT_ACCOUNT,
  endpointId: ENDPOINT_ID,
  endpointVpc: ENDPOINT_VPC,
  trusted: trustedSetOf(fuzzCase),
});

/** Whether the simulator lets an outside request through `policy`. */
const letsSomethingThrough = async (
  policy: GeneratedPolicy,
  fuzzCase: PolicyCase
): Promise<boolean> =>
  (await findOutsideRequestLetThrough(
    policy as unknown as Json,
    scopeOf(fuzzCase)
  )) !== undefined;

/**
 * Whether the documented reading lets an outside request through, trying
 * the readings from the narrowest: every relaxation but `unpaired`, then
 * all of them, then all of them with one Deny at a time (every such policy
 * must let something through).
 */
const documentedReadingLetsThrough = async (
  fuzzCase: PolicyCase,
  tally: Tally
): Promise<boolean> => {
  const trusted = trustedSetOf(fuzzCase);
  const first = documentedReading(fuzzCase.policy, {
    trusted,
    relaxations: FIRST_READING,
  });
  if (await letsSomethingThrough(first, fuzzCase)) {
    tally.documented += 1;
    return true;
  }
  const full = documentedReading(fuzzCase.policy, {
    trusted,
    relaxations: FULL_READING,
  });
  if (await letsSomethingThrough(full, fuzzCase)) {
    tally.documented += 1;
    tally.unpaired += 1;
    return true;
  }
  const singles = oneDenyAtATime(full);
  if (singles.length === 0) return false;
  for (const single of singles) {
    if (!(await letsSomethingThrough(single, fuzzCase))) return false;
  }
  tally.documented += 1;
  tally.oneDeny += 1;
  return true;
};

/**
 * The property for one case: returns when the rule and the simulator
 * agree, throws with the evidence otherwise.
 */
const checkCase = async (fuzzCase: PolicyCase, tally: Tally): Promise<void> => {
  const verdict = analyzeEndpointPolicy(fuzzCase.policy, {
    endpointAccountId: ENDPOINT_ACCOUNT,
    ...(fuzzCase.trusted === undefined ? {} : { trusted: fuzzCase.trusted }),
  });
  const through = await findOutsideRequestLetThrough(
    fuzzCase.policy as unknown as Json,
    scopeOf(fuzzCase)
  );
  if (verdict.restrictive) {
    tally.restrictive += 1;
    if (through !== undefined) {
      throw new Error(
        `rule says "${verdict.reason}" but the simulator lets through ${describeRequest(through)}`
      );
    }
    return;
  }
  tally.open += 1;
  if (through !== undefined) return;
  if (!(await documentedReadingLetsThrough(fuzzCase, tally))) {
    throw new Error(
      `rule says "${verdict.reason}" but the simulator denies every outside request, also under the documented reading`
    );
  }
};

export type { Tally };

/**
 * One fuzz suite: `numRuns` policies from `cases`, each checked with
 * {@link checkCase}, then the tally asserted: both verdicts are common, so
 * neither half is vacuous, and the simulator confirms many "not
 * restrictive" verdicts as written.
 *
 * @param name - the describe block's name
 */
const fuzzAgainstSimulator = (
  name: string,
  cases: fc.Arbitrary<PolicyCase>
): void => {
  const { seed, numRuns } = fuzzSettings(1000);
  describe(name, () => {
    it(`agrees on ${numRuns} generated policies (seed ${seed})`, async () => {
      // Arrange
      const tally = emptyTally();

      // Act
      await fc.assert(
        fc.asyncProperty(cases, (fuzzCase) => checkCase(fuzzCase, tally)),
        { seed, numRuns }
      );

      // Assert
      const total = tally.restrictive + tally.open;
      expect(tally.restrictive).toBeGreaterThan(total / 5);
      expect(tally.open).toBeGreaterThan(total / 5);
      expect(tally.open - tally.documented).toBeGreaterThan(tally.open / 4);
    });
  });
};

export { checkCase, emptyTally, fuzzAgainstSimulator, fuzzSettings };
