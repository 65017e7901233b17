import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Rule } from '../rules/model/rule.js';
import { AccountStack } from './account-stack.js';
import { MemberRoleStack } from './member-role-stack.js';
import { OrganizationStack } from './organization-stack.js';
import { readFromCheckout } from './remediation.js';
import { readSettings } from './settings.js';

/** The stacks of the vpce-guard app. */
interface VpceGuardStacks {
  readonly account: AccountStack;
  readonly organization: OrganizationStack;
  readonly memberRole: MemberRoleStack;
}

/**
 * Adds vpce-guard's three stacks to an app, one function and Config rule per
 * rule of the registry, with settings read from the app's context, and
 * applies cdk-nag's AwsSolutions checks (their errors fail the synth).
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
    }),
    memberRole: new MemberRoleStack(app, 'VpceGuardMemberRole', {
      rules,
      settings,
      description: `${description}: member-account execution role (StackSet)`,
    }),
  };
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stacks;
};

export type { VpceGuardStacks };
export { buildApp };
