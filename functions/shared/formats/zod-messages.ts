/**
 * One style of error message for every wire format parsed with zod
 * (snapshot files, Config rule events, Config API items):
 * `<path>: expected <what>, got <what was found>`, or
 * `<path>: missing (expected <what>)`, on one line.
 */
import type * as z from 'zod/mini';

const EXPECTED_TYPES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
};

/** `a string`, `an array`, `null`…: the JSON type of a value, for messages. */
const typeName = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return EXPECTED_TYPES[typeof value] ?? typeof value;
};

/** A string as JSON, cut to 50 characters so a message stays one short line. */
const quote = (text: string): string => {
  const json = JSON.stringify(text);
  return json.length > 50 ? `${json.slice(0, 47)}..."` : json;
};

/** `the string "true"`, `a number`…: what was found instead. */
const describeFound = (value: unknown): string =>
  typeof value === 'string' ? `the string ${quote(value)}` : typeName(value);

/**
 * `Subnets[2].AvailabilityZoneId`; `root` (default `(top level)`) for the
 * empty path, the value itself.
 */
const formatPath = (
  path: readonly PropertyKey[],
  root = '(top level)'
): string => {
  const text = path
    .map((part) =>
      typeof part === 'number' ? `[${part}]` : `.${String(part)}`
    )
    .join('')
    .replace(/^\./, '');
  return text === '' ? root : text;
};

/** `A, B or C`. */
const oneOf = (options: readonly unknown[]): string => {
  const names = options.map(String);
  const last = names.pop();
  if (last === undefined) return 'nothing';
  return names.length === 0 ? last : `${names.join(', ')} or ${last}`;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A discriminated union whose tag matches no option: zod reports the whole
 * object as the input, so the tag's value is read from it.
 */
const describeUnknownTag = (
  discriminator: string,
  options: readonly unknown[],
  input: unknown
): string => {
  const expected = oneOf(options);
  const tag = isObject(input) ? input[discriminator] : undefined;
  if (tag === undefined || tag === null)
    return `missing (expected ${expected})`;
  if (typeof tag === 'string') {
    return `unsupported ${discriminator} ${quote(tag)} (expected ${expected})`;
  }
  return `expected ${expected}, got ${describeFound(tag)}`;
};

/**
 * What is wrong with one value, without its path: `missing (expected a
 * string)`, `expected an array, got an object`, or the message of a
 * refinement followed by the string it rejected. Needs issues parsed with
 * `{ reportInput: true }` to say what was found.
 */
const describeIssue = (issue: z.core.$ZodIssue): string => {
  const { input } = issue;
  if (issue.code === 'invalid_type') {
    const expected = EXPECTED_TYPES[issue.expected] ?? issue.expected;
    return input === undefined
      ? `missing (expected ${expected})`
      : `expected ${expected}, got ${describeFound(input)}`;
  }
  if (
    issue.code === 'invalid_union' &&
    issue.discriminator !== undefined &&
    'options' in issue &&
    issue.options !== undefined
  ) {
    return describeUnknownTag(issue.discriminator, issue.options, input);
  }
  // Refinements (a route without a destination, an account id that is not
  // 12 digits) say what they expected; the rejected string completes it.
  return typeof input === 'string'
    ? `${issue.message}, got ${quote(input)}`
    : issue.message;
};

/**
 * `<path>: <problem>` of the first issue, and how many more there are: one
 * line however much is wrong, starting where it went wrong first.
 *
 * @param options.root - the name of the parsed value itself (`event`)
 * @param options.under - the path of the parsed value inside a larger one,
 *   put before each issue's path
 */
const describeIssues = (
  issues: readonly z.core.$ZodIssue[],
  options: {
    readonly root?: string;
    readonly under?: readonly PropertyKey[];
  } = {}
): string => {
  const [first, ...rest] = issues;
  const under = options.under ?? [];
  if (first === undefined) {
    return `${formatPath(under, options.root)}: not valid`;
  }
  const more =
    rest.length > 0
      ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})`
      : '';
  return `${formatPath([...under, ...first.path], options.root)}: ${describeIssue(first)}${more}`;
};

export {
  describeFound,
  describeIssue,
  describeIssues,
  formatPath,
  quote,
  typeName,
};
