import { findPackageRoot } from './package-root.js';

/**
 * The package version, read from the package.json above this module
 * (cli/package-root.ts); `0.0.0` when there is none.
 */
const packageVersion = (): string =>
  findPackageRoot()?.manifest.version ?? '0.0.0';

export { packageVersion };
