import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../infra/build-app.js';
import { documentFor } from '../../infra/runbooks/index.js';
import { rules } from '../../rules/index.js';

const outdir = mkdtempSync(join(tmpdir(), 'vpce-guard-cdk-out-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The bundled entry files of the cloud assembly's Lambda assets. */
const bundlesIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => join(dir, name, 'index.mjs'))
    .filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile());

describe('the Lambda bundles of a real synth', () => {
  it('bundles the handler with esbuild into one ESM file under 1.5 MB', () => {
    // Arrange
    const app = new App({ outdir });
    buildApp(app, rules, documentFor);

    // Act
    app.synth();

    // Assert
    const bundles = bundlesIn(outdir);
    expect(bundles.length).toBeGreaterThan(0);
    for (const bundle of bundles) {
      expect(statSync(bundle).size).toBeLessThan(1.5 * 1024 * 1024);
    }
  });
});
