import {
  type Account,
  DescribeOrganizationCommand,
  type OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { AwsCallError, toAwsCallError } from '../errors.js';

/** ListAccounts' largest page (the API allows 1–20). */
const LIST_ACCOUNTS_PAGE_SIZE = 20;

/** The caller's organization and the accounts that are members now. */
interface OrganizationAccounts {
  /** `o-…`, from DescribeOrganization. */
  readonly organizationId: string;
  /** The 12-digit ids of the organization's ACTIVE accounts. */
  readonly activeAccountIds: ReadonlySet<string>;
}

/**
 * Whether an account is a working member. `State` replaces `Status`
 * (Organizations retires `Status` on 9 September 2026); a response
 * without `State` is read by `Status`. Suspended, closing, closed and
 * not-yet-activated accounts are not members an evaluation may act in.
 */
const isActive = (account: Account): boolean =>
  (account.State ?? account.Status) === 'ACTIVE';

const organizationIdOf = async (
  client: OrganizationsClient,
  principal: string
): Promise<string> => {
  let id: string | undefined;
  try {
    const response = await client.send(new DescribeOrganizationCommand({}));
    id = response.Organization?.Id;
  } catch (error) {
    throw toAwsCallError(
      error,
      'organizations:DescribeOrganization',
      principal
    );
  }
  if (id === undefined || id === '') {
    throw new AwsCallError(
      'organizations:DescribeOrganization',
      'organizations:DescribeOrganization returned no organization id'
    );
  }
  return id;
};

const activeAccountIdsOf = async (
  client: OrganizationsClient,
  principal: string
): Promise<Set<string>> => {
  const active = new Set<string>();
  try {
    for await (const page of paginateListAccounts(
      { client, pageSize: LIST_ACCOUNTS_PAGE_SIZE },
      {}
    )) {
      for (const account of page.Accounts ?? []) {
        if (account.Id && isActive(account)) active.add(account.Id);
      }
    }
  } catch (error) {
    throw toAwsCallError(error, 'organizations:ListAccounts', principal);
  }
  return active;
};

/**
 * Reads the caller's organization: its id (`DescribeOrganization`) and its
 * ACTIVE accounts (every page of `ListAccounts`). ListAccounts answers only
 * in the management account or a delegated administrator, which is where
 * the organization stack runs. A failure is an {@link AwsCallError} naming
 * the action, never an empty organization.
 *
 * @param principal - who calls, named in AccessDenied messages
 */
const readOrganizationAccounts = async (
  client: OrganizationsClient,
  principal: string
): Promise<OrganizationAccounts> => {
  const organizationId = await organizationIdOf(client, principal);
  const activeAccountIds = await activeAccountIdsOf(client, principal);
  return { organizationId, activeAccountIds };
};

export type { OrganizationAccounts };
export { LIST_ACCOUNTS_PAGE_SIZE, readOrganizationAccounts };
