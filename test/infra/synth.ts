import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, type VpceGuardStacks } from '../../infra/build-app.js';
import { readFromCheckout } from '../../infra/remediation.js';
import { rules as registry } from '../../rules/index.js';
import type { Rule } from '../../rules/model/rule.js';

/** A synthesized app: its stacks and their templates. */
interface Synthesized {
  readonly stacks: VpceGuardStacks;
  readonly account: Template;
  readonly organization: Template;
  readonly memberRole: Template;
  readonly memberRemediation: Template;
}

/** What a test may vary: context, the rule registry, the repository files. */
interface SynthOptions {
  readonly context?: Record<string, unknown>;
  readonly rules?: readonly Rule[];
  readonly readRepoFile?: (path: string) => string;
}

const cache = new Map<string, Synthesized>();

/**
 * Synthesizes the app offline, as `cdk synth` would, without the CLI.
 * Bundling each function takes a moment, so the default app (no options)
 * is built once per test file.
 */
const synthesize = (options: SynthOptions = {}): Synthesized => {
  const key = JSON.stringify(options.context ?? {});
  const cacheable = options.rules === undefined && !options.readRepoFile;
  const cached = cacheable ? cache.get(key) : undefined;
  if (cached) return cached;
  // Bundling is proven once (bundle.test.ts); skipping it here keeps the
  // many template assertions fast.
  const app = new App({
    context: {
      'aws:cdk:bundling-stacks': [],
      // As in cdk.json: CloudFormation schema findings fail the synth.
      '@aws-cdk/core:validateAgainstDefaultRules': true,
      ...options.context,
    },
  });
  const stacks = buildApp(
    app,
    options.rules ?? registry,
    options.readRepoFile ?? readFromCheckout
  );
  const synthesized = {
    stacks,
    account: Template.fromStack(stacks.account),
    organization: Template.fromStack(stacks.organization),
    memberRole: Template.fromStack(stacks.memberRole),
    memberRemediation: Template.fromStack(stacks.memberRemediation),
  };
  if (cacheable) cache.set(key, synthesized);
  return synthesized;
};

/** The resources of one type in a template, by logical id. */
const resourcesOf = (
  template: Template,
  type: string
): Record<string, { Properties: Record<string, unknown> }> =>
  template.findResources(type) as Record<
    string,
    { Properties: Record<string, unknown> }
  >;

export type { Synthesized, SynthOptions };
export { resourcesOf, synthesize };
