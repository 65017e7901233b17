import { Aws, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import {
  CfnOrganizationConfigRule,
  CfnOrganizationConformancePack,
} from 'aws-cdk-lib/aws-config';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { OUTSIDE_ORGANIZATION_REFUSAL } from '../functions/config-rule/organization-guard.js';
import type { Rule } from '../rules/model/rule.js';
import type { VpceGuardStackProps } from './account-stack.js';
import { ConfigFindingsSuppression } from './config-findings.js';
import {
  configDescriptionOf,
  ORGANIZATION_TRIGGER_TYPES,
  organizationInputParametersOf,
  organizationRuleName,
} from './config-rules.js';
import {
  CONFORMANCE_PACK_NAME,
  conformancePackBody,
  functionArnParameterOf,
} from './conformance-pack.js';
import { FindingInsights } from './insights.js';
import { MemberStackSets } from './member-stack-sets.js';
import { centralRoleName, pascalCase } from './names.js';
import {
  acknowledgeMemberRoleWildcard,
  acknowledgeOrganizationReadWildcard,
  assumeMemberRoleStatement,
  readOrganizationStatement,
} from './permissions.js';
import { RuleFunction } from './rule-function.js';
import { type DeploymentSettings, InvalidContextError } from './settings.js';
import { VerdictTable } from './verdict-table.js';

/** Where the outsider count goes in CloudWatch. */
const OUTSIDER_METRIC = {
  namespace: 'vpce-guard',
  metricName: 'OutsideOrganizationEvents',
} as const;

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
 * it, and trusts only these functions — and every event from an account
 * outside the organization (README, "Who may invoke the organization
 * functions").
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

/** What the organization stack adds: the templates its StackSets deploy. */
interface OrganizationStackProps extends VpceGuardStackProps {
  /**
   * MemberRoleStack's synthesized template, which the member-role StackSet
   * deploys (member-role-stack.ts, `memberRoleTemplateBody`).
   */
  readonly memberRoleTemplateBody: string;
  /**
   * The file of MemberRemediationStack's synthesized template, which the
   * remediation StackSet deploys (member-remediation-stack.ts).
   */
  readonly memberRemediationTemplateFile: string;
}

/** One rule's function and who may invoke it. */
interface CentralFunction {
  readonly rule: Rule;
  readonly ruleFunction: RuleFunction;
  readonly permissions: readonly CfnPermission[];
}

/**
 * vpce-guard for a whole organization, deployed in the management or a
 * Config delegated-administrator account, once per Region: per rule a
 * function that acts only through the member role and only for the
 * organization's accounts; the rules as `AWS::Config::OrganizationConfigRule`s
 * or one `AWS::Config::OrganizationConformancePack` (context `deployAs`);
 * the table of last verdicts of every member, which the functions use as
 * themselves; the member role in every account through a StackSet; an
 * alarm on events from outside the organization; the insights.
 */
class OrganizationStack extends Stack {
  public constructor(
    scope: Construct,
    id: string,
    props: OrganizationStackProps
  ) {
    super(scope, id, props);
    const { settings } = props;
    // In this account: the functions read and write it as themselves.
    const verdicts = new VerdictTable(this, 'LastVerdicts');
    const functions = props.rules.map((rule) =>
      this.addRuleFunction(rule, settings, verdicts)
    );
    if (settings.deployAs === 'rules') {
      for (const central of functions)
        this.addOrganizationRule(central, settings);
    } else if (settings.deployAs === 'conformancePack') {
      this.addConformancePack(functions, settings);
    }
    this.addOutsiderAlarm();
    new FindingInsights(this, 'Insights', props.rules, settings);
    new ConfigFindingsSuppression(
      this,
      'ConfigFindings',
      props.rules,
      settings
    );
    if (settings.memberRoleStackSet || settings.memberRemediationStackSet) {
      // 'MemberRole', the id of earlier versions: a new logical id would
      // make CloudFormation create a second vpce-guard-member-role StackSet
      // before deleting the first, which the name forbids.
      new MemberStackSets(this, 'MemberRole', {
        settings,
        memberRoleTemplateBody: settings.memberRoleStackSet
          ? props.memberRoleTemplateBody
          : undefined,
        memberRemediationTemplateFile: settings.memberRemediationStackSet
          ? props.memberRemediationTemplateFile
          : undefined,
      });
    }
  }

  private addRuleFunction(
    rule: Rule,
    settings: DeploymentSettings,
    verdicts: VerdictTable
  ): CentralFunction {
    const id = pascalCase(rule.metadata.id);
    const ruleFunction = new RuleFunction(this, id, {
      rule,
      settings,
      roleName: centralRoleName(rule, Aws.REGION),
      environment: {
        MEMBER_ROLE_NAME: settings.memberRoleName,
        ...(settings.organizationId === undefined
          ? {}
          : { ORGANIZATION_ID: settings.organizationId }),
      },
    });
    ruleFunction.role.addToPrincipalPolicy(
      assumeMemberRoleStatement(
        settings.memberRoleName,
        settings.organizationId
      )
    );
    ruleFunction.role.addToPrincipalPolicy(readOrganizationStatement());
    acknowledgeMemberRoleWildcard(ruleFunction.role, settings.memberRoleName);
    verdicts.serve(ruleFunction);
    acknowledgeOrganizationReadWildcard(ruleFunction.role);
    new MetricFilter(this, `${id}OutsideOrganization`, {
      logGroup: ruleFunction.logGroup,
      metricNamespace: OUTSIDER_METRIC.namespace,
      metricName: OUTSIDER_METRIC.metricName,
      filterPattern: FilterPattern.stringValue(
        '$.refusal',
        '=',
        OUTSIDE_ORGANIZATION_REFUSAL
      ),
      metricValue: '1',
    });
    new CfnOutput(this, functionArnParameterOf(rule), {
      description: `The ${rule.metadata.id} function (conformance pack template parameter of the same name)`,
      value: ruleFunction.function.functionArn,
    });
    const permissions = invokePermissions(
      this,
      id,
      ruleFunction.function.functionArn,
      settings.memberAccountIds
    );
    return { rule, ruleFunction, permissions };
  }

  private addOrganizationRule(
    { rule, ruleFunction, permissions }: CentralFunction,
    settings: DeploymentSettings
  ): void {
    const organizationRule = new CfnOrganizationConfigRule(
      this,
      `${pascalCase(rule.metadata.id)}OrganizationRule`,
      {
        organizationConfigRuleName: organizationRuleName(rule),
        excludedAccounts: excludedAccountsOf(settings),
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

  /**
   * One organization conformance pack holding every rule, each pointing at
   * its central function: one unit to deploy, score and remove.
   */
  private addConformancePack(
    functions: readonly CentralFunction[],
    settings: DeploymentSettings
  ): void {
    const pack = new CfnOrganizationConformancePack(this, 'ConformancePack', {
      organizationConformancePackName: CONFORMANCE_PACK_NAME,
      templateBody: conformancePackBody(functions, settings, 'organization'),
      excludedAccounts: excludedAccountsOf(settings),
    });
    // Config checks at creation that it may invoke each function.
    for (const { permissions } of functions) {
      for (const permission of permissions) {
        pack.addResourceDependency(permission);
      }
    }
  }

  /**
   * Events the functions refused because their account is not in the
   * organization: each is one warning line with a `refusal` field, which
   * each function's metric filter counts into one metric.
   */
  private addOutsiderAlarm(): void {
    new Alarm(this, 'OutsideOrganizationEvents', {
      alarmDescription:
        'AWS Config of an account outside the organization invoked a vpce-guard function; the event was refused (README, "Who may invoke the organization functions").',
      metric: new Metric({
        ...OUTSIDER_METRIC,
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}

/** `ExcludedAccounts` of the organization rules or pack; absent when none. */
const excludedAccountsOf = (
  settings: DeploymentSettings
): string[] | undefined =>
  settings.excludedAccounts.length > 0
    ? [...settings.excludedAccounts]
    : undefined;

export type { OrganizationStackProps };
export { OrganizationStack };
