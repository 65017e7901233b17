import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import {
  CONFIG_CLEANUP_ACTIONS,
  CONFIG_READ_ACTIONS,
  CONFIG_REPORT_ACTIONS,
  FINDING_ACTIONS,
  inventoryActionsOf,
  MEMBER_ROLE_ACTIONS,
  ORGANIZATION_READ_ACTIONS,
} from '../functions/shared/aws/aws-actions.js';
import type { InventorySource } from '../rules/model/rule.js';
import { acknowledgeNag } from './nag.js';

/** Where the statements apply: this stack's account or any member's. */
interface Scope {
  /** The account the statements grant in. */
  readonly account: string;
  /** The Region, or `*` for a member role that serves every Region. */
  readonly region: string;
  /** The Config rule ARN(s) the cleanup may read; `*` when not known. */
  readonly configRuleArns: readonly string[];
  /** What the rule(s) read: their inventory sources. */
  readonly sources: readonly InventorySource[];
}

/**
 * What one rule function needs in the account it evaluates, as IAM
 * statements. The action lists come from functions/shared/aws/aws-actions.ts,
 * next to the code that calls them.
 */
const evaluationStatements = (scope: Scope): PolicyStatement[] => [
  new PolicyStatement({
    sid: 'ReadInventory',
    // EC2's Describe* and GetManagedPrefixListEntries on a list it does not
    // know in advance support no resource-level permissions.
    actions: [...inventoryActionsOf(scope.sources)],
    resources: ['*'],
  }),
  new PolicyStatement({
    sid: 'ReportEvaluations',
    // PutEvaluations is authorized by the result token, and
    // GetResourceConfigHistory has no resource type in IAM.
    actions: [...CONFIG_REPORT_ACTIONS, ...CONFIG_READ_ACTIONS],
    resources: ['*'],
  }),
  new PolicyStatement({
    sid: 'FindStaleEvaluations',
    actions: [...CONFIG_CLEANUP_ACTIONS],
    resources: [...scope.configRuleArns],
  }),
  new PolicyStatement({
    sid: 'ImportFindings',
    actions: [...FINDING_ACTIONS],
    // Findings are imported as the account's own default product.
    resources: [
      `arn:${Aws.PARTITION}:securityhub:${scope.region}:${scope.account}:product/${scope.account}/default`,
    ],
  }),
];

/**
 * The organization functions' only permission: assuming the member role,
 * by name, in accounts of the organization when its id is known.
 */
const assumeMemberRoleStatement = (
  memberRoleName: string,
  organizationId: string | undefined
): PolicyStatement =>
  new PolicyStatement({
    sid: 'AssumeMemberRole',
    actions: [...MEMBER_ROLE_ACTIONS],
    resources: [`arn:${Aws.PARTITION}:iam::*:role/${memberRoleName}`],
    ...(organizationId === undefined
      ? {}
      : {
          conditions: {
            StringEquals: { 'aws:ResourceOrgID': organizationId },
          },
        }),
  });

/**
 * The organization functions' read of their own organization: its id and
 * its accounts, which events must come from.
 */
const readOrganizationStatement = (): PolicyStatement =>
  new PolicyStatement({
    sid: 'ReadOrganization',
    actions: [...ORGANIZATION_READ_ACTIONS],
    // Neither action supports resource-level permissions.
    resources: ['*'],
  });

/**
 * Acknowledges the wildcards of {@link evaluationStatements} on the policy
 * or role that carries them, each with its evidence.
 *
 * @param everyRegion - true for the member role, which serves every Region
 */
const acknowledgeEvaluationWildcards = (
  carrier: IConstruct,
  everyRegion: boolean
): void => {
  acknowledgeNag(
    carrier,
    'AwsSolutions-IAM5[Resource::*]',
    'ec2:Describe*, ec2:GetManagedPrefixListEntries (on AWS-managed lists), config:PutEvaluations and config:GetResourceConfigHistory support no resource-level permissions; the actions are read-only except PutEvaluations, which the result token binds to one rule.'
  );
  if (!everyRegion) return;
  acknowledgeNag(
    carrier,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:*:<AWS::AccountId>:config-rule/*]`,
    'Organization rules get generated ids in each member account; the statement is limited to this account and to GetComplianceDetailsByConfigRule (read-only).'
  );
  acknowledgeNag(
    carrier,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:securityhub:*:<AWS::AccountId>:product/<AWS::AccountId>/default]`,
    'IAM is global and one member role serves every Region the organization rules run in; the resource is still only this account\u2019s own default product.'
  );
};

/**
 * Acknowledges the wildcard of {@link readOrganizationStatement}, and, for
 * rules a conformance pack creates (their ARNs are generated), the
 * wildcard over the account's Config rules in {@link evaluationStatements}.
 */
const acknowledgeOrganizationReadWildcard = (carrier: IConstruct): void => {
  acknowledgeNag(
    carrier,
    'AwsSolutions-IAM5[Resource::*]',
    'organizations:DescribeOrganization and organizations:ListAccounts support no resource-level permissions; both are read-only, and tell the function which accounts it may act for.'
  );
};

/**
 * Acknowledges the wildcard over the account's Config rules that an
 * account function gets when a conformance pack, not the stack, creates
 * its rule (the rule's ARN is generated).
 */
const acknowledgePackRuleWildcard = (carrier: IConstruct): void => {
  acknowledgeNag(
    carrier,
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*]',
    'A conformance pack creates the rule under an ARN of its own; the statement is limited to this account and Region and to GetComplianceDetailsByConfigRule (read-only).'
  );
};

/** Acknowledges the member-role wildcard of {@link assumeMemberRoleStatement}. */
const acknowledgeMemberRoleWildcard = (
  carrier: IConstruct,
  memberRoleName: string
): void => {
  acknowledgeNag(
    carrier,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${memberRoleName}]`,
    'The member accounts are every account of the organization, not known at synth time; the statement names exactly one role, whose trust policy names these functions\u2019 roles, and with the organizationId context it is limited to the organization by aws:ResourceOrgID.'
  );
};

export type { Scope };
export {
  acknowledgeEvaluationWildcards,
  acknowledgeMemberRoleWildcard,
  acknowledgeOrganizationReadWildcard,
  acknowledgePackRuleWildcard,
  assumeMemberRoleStatement,
  evaluationStatements,
  readOrganizationStatement,
};
