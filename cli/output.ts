import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError } from '../rules/model/errors.js';
import type { CliIo } from './io.js';

/** Why a report could not be written, without the temporary file's name. */
const writeReason = (error: unknown, file: string): string => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `no such directory: ${dirname(file)}`;
  if (code === 'ENOTDIR') return `not a directory: ${dirname(file)}`;
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
};

/**
 * Writes a finished report to `file`, or to stdout. The file appears whole
 * or not at all: it is written beside the target and renamed into place.
 */
const writeReport = async (
  text: string,
  file: string | undefined,
  io: CliIo
): Promise<void> => {
  if (file === undefined) {
    io.stdout.write(text);
    return;
  }
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, file);
  } catch (error) {
    // Leave no half-written file behind; the write error is what to report.
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new InputError(
      `--output ${file}: cannot write: ${writeReason(error, file)}`,
      { cause: error }
    );
  }
};

export { writeReport };
