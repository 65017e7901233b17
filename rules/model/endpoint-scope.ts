import type { Inventory, VpcEndpoint } from './inventory.js';
import { notApplicable, type Verdict } from './rule.js';

// Compared lower-cased: the wire says `pendingAcceptance`/`available`, some
// SDK enums say `PendingAcceptance`/`Available`.
const EVALUABLE_STATES = new Set(['available', 'pending', 'pendingacceptance']);

/** True for `available`, `pending` and `pendingAcceptance`, in any case. */
const isEvaluableState = (endpoint: VpcEndpoint): boolean =>
  EVALUABLE_STATES.has(endpoint.state);

/** True when the endpoint's type is one of `types` (any case). */
const isOfType = (
  endpoint: VpcEndpoint,
  ...types: readonly string[]
): boolean =>
  types.some((type) => type.toLowerCase() === endpoint.type.toLowerCase());

/**
 * The NOT_APPLICABLE verdict for an endpoint a rule does not evaluate
 * (another type, or a state such as `deleting`, `rejected`, `failed`), or
 * `undefined` when the rule evaluates it.
 */
const outOfScope = (
  endpoint: VpcEndpoint,
  types: readonly string[]
): Verdict | undefined => {
  if (!isOfType(endpoint, ...types)) {
    return notApplicable(
      `${endpoint.type} endpoint: the rule checks ${types.join(' and ')} endpoints`
    );
  }
  if (!isEvaluableState(endpoint)) {
    return notApplicable(`endpoint state is ${endpoint.raw.State}`);
  }
  return undefined;
};

/** `111122223333/us-east-1`, to say where an input error is. */
const locate = (inventory: Inventory): string =>
  `${inventory.accountId}/${inventory.region}`;

export { isEvaluableState, isOfType, locate, outOfScope };
