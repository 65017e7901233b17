import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';

/**
 * The synthesized CloudFormation template of the stack `build` adds to an
 * app of its own, as JSON text, for a StackSet. The app is synthesized in
 * a temporary directory (removed after), so the template is exactly what
 * `cdk synth` writes for that stack, without the CLI's path and version
 * metadata, which would only make a StackSet's template differ from one
 * CDK version to the next.
 */
const standaloneTemplateOf = (build: (app: App) => Stack): string => {
  const outdir = mkdtempSync(join(tmpdir(), 'vpce-guard-stack-set-'));
  try {
    const app = new App({
      outdir,
      autoSynth: false,
      analyticsReporting: false,
      // The CLI passes its context to every App in the process; these two
      // would add metadata that no StackSet instance needs.
      postCliContext: {
        'aws:cdk:enable-path-metadata': false,
        'aws:cdk:version-reporting': false,
      },
    });
    const stack = build(app);
    const template: unknown = app
      .synth()
      .getStackArtifact(stack.artifactId).template;
    return JSON.stringify(template);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};

export { standaloneTemplateOf };
