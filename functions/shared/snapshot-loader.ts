import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { InputError } from '../../rules/model/errors.js';
import { AccountRegionSnapshot } from '../../rules/model/snapshot.js';

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

/** Adds `(line L, column C)` to V8's `… at position N` JSON errors. */
const locateJsonError = (message: string, text: string): string => {
  const match = /at position (\d+)/.exec(message);
  // Node 22 already appends "(line L column C)" itself.
  if (!match?.[1] || /\bline \d+/.test(message)) return message;
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(
      `${file}: not valid JSON: ${locateJsonError(reason, text)}`,
      {
        cause: error,
      }
    );
  }
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

const readReason = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
};

/**
 * Reads and validates a snapshot file.
 *
 * @throws InputError naming the file when it cannot be read or is not a snapshot
 */
const loadSnapshotFile = async (file: string): Promise<LoadedSnapshot[]> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot read: ${readReason(error)}`, {
      cause: error,
    });
  }
  return parseSnapshot(text, file);
};

export type { LoadedSnapshot };
export { loadSnapshotFile, parseSnapshot, validateAccountRegion };
