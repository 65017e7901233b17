import { isUtf8 } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { describeJsonError, lineColumn } from './json-error.js';

/**
 * The largest file read whole. V8 cannot hold a string over 512 MiB at all,
 * and parsing and validating a snapshot takes several times its size in
 * memory; above this a user gets a clear message rather than a crash.
 */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

const MIB = 1024 * 1024;

const readReason = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
};

const cannotRead = (file: string, error: unknown): InputError =>
  new InputError(`${file}: cannot read: ${readReason(error)}`, {
    cause: error,
  });

const hasUtf16Bom = (bytes: Buffer): boolean =>
  (bytes[0] === 0xff && bytes[1] === 0xfe) ||
  (bytes[0] === 0xfe && bytes[1] === 0xff);

// JSON text never holds a raw NUL, while UTF-16 text of ASCII is half NULs.
const looksLikeUtf16 = (bytes: Buffer): boolean =>
  hasUtf16Bom(bytes) ||
  (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0));

const hasUtf8Bom = (bytes: Buffer): boolean =>
  bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;

/**
 * Decodes UTF-8, dropping a byte-order mark (RFC 8259 lets parsers ignore
 * one; Windows editors write it) and rejecting what is not UTF-8, which
 * would otherwise load with tags silently turned into U+FFFD.
 */
const decodeUtf8 = (bytes: Buffer, file: string): string => {
  if (looksLikeUtf16(bytes)) {
    throw new InputError(
      `${file}: not UTF-8: the file is UTF-16; save it as UTF-8`
    );
  }
  const body = hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
  const text = body.toString('utf8');
  if (!isUtf8(body)) {
    const at = text.indexOf('\uFFFD');
    const where = at < 0 ? '' : ` at ${lineColumn(text, at)}`;
    throw new InputError(
      `${file}: not UTF-8: invalid byte sequence${where}; save the file as UTF-8`
    );
  }
  return text;
};

/**
 * Reads a UTF-8 file of at most 256 MiB (a leading byte-order mark is
 * dropped).
 *
 * @throws InputError `<file>: cannot read: no such file` and the like,
 *   `<file>: too large: …`, `<file>: not UTF-8: …`
 */
const readTextFile = async (file: string): Promise<string> => {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    throw cannotRead(file, error);
  }
  if (size > MAX_FILE_BYTES) {
    throw new InputError(
      `${file}: too large: ${Math.ceil(size / MIB)} MiB, the limit is ${MAX_FILE_BYTES / MIB} MiB (split a snapshot into one file per account-region)`
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw cannotRead(file, error);
  }
  return decodeUtf8(bytes, file);
};

/**
 * Parses JSON read from `file`.
 *
 * @throws InputError `<file>: not valid JSON: <reason> (line L, column C)`,
 *   or `<file>: not valid JSON: the file is empty`
 */
const parseJson = (text: string, file: string): unknown => {
  if (text.trim() === '') {
    throw new InputError(`${file}: not valid JSON: the file is empty`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `${file}: not valid JSON: ${describeJsonError(error, text)}`,
      { cause: error }
    );
  }
};

/** Reads and parses a JSON file, with the errors of both steps. */
const readJsonFile = async (file: string): Promise<unknown> =>
  parseJson(await readTextFile(file), file);

export { parseJson, readJsonFile, readTextFile };
