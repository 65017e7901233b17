import { readFile } from 'node:fs/promises';
import { InputError } from './errors.js';

const readReason = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
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
 * Reads a UTF-8 file.
 *
 * @throws InputError `<file>: cannot read: no such file` and the like
 */
const readTextFile = async (file: string): Promise<string> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot read: ${readReason(error)}`, {
      cause: error,
    });
  }
};

/**
 * Parses JSON read from `file`.
 *
 * @throws InputError `<file>: not valid JSON: … (line L, column C)`
 */
const parseJson = (text: string, file: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(
      `${file}: not valid JSON: ${locateJsonError(reason, text)}`,
      {
        cause: error,
      }
    );
  }
};

/** Reads and parses a JSON file, with the errors of both steps. */
const readJsonFile = async (file: string): Promise<unknown> =>
  parseJson(await readTextFile(file), file);

export { parseJson, readJsonFile, readTextFile };
