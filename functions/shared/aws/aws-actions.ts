/**
 * The IAM actions the adapters in this folder call, grouped by who needs
 * them. `infra/` grants exactly these; test/infra derives the calls from the
 * adapters' SDK commands and checks that the lists match both ways, so an
 * adapter that starts sending a new command fails the build until it is
 * granted here.
 */

/**
 * What loading one account-region's inventory calls (ec2-inventory.ts).
 * Every rule loads the same inventory, so every rule needs all of them.
 */
const INVENTORY_ACTIONS = [
  'ec2:DescribePrefixLists',
  'ec2:DescribeRouteTables',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeVpcAttribute',
  'ec2:DescribeVpcEndpointServices',
  'ec2:DescribeVpcEndpoints',
  'ec2:DescribeVpcs',
  'ec2:GetManagedPrefixListEntries',
] as const;

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

/** Acting in a member account (credentials.ts). */
const MEMBER_ROLE_ACTIONS = ['sts:AssumeRole'] as const;

/** Every action a rule function calls in the account it evaluates. */
const ACCOUNT_ACTIONS = [
  ...INVENTORY_ACTIONS,
  ...CONFIG_READ_ACTIONS,
  ...CONFIG_CLEANUP_ACTIONS,
  ...CONFIG_REPORT_ACTIONS,
  ...FINDING_ACTIONS,
] as const;

export {
  ACCOUNT_ACTIONS,
  CONFIG_CLEANUP_ACTIONS,
  CONFIG_READ_ACTIONS,
  CONFIG_REPORT_ACTIONS,
  FINDING_ACTIONS,
  INVENTORY_ACTIONS,
  MEMBER_ROLE_ACTIONS,
};
