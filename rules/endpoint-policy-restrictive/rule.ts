import { cannotEvaluate } from '../model/cannot-evaluate.js';
import { analyzeEndpointPolicy } from '../model/endpoint-policy.js';
import { outOfScope } from '../model/endpoint-scope.js';
import { serviceDetailOf, serviceOf } from '../model/lookups.js';
import {
  compliant,
  defineRule,
  nonCompliant,
  notApplicable,
} from '../model/rule.js';
import { metadata, parameters } from './metadata.js';

/** `endpoint-policy-restrictive`: see `rules/endpoint-policy-restrictive/README.md`. */
const rule = defineRule({
  metadata,
  parameters,
  resources: (inventory) => inventory.endpoints.values(),
  judge:
    (inventory, { trustedOrgIds, trustedAccountIds }) =>
    (endpoint) => {
      const skip = outOfScope(endpoint, ['Interface', 'Gateway']);
      if (skip) return skip;
      // A missing detail, or one without the key, counts as supporting
      // policies: better a finding than a silent pass.
      if (
        serviceDetailOf(inventory, endpoint)?.vpcEndpointPolicySupported ===
        false
      ) {
        return notApplicable(
          `${serviceOf(endpoint).name} does not support endpoint policies`
        );
      }
      const unreadable = endpoint.unreadable.get('PolicyDocument');
      if (unreadable !== undefined) cannotEvaluate(unreadable);
      const verdict = analyzeEndpointPolicy(endpoint.policy, {
        endpointAccountId: endpoint.ownerId ?? inventory.accountId,
        trusted: { orgIds: trustedOrgIds, accountIds: trustedAccountIds },
      });
      return verdict.restrictive
        ? compliant(verdict.reason)
        : nonCompliant(verdict.reason);
    },
});

export { rule };
