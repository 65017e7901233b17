import type * as z from 'zod';
import { InputError } from '../../rules/model/errors.js';
import { AccountRegionSnapshot } from '../../rules/model/snapshot.js';
import { parseJson, readTextFile } from './json-file.js';

/** One account-region read from a file, with where it came from. */
interface LoadedSnapshot {
  /** `landscape.json` or `landscape.json[2]` for the third of an array. */
  readonly source: string;
  readonly snapshot: AccountRegionSnapshot;
}

const EXPECTED_TYPES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
};

const typeName = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return EXPECTED_TYPES[typeof value] ?? typeof value;
};

const quote = (text: string): string => {
  const json = JSON.stringify(text);
  return json.length > 50 ? `${json.slice(0, 47)}..."` : json;
};

/** `the string "true"`, `a number`…: what was found instead. */
const describeFound = (value: unknown): string =>
  typeof value === 'string' ? `the string ${quote(value)}` : typeName(value);

/** `Subnets[2].AvailabilityZoneId`, or `(top level)`. */
const formatPath = (path: readonly PropertyKey[]): string => {
  const text = path
    .map((part) =>
      typeof part === 'number' ? `[${part}]` : `.${String(part)}`
    )
    .join('')
    .replace(/^\./, '');
  return text === '' ? '(top level)' : text;
};

const describeIssue = (issue: z.core.$ZodIssue): string => {
  const input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_type') {
    const expected = EXPECTED_TYPES[issue.expected] ?? issue.expected;
    return input === undefined
      ? `missing (expected ${expected})`
      : `expected ${expected}, got ${describeFound(input)}`;
  }
  // Refinements on objects (a route without a destination) say it all.
  return typeof input === 'string'
    ? `${issue.message}, got ${quote(input)}`
    : issue.message;
};

/**
 * Validates one account-region object; the error names the source, the key
 * and what was expected, and counts the other problems.
 *
 * @throws InputError when the value does not match the snapshot format
 */
const validateAccountRegion = (
  value: unknown,
  source: string
): AccountRegionSnapshot => {
  const result = AccountRegionSnapshot.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const [first, ...rest] = result.error.issues;
  const more =
    rest.length > 0
      ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})`
      : '';
  throw new InputError(
    first === undefined
      ? `${source}: not a snapshot`
      : `${source}: ${formatPath(first.path)}: ${describeIssue(first)}${more}`
  );
};

/** Lists whose items are keyed by an id that EC2 never repeats. */
const ID_KEYS = [
  ['Vpcs', 'VpcId'],
  ['VpcAttributes', 'VpcId'],
  ['Subnets', 'SubnetId'],
  ['RouteTables', 'RouteTableId'],
  ['VpcEndpoints', 'VpcEndpointId'],
  ['PrefixLists', 'PrefixListId'],
  ['SecurityGroups', 'GroupId'],
] as const;

/**
 * A hand-edited file can hold one id twice; the inventory would keep the
 * last silently, and a rule never guesses which one is meant.
 *
 * @throws InputError naming both places
 */
const rejectDuplicateIds = (
  snapshot: AccountRegionSnapshot,
  source: string
): void => {
  for (const [list, key] of ID_KEYS) {
    const items: readonly Readonly<Record<string, unknown>>[] = snapshot[list];
    const firstIndex = new Map<unknown, number>();
    for (const [index, item] of items.entries()) {
      const first = firstIndex.get(item[key]);
      if (first !== undefined) {
        throw new InputError(
          `${source}: ${list}[${index}].${key}: duplicate id ${quote(String(item[key]))} (first at ${list}[${first}])`
        );
      }
      firstIndex.set(item[key], index);
    }
  }
};

const validateFileItem = (
  value: unknown,
  source: string
): AccountRegionSnapshot => {
  const snapshot = validateAccountRegion(value, source);
  rejectDuplicateIds(snapshot, source);
  return snapshot;
};

/**
 * Parses the text of a snapshot file: one account-region object or a
 * non-empty array of them.
 *
 * @param text - the file's contents
 * @param file - the file name, used in every error message
 * @throws InputError for invalid JSON, a shape that is not a snapshot, or
 *   an id that appears twice in one list
 */
const parseSnapshot = (text: string, file: string): LoadedSnapshot[] => {
  const value = parseJson(text, file);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new InputError(
        `${file}: (top level): expected at least one account-region, got an empty array`
      );
    }
    return value.map((item, index) => {
      const source = `${file}[${index}]`;
      return { source, snapshot: validateFileItem(item, source) };
    });
  }
  if (typeof value !== 'object' || value === null) {
    throw new InputError(
      `${file}: (top level): expected an account-region object or an array of them, got ${typeName(value)}`
    );
  }
  return [{ source: file, snapshot: validateFileItem(value, file) }];
};

/**
 * Reads and validates a snapshot file.
 *
 * @throws InputError naming the file when it cannot be read or is not a snapshot
 */
const loadSnapshotFile = async (file: string): Promise<LoadedSnapshot[]> =>
  parseSnapshot(await readTextFile(file), file);

export type { LoadedSnapshot };
export { loadSnapshotFile, parseSnapshot, validateAccountRegion };
