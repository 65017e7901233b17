/**
 * Policy-analysis fuzzing (issue 7, part 3), policies with a trusted set
 * (`trustedOrgIds`/`trustedAccountIds`): see endpoint-policy.fuzz.test.ts
 * and test/helpers/endpoint-policy-property.ts. Outsiders here are every
 * principal outside the trusted set, including ones the policy names.
 */
import { fuzzAgainstSimulator } from '../../helpers/endpoint-policy-property.js';
import { trustedCaseArbitrary } from '../../helpers/policy-arbitraries.js';

fuzzAgainstSimulator(
  'endpoint-policy-restrictive against iam-simulate, with a trusted set',
  trustedCaseArbitrary
);
