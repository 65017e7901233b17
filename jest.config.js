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
  // A guard against a hung test, not a speed requirement: no test may fail
  // because a shared CI machine is slow (README, "Tests under load").
  testTimeout: 600_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      // Real SDK calls against moto on loopback. globalSetup/globalTeardown
      // sit on the project (Jest 30 runs a project's hooks only when tests of
      // that project are selected), so `--selectProjects unit` never starts
      // moto.
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
    },
    {
      // Synthesizes the CDK stacks offline (esbuild bundles each function)
      // and checks the templates with assertions, cfn-lint and cdk-nag.
      ...common,
      displayName: 'infra',
      testMatch: ['<rootDir>/test/infra/**/*.test.ts'],
    },
  ],
};
