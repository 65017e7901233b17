import { readFileSync } from 'node:fs';
import {
  ListAccountsCommand,
  type ListAccountsCommandOutput,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  listActiveAccounts,
  OrganizationUnavailableError,
} from '../../../cli/organization/accounts.js';
import {
  AccessDeniedError,
  AwsCallError,
} from '../../../functions/shared/errors.js';
import { loadBotocoreModel, validateShape } from '../../helpers/api-model.js';

/** ListAccounts pages: SUSPENDED, PENDING_CLOSURE, CLOSED, PENDING_ACTIVATION and ACTIVE accounts, an empty middle page. */
const PAGES = JSON.parse(
  readFileSync('test/fixtures/organization/list-accounts-pages.json', 'utf8')
) as ListAccountsCommandOutput[];

const organizations = mockClient(OrganizationsClient);

afterEach(() => {
  organizations.reset();
});

const servePages = (): void => {
  organizations
    .on(ListAccountsCommand)
    .resolves(PAGES[0] as ListAccountsCommandOutput)
    .on(ListAccountsCommand, { NextToken: 'page-2' })
    .resolves(PAGES[1] as ListAccountsCommandOutput)
    .on(ListAccountsCommand, { NextToken: 'page-3' })
    .resolves(PAGES[2] as ListAccountsCommandOutput);
};

const awsError = (name: string, message: string): Error =>
  Object.assign(new Error(message), { name, $fault: 'client' });

describe('listActiveAccounts', () => {
  it('has fixture pages in the shape of the Organizations API model', () => {
    // Arrange
    const model = loadBotocoreModel('organizations', '2016-11-28');

    // Act
    const violations = PAGES.flatMap((page, i) =>
      validateShape(model, 'ListAccountsResponse', page, `$[${i}]`)
    );

    // Assert
    expect(violations).toEqual([]);
  });

  it('reads every page, the empty one too, and keeps only ACTIVE accounts, sorted by id', async () => {
    // Arrange
    servePages();

    // Act
    const { accounts, organizationId } = await listActiveAccounts(
      new OrganizationsClient({ region: 'us-east-1' }),
      'your credentials'
    );

    // Assert
    expect(accounts).toEqual([
      { id: '111122223333', name: 'prod' },
      { id: '666677778888', name: 'dev' },
      { id: '777788889999', name: 'legacy answer' },
      { id: '999988887777', name: 'management' },
    ]);
    expect(organizationId).toBe('o-a1b2c3d4e5');
    expect(organizations.commandCalls(ListAccountsCommand)).toHaveLength(3);
  });

  it('asks for the largest page ListAccounts allows', async () => {
    // Arrange
    servePages();

    // Act
    await listActiveAccounts(
      new OrganizationsClient({ region: 'us-east-1' }),
      'your credentials'
    );

    // Assert
    const sizes = organizations
      .commandCalls(ListAccountsCommand)
      .map((call) => call.args[0].input.MaxResults);
    expect(sizes).toEqual([20, 20, 20]);
  });

  it.each([
    // State, Status, listed
    ['ACTIVE', 'SUSPENDED', true],
    ['SUSPENDED', 'ACTIVE', false],
    ['PENDING_CLOSURE', undefined, false],
    ['CLOSED', undefined, false],
    ['PENDING_ACTIVATION', undefined, false],
    [undefined, 'ACTIVE', true],
    [undefined, 'SUSPENDED', false],
    [undefined, undefined, false],
  ])('reads State %s (Status %s): listed %s', async (state, status, listed) => {
    // Arrange: State wins; Status counts only when State is absent
    organizations.on(ListAccountsCommand).resolves({
      Accounts: [
        {
          Id: '111122223333',
          ...(state === undefined ? {} : { State: state }),
          ...(status === undefined ? {} : { Status: status }),
        } as never,
      ],
    });

    // Act
    const { accounts } = await listActiveAccounts(
      new OrganizationsClient({ region: 'us-east-1' }),
      'your credentials'
    );

    // Assert
    expect(accounts.length === 1).toBe(listed);
  });

  it.each([
    [
      'AccessDeniedException',
      'access denied: your credentials may not call organizations:ListAccounts; it answers only the management account or a delegated administrator, with organizations:ListAccounts allowed',
    ],
    [
      'AWSOrganizationsNotInUseException',
      'organizations:ListAccounts: the account of your credentials is not in an organization',
    ],
  ])('explains %s', async (name, message) => {
    // Arrange
    organizations.on(ListAccountsCommand).rejects(awsError(name, 'refused'));

    // Act
    const listing = listActiveAccounts(
      new OrganizationsClient({ region: 'us-east-1' }),
      'your credentials'
    );

    // Assert
    await expect(listing).rejects.toThrow(OrganizationUnavailableError);
    await expect(listing).rejects.toThrow(message);
  });

  it('fails as a whole when a later page fails, never returning part of the organization', async () => {
    // Arrange
    organizations
      .on(ListAccountsCommand)
      .resolves(PAGES[0] as ListAccountsCommandOutput)
      .on(ListAccountsCommand, { NextToken: 'page-2' })
      .rejects(awsError('ServiceException', 'try again'));

    // Act
    const listing = listActiveAccounts(
      new OrganizationsClient({ region: 'us-east-1' }),
      'your credentials'
    );

    // Assert
    await expect(listing).rejects.toThrow(AwsCallError);
    await expect(listing).rejects.toThrow(
      'organizations:ListAccounts failed: ServiceException: try again'
    );
    await expect(listing).rejects.not.toThrow(AccessDeniedError);
  });
});
