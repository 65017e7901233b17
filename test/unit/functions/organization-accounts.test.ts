import { readFileSync } from 'node:fs';
import {
  DescribeOrganizationCommand,
  type DescribeOrganizationCommandOutput,
  ListAccountsCommand,
  type ListAccountsCommandOutput,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  LIST_ACCOUNTS_PAGE_SIZE,
  readOrganizationAccounts,
} from '../../../functions/shared/aws/organization-accounts.js';
import {
  AccessDeniedError,
  AwsCallError,
} from '../../../functions/shared/errors.js';

const organizations = mockClient(OrganizationsClient);

/** DescribeOrganization and two ListAccounts pages, in the API's shapes. */
const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(`test/fixtures/organizations/${name}`, 'utf8')) as T;

const client = () => new OrganizationsClient({ region: 'eu-west-1' });

const serveFixtures = () => {
  const [first, second] = fixture<ListAccountsCommandOutput[]>(
    'list-accounts-pages.json'
  );
  organizations
    .on(DescribeOrganizationCommand)
    .resolves(
      fixture<DescribeOrganizationCommandOutput>('describe-organization.json')
    );
  organizations
    .on(ListAccountsCommand, { NextToken: undefined })
    .resolves(first as ListAccountsCommandOutput)
    .on(ListAccountsCommand, { NextToken: 'page-2' })
    .resolves(second as ListAccountsCommandOutput);
};

describe('readOrganizationAccounts', () => {
  beforeEach(() => {
    organizations.reset();
  });

  it('reads the organization id and every page of its accounts, at the largest page size', async () => {
    // Arrange
    serveFixtures();

    // Act
    const read = await readOrganizationAccounts(client(), 'the function role');

    // Assert
    expect(read.organizationId).toBe('o-a1b2c3d4e5');
    // (the paginator reuses one input object, so the calls are counted)
    const calls = organizations.commandCalls(ListAccountsCommand);
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.args[0].input.MaxResults).toBe(LIST_ACCOUNTS_PAGE_SIZE);
    }
    expect([...read.activeAccountIds].sort()).toEqual([
      '111111111111',
      '222222222222',
      '666666666666',
    ]);
    expect(LIST_ACCOUNTS_PAGE_SIZE).toBe(20);
  });

  it.each([
    ['111111111111', 'State ACTIVE (the management account)', true],
    ['222222222222', 'State ACTIVE', true],
    ['333333333333', 'State PENDING_CLOSURE', false],
    ['444444444444', 'State SUSPENDED', false],
    ['555555555555', 'State PENDING_ACTIVATION, no Status', false],
    ['666666666666', 'Status ACTIVE, no State (older responses)', true],
  ])('counts account %s (%s) as active: %s', async (account, _why, active) => {
    // Arrange
    serveFixtures();

    // Act
    const read = await readOrganizationAccounts(client(), 'the function role');

    // Assert
    expect(read.activeAccountIds.has(account)).toBe(active);
  });

  it.each([
    [
      'DescribeOrganization',
      () =>
        organizations.on(DescribeOrganizationCommand).rejects(
          Object.assign(new Error('no'), {
            name: 'AccessDeniedException',
          })
        ),
      'access denied: the function role may not call organizations:DescribeOrganization',
    ],
    [
      'ListAccounts',
      () => {
        organizations
          .on(DescribeOrganizationCommand)
          .resolves(
            fixture<DescribeOrganizationCommandOutput>(
              'describe-organization.json'
            )
          );
        organizations.on(ListAccountsCommand).rejects(
          Object.assign(new Error('not the management account'), {
            name: 'AccessDeniedException',
          })
        );
      },
      'access denied: the function role may not call organizations:ListAccounts',
    ],
  ])(
    'names the action and the caller when %s is denied',
    async (_action, serve, message) => {
      // Arrange
      serve();

      // Act
      const read = readOrganizationAccounts(client(), 'the function role');

      // Assert
      await expect(read).rejects.toThrow(AccessDeniedError);
      await expect(read).rejects.toThrow(message);
    }
  );

  it('fails on an answer without an organization id rather than reading an empty organization', async () => {
    // Arrange
    organizations.on(DescribeOrganizationCommand).resolves({});

    // Act
    const read = readOrganizationAccounts(client(), 'the function role');

    // Assert
    await expect(read).rejects.toThrow(AwsCallError);
    await expect(read).rejects.toThrow(
      'organizations:DescribeOrganization returned no organization id'
    );
    expect(organizations.commandCalls(ListAccountsCommand)).toEqual([]);
  });
});
