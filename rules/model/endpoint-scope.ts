import { required } from './cannot-evaluate.js';
import type { VpcEndpoint } from './inventory.js';
import { notApplicable, type Verdict } from './rule.js';

// Compared lower-cased: the wire says `pendingAcceptance`/`available`, some
// SDK enums say `PendingAcceptance`/`Available`.
const EVALUABLE_STATES = new Set(['available', 'pending', 'pendingacceptance']);

/**
 * True for `available`, `pending` and `pendingAcceptance`, in any case.
 *
 * @throws CannotEvaluateError when the endpoint's state is unreadable
 */
const isEvaluableState = (endpoint: VpcEndpoint): boolean =>
  EVALUABLE_STATES.has(required(endpoint.state, endpoint, 'State'));

/**
 * True when the endpoint's type is one of `types` (any case).
 *
 * @throws CannotEvaluateError when the endpoint's type is unreadable
 */
const isOfType = (
  endpoint: VpcEndpoint,
  ...types: readonly string[]
): boolean => {
  const type = required(endpoint.type, endpoint, 'VpcEndpointType');
  return types.some((t) => t.toLowerCase() === type.toLowerCase());
};

/**
 * The NOT_APPLICABLE verdict for an endpoint a rule does not evaluate
 * (another type, VPC Lattice's `Resource` and `ServiceNetwork` and types
 * AWS adds later included, or a state such as `deleting`, `rejected`,
 * `failed` or one not known yet), or `undefined` when the rule evaluates it.
 *
 * @throws CannotEvaluateError when the type or the state is unreadable
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
    return notApplicable(`endpoint state is ${endpoint.stateText}`);
  }
  return undefined;
};

export { isEvaluableState, isOfType, outOfScope };
