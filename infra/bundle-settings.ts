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
  // The Lambda runtime, nodejs24.x, and the Node the tests run on.
  target: 'node24',
  minify: true,
  // Minified class names would make a logged error read `"type":"yu"`;
  // kept names cost about 43 kB (README, "Bundles").
  keepNames: true,
  // A linked `index.mjs.map` beside the bundle, without the sources
  // themselves (2.5 MB instead of 6 MB, never loaded unless the runtime
  // is told to): with `--enable-source-maps` a logged stack names
  // `functions/…/*.ts` lines instead of column 80 000 of one long line.
  sourceMap: true,
  sourcesContent: false,
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

/**
 * The function's `NODE_OPTIONS`: Node reads the bundle's source map, so
 * error stacks point into the TypeScript sources. It costs the cold start
 * the map's parse (README, "Bundles").
 */
const FUNCTION_NODE_OPTIONS = '--enable-source-maps';

export { BUNDLE_SETTINGS, FUNCTION_NODE_OPTIONS, HANDLER_ENTRY };
