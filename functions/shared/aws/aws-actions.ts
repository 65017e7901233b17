/**
 * The IAM actions the adapters in this folder call, grouped by who needs
 * them. `infra/` grants exactly these; test/infra derives the calls from the
 * adapters' SDK commands and checks that the lists match both ways, so an
 * adapter that starts sending a new command fails the build until it is
 * granted here.
 */
import type { InventorySource } from '../../../rules/model/rule.js';

/**
 * What loading each inventory source calls (ec2-inventory.ts,
 * vpc-hosted-zones.ts). A rule's
 * function is allowed the calls of the sources its metadata names
 * (`inventory` in rules/<id>/metadata.ts), no more.
 */
const INVENTORY_ACTIONS: Readonly<Record<InventorySource, readonly string[]>> =
  {
    ec2: [
      'ec2:DescribePrefixLists',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcAttribute',
      'ec2:DescribeVpcEndpointServices',
      'ec2:DescribeVpcEndpoints',
      'ec2:DescribeVpcs',
      'ec2:GetManagedPrefixListEntries',
    ],
    'vpc-hosted-zones': ['route53:ListHostedZonesByVPC'],
  };

/** What loading `sources` calls, sorted. */
const inventoryActionsOf = (
  sources: readonly InventorySource[]
): readonly string[] =>
  [...new Set(sources.flatMap((source) => INVENTORY_ACTIONS[source]))].sort();

/** Reading an oversized configuration item (config-history.ts). */
const CONFIG_READ_ACTIONS = ['config:GetResourceConfigHistory'] as const;

/** Finding stale evaluations on periodic runs (config-reporter.ts). */
const CONFIG_CLEANUP_ACTIONS = [
  'config:GetComplianceDetailsByConfigRule',
] as const;

/** Reporting evaluations (config-reporter.ts). */
const CONFIG_REPORT_ACTIONS = ['config:PutEvaluations'] as const;

/** Importing findings (securityhub-reporter.ts). */
const FINDING_ACTIONS = ['securityhub:BatchImportFindings'] as const;

/**
 * Reading and recording the last verdicts (verdict-table.ts), with the
 * function's own role, on its stack's table only: an organization
 * function keeps the table in its own account, so the member role never
 * gets these.
 */
const VERDICT_TABLE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:Query',
] as const;

/** Acting in a member account (credentials.ts). */
const MEMBER_ROLE_ACTIONS = ['sts:AssumeRole'] as const;

/**
 * Which accounts the organization functions serve
 * (organization-accounts.ts), called in their own account.
 */
const ORGANIZATION_READ_ACTIONS = [
  'organizations:DescribeOrganization',
  'organizations:ListAccounts',
] as const;

/** What a rule function reading `sources` calls in the account it evaluates. */
const accountActionsOf = (
  sources: readonly InventorySource[]
): readonly string[] =>
  [
    ...inventoryActionsOf(sources),
    ...CONFIG_READ_ACTIONS,
    ...CONFIG_CLEANUP_ACTIONS,
    ...CONFIG_REPORT_ACTIONS,
    ...FINDING_ACTIONS,
  ].sort();

export {
  accountActionsOf,
  CONFIG_CLEANUP_ACTIONS,
  CONFIG_READ_ACTIONS,
  CONFIG_REPORT_ACTIONS,
  FINDING_ACTIONS,
  inventoryActionsOf,
  MEMBER_ROLE_ACTIONS,
  ORGANIZATION_READ_ACTIONS,
  VERDICT_TABLE_ACTIONS,
};
