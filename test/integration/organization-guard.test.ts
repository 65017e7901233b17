/**
 * The organization functions against moto's Organizations and STS: the
 * guard reads the organization over the wire, an outsider's event is
 * refused before any member credentials are asked for, and a member's
 * event assumes its role and is evaluated.
 */
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Context } from 'aws-lambda';
import pino from 'pino';
import { scheduledNotification } from '../../bench/config-events.js';
import { createRuleHandler } from '../../functions/config-rule/create-rule-handler.js';
import { createOrganizationGuard } from '../../functions/config-rule/organization-guard.js';
import type { AccountClients } from '../../functions/config-rule/run-config-rule.js';
import {
  createSdkOrganizationReader,
  createSdkRuleClients,
} from '../../functions/config-rule/sdk-clients.js';
import { sdkClientConfig } from '../../functions/shared/aws/client-config.js';
import { readOrganizationAccounts } from '../../functions/shared/aws/organization-accounts.js';
import { ruleNamed } from '../helpers/factories.js';
import { resetMoto } from './helpers/moto.js';

const REGION = 'us-east-1';
/** moto's own account: the organization's management account. */
const MANAGEMENT = '123456789012';
const OUTSIDER = '999999999999';
const RULE = 'private-subnet-gateway-endpoints';

const organizations = new OrganizationsClient(sdkClientConfig(REGION));

/** A periodic TestMode event from `account`, through the member role. */
const memberEvent = (account: string) => ({
  version: '1.0',
  invokingEvent: JSON.stringify(
    scheduledNotification(account, new Date().toISOString())
  ),
  // moto's new accounts have the role Organizations creates in them.
  ruleParameters: JSON.stringify({
    ExecutionRoleName: 'OrganizationAccountAccessRole',
    securityHub: 'false',
  }),
  resultToken: 'TESTMODE',
  eventLeftScope: false,
  configRuleArn: `arn:aws:config:${REGION}:${account}:config-rule/config-rule-abc123`,
  configRuleName: `vpce-guard-${RULE}`,
  configRuleId: 'config-rule-abc123',
  accountId: account,
});

/** The organization handler as handler.ts builds it, recording member clients. */
const organizationHandler = () => {
  const clock = () => new Date();
  const sdk = createSdkRuleClients({
    region: REGION,
    principal: 'the function role',
    clock,
  });
  const memberClients: AccountClients[] = [];
  const handler = createRuleHandler({
    rule: ruleNamed(RULE),
    clients: {
      own: sdk.own,
      forMemberRole: (request) => {
        const clients = sdk.forMemberRole(request);
        memberClients.push(clients);
        return clients;
      },
    },
    logger: pino({ level: 'silent' }),
    clock,
    requiredMemberRoleName: 'OrganizationAccountAccessRole',
    organizationGuard: createOrganizationGuard({
      readOrganization: createSdkOrganizationReader({
        region: REGION,
        principal: 'the function role',
      }),
      clock,
    }),
  });
  return { handler, memberClients };
};

describe('the organization guard against moto', () => {
  let organizationId: string;
  let member: string;

  beforeAll(async () => {
    await resetMoto();
    const created = await organizations.send(
      new CreateOrganizationCommand({ FeatureSet: 'ALL' })
    );
    organizationId = created.Organization?.Id ?? '';
    const account = await organizations.send(
      new CreateAccountCommand({
        AccountName: 'workload',
        Email: 'workload@example.com',
      })
    );
    member = account.CreateAccountStatus?.AccountId ?? '';
  });

  it('reads the organization and its active accounts', async () => {
    // Act
    const read = await readOrganizationAccounts(organizations, 'moto');

    // Assert
    expect(read.organizationId).toBe(organizationId);
    expect([...read.activeAccountIds].sort()).toEqual(
      [MANAGEMENT, member].sort()
    );
  });

  it('refuses an outsider’s event without asking for member credentials', async () => {
    // Arrange
    const { handler, memberClients } = organizationHandler();

    // Act
    const result = await handler(memberEvent(OUTSIDER), {
      awsRequestId: 'outsider',
    } as Context);

    // Assert
    expect(result.refused).toEqual({
      reason: 'account-outside-organization',
      accountId: OUTSIDER,
      organizationId,
    });
    expect(memberClients).toEqual([]);
  });

  it('assumes the member role of an account of the organization and evaluates it', async () => {
    // Arrange
    const { handler, memberClients } = organizationHandler();

    // Act
    const result = await handler(memberEvent(member), {
      awsRequestId: 'member',
    } as Context);
    const credentials = await memberClients[0]?.ec2.config.credentials();

    // Assert
    expect(result.refused).toBeUndefined();
    expect(memberClients).toHaveLength(1);
    expect(credentials?.sessionToken).toBeTruthy();
    expect(result.evaluations.every((e) => e.accountId === member)).toBe(true);
  });
});
