import { editDistance } from './edit-distance.js';

/**
 * One rule parameter: how to read it from Config's `InputParameters`, its
 * default, and the words used when a value is rejected.
 */
interface ParameterSpec<T> {
  readonly name: string;
  readonly description: string;
  readonly defaultValue: T;
  /** The default as Config would send it, for docs and `vpce-guard rules`. */
  readonly defaultText: string;
  /** What a valid value looks like, for error messages. */
  readonly expected: string;
  /** Returns the value, or `undefined` when `raw` is not a valid value. */
  readonly parse: (raw: unknown) => T | undefined;
  /**
   * Says what is wrong with an invalid `raw` when that is more precise than
   * quoting it whole (the one bad item of a long list).
   */
  readonly problem?: (raw: unknown) => string | undefined;
}

/** Rule parameters as Config delivers them: a JSON object, values mostly strings. */
type RawParameters = Readonly<Record<string, unknown>>;

/**
 * Names that share a rule's `InputParameters` object without being rule
 * parameters; every rule accepts them silently.
 *
 * AWS Config itself adds no name to `InputParameters`, for account,
 * organization or conformance-pack rules alike: it passes the object it was
 * given (the rest of the invocation context is in the event's own fields,
 * `executionRoleArn`, `accountId`, `configRuleArn`). The names that arrive
 * there besides the rule's own are the multi-account conventions of AWS's
 * Rule Development Kit (rdklib's `ConfigRule` and `ClientFactory`, which
 * organization rules are commonly built with and whose parameter names
 * this project's organization stack follows):
 *
 * - `ExecutionRoleName`: the member-account role to act through, which
 *   vpce-guard's organization deployment sets and the Lambda assumes
 *   (functions/config-rule/run-config-rule.ts);
 * - `ExecutionRoleRegion`: rdklib's Region for that role's STS call
 *   (vpce-guard uses the event's Region);
 * - `AssumeRoleMode`: rdklib's switch for acting through the role
 *   (vpce-guard acts through it exactly when `ExecutionRoleName` is set).
 */
const CONFIG_ACCEPTED_PARAMETERS: readonly string[] = Object.freeze([
  'ExecutionRoleName',
  'ExecutionRoleRegion',
  'AssumeRoleMode',
]);

/**
 * How far a parameter name may be from a known one and still be a typo of
 * it, in edits after case is ignored: two catch a dropped letter next to a
 * swapped pair. The names a rule knows are at least six edits apart
 * (test/unit/model/parameter-names.test.ts checks it), so a name is a near
 * miss of one of them at most, and the suggestion is never a guess.
 */
const MAX_TYPO_EDITS = 2;

/**
 * The known name `name` is a typo of: one that differs from it only in
 * case, or by at most {@link MAX_TYPO_EDITS} insertions, deletions,
 * substitutions or adjacent transpositions once case is ignored; the
 * nearest one when several are. `undefined` when `name` is known itself or
 * near none.
 */
const nearMissOf = (
  name: string,
  known: readonly string[]
): string | undefined => {
  if (known.includes(name)) return undefined;
  const folded = name.toLowerCase();
  let nearest: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(folded, candidate.toLowerCase());
    if (distance > MAX_TYPO_EDITS) continue;
    if (nearest === undefined || distance < nearest.distance) {
      nearest = { name: candidate, distance };
    }
  }
  return nearest?.name;
};

/**
 * Whether a parameter value means "use the default". Config sends every
 * value as a string; an empty string (or null, which some infrastructure
 * tools write for "unset") is unset.
 */
const isUnset = (raw: unknown): boolean =>
  raw === undefined ||
  raw === null ||
  (typeof raw === 'string' && raw.trim() === '');

const parseBoolean = (raw: unknown): boolean | undefined => {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  return undefined;
};

const parseInteger = (raw: unknown): number | undefined => {
  if (typeof raw === 'number')
    return Number.isSafeInteger(raw) ? raw : undefined;
  if (typeof raw !== 'string' || !/^\s*[-+]?\d+\s*$/.test(raw))
    return undefined;
  const value = Number.parseInt(raw, 10);
  return Number.isSafeInteger(value) ? value : undefined;
};

