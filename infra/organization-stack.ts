import { Aws, Stack } from 'aws-cdk-lib';
import { CfnOrganizationConfigRule } from 'aws-cdk-lib/aws-config';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { Rule } from '../rules/model/rule.js';
import type { VpceGuardStackProps } from './account-stack.js';
import {
  configDescriptionOf,
  ORGANIZATION_TRIGGER_TYPES,
  organizationInputParametersOf,
  organizationRuleName,
} from './config-rules.js';
import { FindingInsights } from './insights.js';
import { centralRoleName, pascalCase } from './names.js';
import {
  acknowledgeMemberRoleWildcard,
  assumeMemberRoleStatement,
} from './permissions.js';
import { RuleFunction } from './rule-function.js';
import { type DeploymentSettings, InvalidContextError } from './settings.js';
import { VerdictTable } from './verdict-table.js';

/** Lambda's hard limit on a function's resource-based policy. */
const MAX_RESOURCE_POLICY_BYTES = 20 * 1024;

/**
 * The size of one `SourceAccount` statement in a function policy, measured
 * on the longest function ARN Lambda allows.
 */
const STATEMENT_BYTES = JSON.stringify({
  Sid: `VpceGuardOrganizationPrivateSubnetGatewayEndpointsConfigInvoke111111111111`,
  Effect: 'Allow',
  Principal: { Service: 'config.amazonaws.com' },
  Action: 'lambda:InvokeFunction',
  Resource: `arn:aws-us-gov:lambda:us-gov-west-1:111111111111:function:${'f'.repeat(64)}`,
  Condition: { StringEquals: { 'AWS:SourceAccount': '111111111111' } },
}).length;

/**
 * Who may invoke an organization function. Config invokes it from every
 * member account, and a permission can name one `SourceAccount` or
 * `SourceArn` (whose account part must be literal), never an organization
 * (Lambda offers no organization condition). With `memberAccountIds` the
 * function gets one statement per account, as far as Lambda's 20 KB policy
 * limit allows; without, any
 * Config rule may invoke it, and the function refuses every event that
 * does not name the member role — which exists only where the StackSet put
 * it, and trusts only these functions (README, "Who may invoke the
 * organization functions").
 *
 * @throws InvalidContextError when the statements would not fit 20 KB
 */
const invokePermissions = (
  scope: Construct,
  id: string,
  functionArn: string,
  memberAccountIds: readonly string[]
): CfnPermission[] => {
  const base = {
    action: 'lambda:InvokeFunction',
    functionName: functionArn,
    principal: 'config.amazonaws.com',
  };
  if (memberAccountIds.length === 0) {
    return [new CfnPermission(scope, `${id}ConfigInvoke`, base)];
  }
  const bytes = memberAccountIds.length * STATEMENT_BYTES;
  if (bytes > MAX_RESOURCE_POLICY_BYTES) {
    throw new InvalidContextError(
      `context memberAccountIds: ${memberAccountIds.length} accounts need about ${bytes} bytes of function policy; Lambda allows ${MAX_RESOURCE_POLICY_BYTES} (at most ${Math.floor(MAX_RESOURCE_POLICY_BYTES / STATEMENT_BYTES)} accounts) — leave memberAccountIds empty to rely on the member-role check`
    );
  }
  return memberAccountIds.map(
    (account) =>
      new CfnPermission(scope, `${id}ConfigInvoke${account}`, {
        ...base,
        sourceAccount: account,
      })
  );
};

/**
 * vpce-guard for a whole organization, deployed in the management or a
 * Config delegated-administrator account, once per Region: per rule a
 * function that acts only through the member role, and an
 * `AWS::Config::OrganizationConfigRule`; and the table of last verdicts of
 * every member, which the functions use as themselves.
 */
class OrganizationStack extends Stack {
  public constructor(scope: Construct, id: string, props: VpceGuardStackProps) {
    super(scope, id, props);
    // In this account: the functions read and write it as themselves.
    const verdicts = new VerdictTable(this, 'LastVerdicts');
    for (const rule of props.rules) {
      this.addRule(rule, props.settings, verdicts);
    }
    new FindingInsights(this, 'Insights', props.rules);
  }

  private addRule(
    rule: Rule,
    settings: DeploymentSettings,
    verdicts: VerdictTable
  ): void {
    const id = pascalCase(rule.metadata.id);
    const ruleFunction = new RuleFunction(this, id, {
      rule,
      settings,
      roleName: centralRoleName(rule, Aws.REGION),
      environment: { MEMBER_ROLE_NAME: settings.memberRoleName },
    });
    ruleFunction.role.addToPrincipalPolicy(
      assumeMemberRoleStatement(
        settings.memberRoleName,
        settings.organizationId
      )
    );
    acknowledgeMemberRoleWildcard(ruleFunction.role, settings.memberRoleName);
    verdicts.serve(ruleFunction);
    const permissions = invokePermissions(
      this,
      id,
      ruleFunction.function.functionArn,
      settings.memberAccountIds
    );
    const organizationRule = new CfnOrganizationConfigRule(
      this,
      `${id}OrganizationRule`,
      {
        organizationConfigRuleName: organizationRuleName(rule),
        excludedAccounts:
          settings.excludedAccounts.length > 0
            ? [...settings.excludedAccounts]
            : undefined,
        organizationCustomRuleMetadata: {
          lambdaFunctionArn: ruleFunction.function.functionArn,
          organizationConfigRuleTriggerTypes: [...ORGANIZATION_TRIGGER_TYPES],
          description: configDescriptionOf(rule),
          inputParameters: organizationInputParametersOf(rule, settings),
          maximumExecutionFrequency: settings.periodicFrequency,
          resourceTypesScope: [...rule.metadata.triggerResourceTypes],
        },
      }
    );
    for (const permission of permissions) {
      organizationRule.addResourceDependency(permission);
    }
  }
}

export { OrganizationStack };
