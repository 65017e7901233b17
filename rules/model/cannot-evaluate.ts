/**
 * A resource the rules cannot decide: a field a rule needs is missing or
 * malformed, or what it references is not visible in the inventory (deleted
 * a moment ago, or owned by another account). The rule framework
 * (`rules/model/rule.ts`) turns it into a NON_COMPLIANT verdict whose
 * annotation begins `cannot evaluate:`. Never COMPLIANT on doubt, and never
 * a reason to give up on the account-region: AWS Config accepts no
 * INSUFFICIENT_DATA from PutEvaluations, and one odd resource must not cost
 * every other resource its evaluation.
 */
import { VpceGuardError } from './errors.js';

/** Thrown by a rule's judge; caught per resource by the framework. */
class CannotEvaluateError extends VpceGuardError {
  /** What is missing, e.g. `subnet subnet-1 is not in the inventory`. */
  public readonly reason: string;

  public constructor(reason: string) {
    super(`cannot evaluate: ${reason}`);
    this.name = 'CannotEvaluateError';
    this.reason = reason;
  }
}

/** Fields of one resource that the input held in a form no rule can read. */
type Unreadable = ReadonlyMap<string, string>;

/** What {@link required} needs of a resource to name it. */
interface Described {
  /** `subnet subnet-1`, `endpoint vpce-1`, `route table rtb-1`. */
  readonly label: string;
  /** Field name → what was wrong with it (`AvailabilityZoneId: missing`). */
  readonly unreadable: Unreadable;
}

/**
 * Throws {@link CannotEvaluateError} for `reason`.
 *
 * @throws CannotEvaluateError always
 */
const cannotEvaluate = (reason: string): never => {
  throw new CannotEvaluateError(reason);
};

/**
 * The value of `field` of a resource, or a {@link CannotEvaluateError}
 * that names the resource and what was wrong with the field (or that it is
 * missing). Only a rule that needs the field calls this, so a field no rule
 * reads can be anything.
 *
 * @throws CannotEvaluateError when `value` is undefined
 */
const required = <T>(
  value: T | undefined,
  resource: Described,
  field: string
): T =>
  value !== undefined ? value : cannotEvaluate(lacking(resource, field));

/**
 * Why `field` of a resource has no value: what was wrong with it, or that
 * it is missing.
 */
const lacking = (resource: Described, field: string): string => {
  const problem = resource.unreadable.get(field);
  return problem === undefined
    ? `${resource.label} has no ${field}`
    : `${resource.label}: ${problem}`;
};

/**
 * Throws when the resource as a whole is unusable (its id appears twice in
 * the input, so which one is meant is unknown).
 *
 * @throws CannotEvaluateError naming the conflict
 */
const usable = <R extends Described>(resource: R): R => {
  const whole = resource.unreadable.get(WHOLE_RESOURCE);
  if (whole !== undefined) cannotEvaluate(`${resource.label}: ${whole}`);
  return resource;
};

/** The {@link Unreadable} key of a problem with the resource as a whole. */
const WHOLE_RESOURCE = '*';

export type { Described, Unreadable };
export {
  CannotEvaluateError,
  cannotEvaluate,
  lacking,
  required,
  usable,
  WHOLE_RESOURCE,
};
