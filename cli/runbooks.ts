import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleFilePath } from '../rules/files.js';
import { VpceGuardError } from '../rules/model/errors.js';
import { findPackageRoot } from './package-root.js';

/**
 * A registered rule whose runbook cannot be read: the installation is
 * incomplete (the runbooks ship with the package), not the user's input.
 */
class RunbookReadError extends VpceGuardError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RunbookReadError';
  }
}

/**
 * The runbook Markdown (`rules/<id>/runbook.md`) of each rule, read from the
 * package root, keyed by rule id. The HTML report embeds them, so its links
 * work wherever the file is opened, with nothing published anywhere.
 *
 * @throws RunbookReadError when the package root or a runbook is missing
 */
const readRunbooks = (ruleIds: readonly string[]): Map<string, string> => {
  const root = findPackageRoot();
  if (!root) {
    throw new RunbookReadError(
      'rules/<id>/runbook.md: the vpce-guard package root (its package.json) was not found'
    );
  }
  return new Map(
    ruleIds.map((ruleId) => {
      const file = join(root.directory, ruleFilePath(ruleId, 'runbook'));
      try {
        return [ruleId, readFileSync(file, 'utf8')];
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
        throw new RunbookReadError(`${file}: cannot read (${code})`, {
          cause: error,
        });
      }
    })
  );
};

export { RunbookReadError, readRunbooks };
