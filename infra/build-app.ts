import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Rule } from '../rules/model/rule.js';
import { AccountStack } from './account-stack.js';
import { conformancePackFile, type PackScope } from './conformance-pack.js';
import {
  MEMBER_REMEDIATION_STACK_ID,
  MemberRemediationStack,
  memberRemediationTemplate,
} from './member-remediation-stack.js';
import {
  MEMBER_ROLE_STACK_ID,
  MemberRoleStack,
  memberRoleTemplateBody,
} from './member-role-stack.js';
import { OrganizationStack } from './organization-stack.js';
import { readFromCheckout } from './remediation.js';
import { type DeploymentSettings, readSettings } from './settings.js';

/** The stacks of the vpce-guard app, and the files written beside them. */
interface VpceGuardStacks {
  readonly account: AccountStack;
  readonly organization: OrganizationStack;
  readonly memberRole: MemberRoleStack;
  readonly memberRemediation: MemberRemediationStack;
  /**
   * The template the remediation StackSet deploys, in the cloud assembly
   * directory (MemberRemediationStack's, without the CLI's metadata).
   */
  readonly memberRemediationTemplateFile: string;
  /**
   * The plain conformance pack templates in the cloud assembly directory
   * (`cdk.out/`), for the AWS CLI or Control Tower Customizations.
   */
  readonly conformancePackFiles: Readonly<Record<PackScope, string>>;
}

/**
 * The file, in the cloud assembly directory, of the template the
 * remediation StackSet deploys (uploaded as a file asset).
 */
const MEMBER_REMEDIATION_TEMPLATE_FILE =
  'vpce-guard-member-remediation.template.json';

/** The file name of each plain conformance pack template. */
const CONFORMANCE_PACK_FILES: Readonly<Record<PackScope, string>> = {
  organization: 'vpce-guard-organization-conformance-pack.yaml',
  account: 'vpce-guard-account-conformance-pack.yaml',
};

/**
 * Writes the plain conformance pack templates into `outdir`, where
 * `cdk synth` writes the stacks' templates.
 */
const writeConformancePackFiles = (
  outdir: string,
  rules: readonly Rule[],
  settings: DeploymentSettings
): Record<PackScope, string> => {
  const write = (scope: PackScope): string => {
    const path = join(outdir, CONFORMANCE_PACK_FILES[scope]);
    writeFileSync(path, conformancePackFile(rules, settings, scope));
    return path;
  };
  return { organization: write('organization'), account: write('account') };
};

/**
 * Adds vpce-guard's four stacks to an app, one function and Config rule per
 * rule of the registry, with settings read from the app's context, and
 * applies cdk-nag's AwsSolutions checks (their errors fail the synth). The
 * plain conformance pack templates are written to the app's output
 * directory.
 *
 * @param readRepoFile - reads a repository file by its path (a rule's
 *   remediation document); the checkout by default
 * @throws InvalidContextError for a context value vpce-guard cannot use
 */
const buildApp = (
  app: App,
  rules: readonly Rule[],
  readRepoFile: (path: string) => string = readFromCheckout
): VpceGuardStacks => {
  const settings = readSettings((key) => app.node.tryGetContext(key), rules);
  const description = 'vpce-guard: VPC-endpoint compliance rules';
  const memberRoleProps = {
    rules,
    settings,
    description: `${description}: member-account execution role (StackSet)`,
  };
  const memberRemediationProps = {
    rules,
    readRepoFile,
    description: `${description}: member-account remediation documents (StackSet)`,
  };
  const memberRemediationTemplateFile = join(
    app.outdir,
    MEMBER_REMEDIATION_TEMPLATE_FILE
  );
  writeFileSync(
    memberRemediationTemplateFile,
    memberRemediationTemplate(memberRemediationProps)
  );
  const stacks = {
    account: new AccountStack(app, 'VpceGuardAccount', {
      rules,
      settings,
      readRepoFile,
      description: `${description} for one account`,
    }),
    organization: new OrganizationStack(app, 'VpceGuardOrganization', {
      rules,
      settings,
      description: `${description} for an organization`,
      memberRoleTemplateBody: memberRoleTemplateBody(memberRoleProps),
      memberRemediationTemplateFile,
    }),
    // For teams that deploy the member role their own way; the
    // organization stack's StackSet deploys this same template.
    memberRole: new MemberRoleStack(app, MEMBER_ROLE_STACK_ID, memberRoleProps),
    // The same for the remediation documents, also for the management
    // account, where no StackSet deploys.
    memberRemediation: new MemberRemediationStack(
      app,
      MEMBER_REMEDIATION_STACK_ID,
      memberRemediationProps
    ),
    memberRemediationTemplateFile,
    conformancePackFiles: writeConformancePackFiles(
      app.outdir,
      rules,
      settings
    ),
  };
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stacks;
};

export type { VpceGuardStacks };
export { buildApp, CONFORMANCE_PACK_FILES, MEMBER_REMEDIATION_TEMPLATE_FILE };
