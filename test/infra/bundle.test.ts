import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../infra/build-app.js';
import { FUNCTION_NODE_OPTIONS } from '../../infra/bundle-settings.js';
import { rules } from '../../rules/index.js';

const outdir = mkdtempSync(join(tmpdir(), 'vpce-guard-cdk-out-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The bundled entry files of the cloud assembly's Lambda assets. */
const bundlesIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => join(dir, name, 'index.mjs'))
    .filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile());

/**
 * Imports `bundle` in a fresh Node process as Lambda would (the function's
 * NODE_OPTIONS, RULE_ID, AWS endpoints on a closed loopback port) and
 * invokes its handler once with `event`; resolves with the log lines.
 */
const invokeBundle = async (
  bundle: string,
  event: unknown
): Promise<Record<string, unknown>[]> => {
  const script = [
    'const { handler } = await import(process.argv[1]);',
    'try { await handler(JSON.parse(process.argv[2]), { awsRequestId: "bundle-test" }); }',
    'catch { /* the log line is what is checked */ }',
  ].join('\n');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      script,
      pathToFileURL(bundle).href,
      JSON.stringify(event),
    ],
    {
      env: {
        PATH: process.env.PATH,
        NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
        RULE_ID: 'interface-endpoint-multi-az',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_ACCESS_KEY_ID: 'bundle-test',
        AWS_SECRET_ACCESS_KEY: 'bundle-test',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    }
  );
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
};

describe('the Lambda bundles of a real synth', () => {
  let bundles: string[];

  beforeAll(() => {
    const app = new App({ outdir });
    buildApp(app, rules);
    app.synth();
    bundles = bundlesIn(outdir);
  });

  it('bundles the handler with esbuild into one ESM file under 1.5 MB, its source map beside it', () => {
    // Assert
    expect(bundles.length).toBeGreaterThan(0);
    for (const bundle of bundles) {
      expect(statSync(bundle).size).toBeLessThan(1.5 * 1024 * 1024);
      expect(existsSync(`${bundle}.map`)).toBe(true);
      expect(readFileSync(bundle, 'utf8')).toContain(
        '//# sourceMappingURL=index.mjs.map'
      );
    }
  });

  it('logs a failing invocation with the real error class and a stack into the TypeScript sources', async () => {
    // Arrange: an event without an account id fails before any AWS call
    const [bundle] = bundles;
    if (bundle === undefined) throw new Error('the synth produced no bundle');
    const event = { configRuleArn: 'not an event' };

    // Act
    const lines = await invokeBundle(bundle, event);

    // Assert
    const failure = lines.find((line) => line.msg === 'invocation failed');
    expect(failure?.err).toMatchObject({
      type: 'InvalidEventError',
      message: 'accountId: missing (expected a string) (and 4 more problems)',
    });
    const stack = String(
      (failure?.err as { stack?: unknown } | undefined)?.stack
    );
    expect(stack).toMatch(
      /functions\/shared\/formats\/config-event\.ts:\d+:\d+/
    );
  });
});
