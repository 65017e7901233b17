/**
 * How every Lambda bundle is built. `infra/` hands these to `NodejsFunction`
 * and `npm run bench` builds with the same values, so the sizes and import
 * times the bench prints are those of the deployed functions.
 */

/** The handler every rule's function runs (`RULE_ID` selects the rule). */
const HANDLER_ENTRY = 'functions/config-rule/handler.ts';

/** esbuild settings shared by infra and the bench. */
const BUNDLE_SETTINGS = {
  format: 'esm',
  platform: 'node',
  target: 'node22',
  minify: true,
  // Prefer the ESM builds of dependencies so esbuild can tree-shake the v3
  // clients down to the commands the code sends.
  mainFields: ['module', 'main'],
  // The SDK is bundled rather than taken from the runtime: the versions the
  // tests ran against are the versions that run, and unused commands are
  // shaken out.
  external: [] as string[],
  // Some CommonJS dependencies call `require` for Node built-ins; an ESM
  // bundle has no `require` unless one is made.
  banner:
    "import { createRequire as __vpceGuardCreateRequire } from 'node:module';" +
    'const require = __vpceGuardCreateRequire(import.meta.url);',
} as const;

export { BUNDLE_SETTINGS, HANDLER_ENTRY };
