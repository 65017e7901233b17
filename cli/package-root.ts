import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `package.json` fields the CLI reads. */
interface PackageJson {
  readonly name?: string;
  readonly version?: string;
}

/** The vpce-guard package root and its `package.json`. */
interface PackageRoot {
  readonly directory: string;
  readonly manifest: PackageJson;
}

/**
 * The directory of the vpce-guard `package.json` above this module, or
 * `undefined`. The module runs from `cli/` under tests and from `dist/cli/`
 * when built or installed, so the root is found by walking up rather than
 * by a fixed number of `..`.
 */
const findPackageRoot = (): PackageRoot | undefined => {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, 'package.json');
    if (existsSync(candidate)) {
      const manifest = JSON.parse(
        readFileSync(candidate, 'utf8')
      ) as PackageJson;
      if (manifest.name === 'vpce-guard') return { directory, manifest };
    }
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
};

export type { PackageRoot };
export { findPackageRoot };
