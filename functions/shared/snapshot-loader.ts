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

/**
 * Parses the text of a snapshot file: one account-region object or a
 * non-empty array of them.
 *
 * @param text - the file's contents
 * @param file - the file name, used in every error message
 * @throws InputError for invalid JSON or a shape that is not a snapshot
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
      return { source, snapshot: validateAccountRegion(item, source) };
    });
  }
  if (typeof value !== 'object' || value === null) {
    throw new InputError(
      `${file}: (top level): expected an account-region object or an array of them, got ${typeName(value)}`
    );
  }
  return [{ source: file, snapshot: validateAccountRegion(value, file) }];
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
