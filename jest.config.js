/**
 * Jest runs the TypeScript sources as native ESM through ts-jest's ESM preset
 * (node --experimental-vm-modules, set by the npm scripts). Type checking is
 * done once by `tsc --noEmit` in `npm test`, so ts-jest only transpiles.
 */
const tsJest = [
  'ts-jest',
  { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false },
];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
};

/** @type {import('jest').Config} */
export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
  ],
};
