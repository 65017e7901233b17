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
  listActiveAccounts,
  OrganizationUnavailableError,
  readOrganizationAccounts,
} from '../../../functions/shared/aws/organization-accounts.js';
import {
  AccessDeniedError,
  AwsCallError,
} from '../../../functions/shared/errors.js';
import { loadBotocoreModel, validateShape } from '../../helpers/api-model.js';

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

/** ListAccounts pages: SUSPENDED, PENDING_CLOSURE, CLOSED, PENDING_ACTIVATION and ACTIVE accounts, an empty middle page. */
const CLI_PAGES = JSON.parse(
  readFileSync('test/fixtures/organization/list-accounts-pages.json', 'utf8')
) as ListAccountsCommandOutput[];

const servePages = (): void => {
  organizations
    .on(ListAccountsCommand)
    .resolves(CLI_PAGES[0] as ListAccountsCommandOutput)
    .on(ListAccountsCommand, { NextToken: 'page-2' })
    .resolves(CLI_PAGES[1] as ListAccountsCommandOutput)
    .on(ListAccountsCommand, { NextToken: 'page-3' })
    .resolves(CLI_PAGES[2] as ListAccountsCommandOutput);
};

const awsError = (name: string, message: string): Error =>
  Object.assign(new Error(message), { name, $fault: 'client' });

describe('listActiveAccounts', () => {
  beforeEach(() => {
    organizations.reset();
  });

  it('has fixture pages in the shape of the Organizations API model', () => {
    // Arrange
    const model = loadBotocoreModel('organizations', '2016-11-28');

    // Act
    const violations = CLI_PAGES.flatMap((page, i) =>
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
      AccessDeniedError,
      'access denied: your credentials may not call organizations:ListAccounts; it answers only the management account or a delegated administrator, with organizations:ListAccounts allowed',
    ],
    [
      'AWSOrganizationsNotInUseException',
      OrganizationUnavailableError,
      'organizations:ListAccounts: the account of your credentials is not in an organization',
    ],
  ])('explains %s', async (name, errorClass, message) => {
    // Arrange
    organizations.on(ListAccountsCommand).rejects(awsError(name, 'refused'));

    // Act
    const listing = listActiveAccounts(
      new OrganizationsClient({ region: 'us-east-1' }),
      'your credentials'
    );

    // Assert
    await expect(listing).rejects.toThrow(errorClass);
    await expect(listing).rejects.toThrow(message);
  });

  it('fails as a whole when a later page fails, never returning part of the organization', async () => {
    // Arrange
    organizations
      .on(ListAccountsCommand)
      .resolves(CLI_PAGES[0] as ListAccountsCommandOutput)
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
