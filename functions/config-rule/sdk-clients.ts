import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import {
  type SdkClientConfig,
  sdkClientConfig,
} from '../shared/aws/client-config.js';
import { assumedRoleCredentials } from '../shared/aws/credentials.js';
import {
  type OrganizationAccounts,
  readOrganizationAccounts,
} from '../shared/aws/organization-accounts.js';
import type { VerdictTable } from '../shared/aws/verdict-table.js';
import type { RuleHandlerClients } from './create-rule-handler.js';
import type { AccountClients } from './run-config-rule.js';

/** Where the rule handler's clients take their Region and identity from. */
interface SdkRuleClientsOptions {
  /**
   * The Region of the function's own clients and of STS; `undefined`
   * leaves it to the SDK's standard configuration (`AWS_REGION`).
   */
  readonly region: string | undefined;
  /** Who the own clients act as, named in AccessDenied messages. */
  readonly principal: string;
  /** The current time, against which assumed credentials expire. */
  readonly clock: () => Date;
}

/**
 * The AWS SDK clients of a rule handler, with the settings of
 * functions/shared/aws/client-config.ts (adaptive retries, socket
 * timeouts). The function's own clients are created here, at once; a
 * member role's clients when the handler first needs them, with
 * credentials from `sts:AssumeRole` through the Regional STS endpoint,
 * refreshed before they expire. The Lambda entry point calls this once per
 * container (functions/config-rule/handler.ts), `vpce-guard invoke` once
 * per command.
 */
const createSdkRuleClients = (
  options: SdkRuleClientsOptions
): RuleHandlerClients => {
  const base = sdkClientConfig(options.region);
  const sts = new STSClient(base);
  const accountClients = (
    config: SdkClientConfig & {
      readonly credentials?: AwsCredentialIdentityProvider;
    },
    principal: string
  ): AccountClients => ({
    ec2: new EC2Client(config),
    route53: new Route53Client(config),
    config: new ConfigServiceClient(config),
    securityHub: new SecurityHubClient(config),
    principal,
  });
  return {
    own: accountClients(base, options.principal),
    forMemberRole: ({ roleArn, region, sessionName }) =>
      accountClients(
        {
          ...sdkClientConfig(region),
          credentials: assumedRoleCredentials(
            sts,
            roleArn,
            sessionName,
            options.principal,
            () => options.clock().getTime()
          ),
        },
        roleArn
      ),
  };
};

/**
 * Reads the function's own organization through an Organizations client
 * with the settings of functions/shared/aws/client-config.ts. The client
 * is created here, once; the SDK sends every Region's calls to the
 * partition's one Organizations endpoint. Organization deployments give
 * it to their guard (functions/config-rule/organization-guard.ts).
 */
const createSdkOrganizationReader = (
  options: Pick<SdkRuleClientsOptions, 'region' | 'principal'>
): (() => Promise<OrganizationAccounts>) => {
  const client = new OrganizationsClient(sdkClientConfig(options.region));
  return () => readOrganizationAccounts(client, options.principal);
};

/**
 * The table of last verdicts, read and written with the function's own
 * credentials (an organization function keeps it in its own account, not
 * the members'); `undefined` when no table is configured.
 *
 * @param tableName - `VERDICT_TABLE_NAME`; empty or absent for none
 */
const createVerdictTable = (
  tableName: string | undefined,
  region: string | undefined,
  principal: string
): VerdictTable | undefined =>
  tableName
    ? {
        client: new DynamoDBClient(sdkClientConfig(region)),
        tableName,
        principal,
      }
    : undefined;

export type { SdkRuleClientsOptions };
export {
  createSdkOrganizationReader,
  createSdkRuleClients,
  createVerdictTable,
};