// Config sends strings; a JSON number (an account id written unquoted) and
// arrays are accepted too. Numbers lose leading zeros, which then fails the
// item pattern rather than being guessed at.
const asListItem = (item: unknown): string | undefined => {
  if (typeof item === 'string') return item;
  if (typeof item === 'number' && Number.isSafeInteger(item))
    return String(item);
  return undefined;
};

const parseList = (raw: unknown): string[] | undefined => {
  const items =
    typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : [raw];
  const texts = items.map(asListItem);
  const read = texts.filter((t): t is string => t !== undefined);
  if (read.length !== texts.length) return undefined;
  return [...new Set(read.map((t) => t.trim()).filter((t) => t !== ''))];
};

/**
 * A `true`/`false` parameter; booleans are read in any case (`"True"`).
 *
 * @param name - the parameter name in `InputParameters`
 * @param description - one sentence for docs
 * @param defaultValue - used when the parameter is missing or empty
 */
const booleanParameter = (
  name: string,
  description: string,
  defaultValue: boolean
): ParameterSpec<boolean> => ({
  name,
  description,
  defaultValue,
  defaultText: String(defaultValue),
  expected: 'true or false',
  parse: parseBoolean,
});

/**
 * An integer parameter with a lower bound, and an upper one when given.
 *
 * @param options.min - smallest accepted value
 * @param options.max - largest accepted value; none when absent
 */
const integerParameter = (
  name: string,
  description: string,
  defaultValue: number,
  options: { readonly min: number; readonly max?: number }
): ParameterSpec<number> => {
  const { min, max } = options;
  return {
    name,
    description,
    defaultValue,
    defaultText: String(defaultValue),
    expected:
      max === undefined
        ? `an integer ≥ ${min}`
        : `an integer from ${min} to ${max}`,
    parse: (raw) => {
      const value = parseInteger(raw);
      if (value === undefined || value < min) return undefined;
      return max === undefined || value <= max ? value : undefined;
    },
  };
};

/**
 * A comma-separated list (a JSON array of strings is accepted too). Items
 * are trimmed and de-duplicated; each must match `item.pattern`.
 *
 * @param options.item - what one item looks like
 * @param options.lowerCase - compare items case-insensitively
 * @param options.nonEmpty - an empty list is invalid (rather than "none")
 */
const listParameter = (
  name: string,
  description: string,
  defaultValue: readonly string[],
  options: {
    readonly item: { readonly pattern: RegExp; readonly description: string };
    readonly lowerCase?: boolean;
    readonly nonEmpty?: boolean;
  }
): ParameterSpec<readonly string[]> => ({
  name,
  description,
  defaultValue,
  defaultText: defaultValue.join(','),
  expected: `a comma-separated list of ${options.item.description}`,
  parse: (raw) => {
    const parsed = parseList(raw);
    if (!parsed) return undefined;
    // Lower-cased before repeats are dropped: `SSM,ssm` is one service.
    const items = options.lowerCase
      ? [...new Set(parsed.map((i) => i.toLowerCase()))]
      : parsed;
    if (options.nonEmpty && items.length === 0) return undefined;
    return items.every((i) => options.item.pattern.test(i)) ? items : undefined;
  },
  problem: (raw) => {
    // Only worth saying for several items: one item is the value itself.
    const items = parseList(raw);
    if (!items || items.length < 2) return undefined;
    const bad = items.find(
      (i) => !options.item.pattern.test(options.lowerCase ? i.toLowerCase() : i)
    );
    return bad === undefined ? undefined : `${describeValue(bad)} is not one`;
  },
});

/** A free-text parameter that must match `pattern`. */
const stringParameter = (
  name: string,
  description: string,
  defaultValue: string,
  options: { readonly pattern: RegExp; readonly expected: string }
): ParameterSpec<string> => ({
  name,
  description,
  defaultValue,
  defaultText: defaultValue,
  expected: options.expected,
  parse: (raw) =>
    typeof raw === 'string' && options.pattern.test(raw.trim())
      ? raw.trim()
      : undefined,
});

/** A parameter value as an error message quotes it. */
const describeValue = (raw: unknown): string => {
  const text = JSON.stringify(raw) ?? String(raw);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

export type { ParameterSpec, RawParameters };
export {
  booleanParameter,
  CONFIG_ACCEPTED_PARAMETERS,
  describeValue,
  integerParameter,
  isUnset,
  listParameter,
  nearMissOf,
  stringParameter,
};
