import {
  Aws,
  CfnParameter,
  DefaultStackSynthesizer,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import { AccountPrincipal, PolicyDocument, Role } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { Rule } from '../rules/model/rule.js';
import { centralRoleNamePattern } from './names.js';
import {
  acknowledgeEvaluationWildcards,
  evaluationStatements,
} from './permissions.js';
import type { DeploymentSettings } from './settings.js';
import { standaloneTemplateOf } from './standalone-template.js';

/** What the member-role template is built from. */
interface MemberRoleStackProps extends StackProps {
  readonly rules: readonly Rule[];
  readonly settings: DeploymentSettings;
}

/**
 * The role the organization functions assume in each member account, as a
 * template for a service-managed StackSet. It trusts the central
 * functions' roles (`vpce-guard-<rule-id>-<region>` in the central account,
 * infra/names.ts) and grants exactly what a rule calls in the account it
 * evaluates. IAM is global, so deploy the StackSet
 * to one Region per account.
 */
class MemberRoleStack extends Stack {
  public constructor(
    scope: Construct,
    id: string,
    props: MemberRoleStackProps
  ) {
    super(scope, id, {
      ...props,
      // StackSet targets are not CDK-bootstrapped: no bootstrap-version rule.
      synthesizer: new DefaultStackSynthesizer({
        generateBootstrapVersionRule: false,
      }),
    });
    const centralAccount = new CfnParameter(this, 'CentralAccountId', {
      type: 'String',
      allowedPattern: '^\\d{12}$',
      description:
        'The account that runs the vpce-guard organization functions (management or Config delegated administrator).',
    });
    const { rules, settings } = props;
    const centralRoles = rules.map(
      (rule) =>
        `arn:${Aws.PARTITION}:iam::${centralAccount.valueAsString}:role/${centralRoleNamePattern(rule)}`
    );
    const role = new Role(this, 'MemberRole', {
      roleName: settings.memberRoleName,
      description:
        'Lets the vpce-guard organization rules evaluate this account.',
      // The account principal plus the roles' ARN patterns: naming roles
      // directly as principals would fail while a Region is not deployed.
      assumedBy: new AccountPrincipal(
        centralAccount.valueAsString
      ).withConditions({ ArnLike: { 'aws:PrincipalArn': centralRoles } }),
      inlinePolicies: {
        Evaluate: new PolicyDocument({
          statements: evaluationStatements({
            account: Aws.ACCOUNT_ID,
            region: '*',
            configRuleArns: [
              `arn:${Aws.PARTITION}:config:*:${Aws.ACCOUNT_ID}:config-rule/*`,
            ],
            // One role serves every rule: what any of them reads.
            sources: props.rules.flatMap((rule) => rule.metadata.inventory),
          }),
        }),
      },
    });
    acknowledgeEvaluationWildcards(role, true);
  }
}

/** The id of the member-role stack (`cdk deploy VpceGuardMemberRole`). */
const MEMBER_ROLE_STACK_ID = 'VpceGuardMemberRole';

/**
 * The synthesized CloudFormation template of {@link MemberRoleStack}, as
 * JSON text, for the organization stack's StackSet (`TemplateBody`):
 * exactly what `cdk synth VpceGuardMemberRole` writes.
 */
const memberRoleTemplateBody = (
  props: Pick<MemberRoleStackProps, 'rules' | 'settings' | 'description'>
): string =>
  standaloneTemplateOf(
    (app) => new MemberRoleStack(app, MEMBER_ROLE_STACK_ID, props)
  );

export type { MemberRoleStackProps };
export { MEMBER_ROLE_STACK_ID, MemberRoleStack, memberRoleTemplateBody };
