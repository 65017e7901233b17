import { rename, writeFile } from 'node:fs/promises';
import { InputError } from '../rules/model/errors.js';
import type { CliIo } from './io.js';

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
    throw new InputError(
      `--output ${file}: cannot write: ${(error as Error).message}`,
      {
        cause: error,
      }
    );
  }
};

export { writeReport };
