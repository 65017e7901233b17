/**
 * The accounts of an AWS Organization: one reading of ListAccounts for the
 * organization functions' guard (functions/config-rule/organization-guard.ts)
 * and for `vpce-guard scan --organization` (cli/organization/).
 * ListAccounts and DescribeOrganization answer only in the management
 * account or a delegated administrator, which is where both run.
 */
import {
  type Account,
  DescribeOrganizationCommand,
  type OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { AwsCallError, toAwsCallError } from '../errors.js';

/** ListAccounts' largest page (the API allows 1–20). */
const LIST_ACCOUNTS_PAGE_SIZE = 20;

const LIST_ACCOUNTS = 'organizations:ListAccounts';

/** Said with an access-denied ListAccounts: where it can succeed. */
const LIST_ACCOUNTS_HINT = `it answers only the management account or a delegated administrator, with ${LIST_ACCOUNTS} allowed`;

/** An ACTIVE account of the organization. */
interface OrganizationAccount {
  /** The 12-digit account id. */
  readonly id: string;
  /** Its friendly name, when Organizations gave one. */
  readonly name?: string;
}

/** The ACTIVE accounts, and the organization they are in. */
interface ActiveAccounts {
  /** Sorted by id, each once. */
  readonly accounts: readonly OrganizationAccount[];
  /** `o-…`, read off the accounts' ARNs; absent when none carries one. */
  readonly organizationId?: string;
}

/** The caller's organization and the accounts that are members now. */
interface OrganizationAccounts {
  /** `o-…`, from DescribeOrganization. */
  readonly organizationId: string;
  /** The 12-digit ids of the organization's ACTIVE accounts. */
  readonly activeAccountIds: ReadonlySet<string>;
}

/** The caller's account is in no organization: there is nothing to list. */
class OrganizationUnavailableError extends AwsCallError {
  public constructor(message: string, options?: ErrorOptions) {
    super(LIST_ACCOUNTS, message, options);
    this.name = 'OrganizationUnavailableError';
  }
}

/**
 * Whether an account is a working member. `State` (ACTIVE,
 * PENDING_ACTIVATION, SUSPENDED, PENDING_CLOSURE, CLOSED) replaces
 * `Status`, which Organizations retires on 9 September 2026; a response
 * without `State` is read by `Status`. Suspended, closing, closed and
 * not-yet-activated accounts are not members anyone may scan or act in.
 */
const isActive = (account: Account): boolean =>
  (account.State ?? account.Status) === 'ACTIVE';

/** `o-a1b2c3d4e5` from `arn:aws:organizations::…:account/o-a1b2c3d4e5/…`. */
const organizationIdInArn = (
  accountArn: string | undefined
): string | undefined =>
  /:account\/(o-[a-z0-9]+)\//u.exec(accountArn ?? '')?.[1];

/** Why ListAccounts failed, in words a user can act on. */
const listAccountsError = (error: unknown, principal: string): AwsCallError => {
  if (
    (error as { name?: string }).name === 'AWSOrganizationsNotInUseException'
  ) {
    return new OrganizationUnavailableError(
      `${LIST_ACCOUNTS}: the account of ${principal} is not in an organization`,
      { cause: error }
    );
  }
  return toAwsCallError(error, LIST_ACCOUNTS, principal, LIST_ACCOUNTS_HINT);
};

/**
 * Every ACTIVE account of the caller's organization, sorted by id, each
 * once, and the organization's id. ListAccounts may return a short or
 * empty page with a `NextToken`, so every page is read until the token is
 * gone.
 *
 * @param principal - who calls, named in error messages
 * @throws OrganizationUnavailableError when the caller's account is not in
 *   an organization; AccessDeniedError when it may not list it;
 *   AwsCallError on any other failure (a partial list is never returned)
 */
const listActiveAccounts = async (
  client: OrganizationsClient,
  principal: string
): Promise<ActiveAccounts> => {
  const accounts = new Map<string, OrganizationAccount>();
  let organizationId: string | undefined;
  try {
    for await (const page of paginateListAccounts(
      { client, pageSize: LIST_ACCOUNTS_PAGE_SIZE },
      {}
    )) {
      for (const account of page.Accounts ?? []) {
        organizationId ??= organizationIdInArn(account.Arn);
        if (account.Id === undefined || !isActive(account)) continue;
        accounts.set(account.Id, {
          id: account.Id,
          ...(account.Name ? { name: account.Name } : {}),
        });
      }
    }
  } catch (error) {
    throw listAccountsError(error, principal);
  }
  return {
    accounts: [...accounts.values()].sort((a, b) => a.id.localeCompare(b.id)),
    ...(organizationId === undefined ? {} : { organizationId }),
  };
};

const describeOrganizationId = async (
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

/**
 * Reads the caller's organization: its id (`DescribeOrganization`, which
 * answers even when no account ARN is listed) and its ACTIVE accounts
 * ({@link listActiveAccounts}). A failure is an {@link AwsCallError}
 * naming the action, never an empty organization.
 *
 * @param principal - who calls, named in AccessDenied messages
 */
const readOrganizationAccounts = async (
  client: OrganizationsClient,
  principal: string
): Promise<OrganizationAccounts> => {
  const organizationId = await describeOrganizationId(client, principal);
  const { accounts } = await listActiveAccounts(client, principal);
  return {
    organizationId,
    activeAccountIds: new Set(accounts.map((account) => account.id)),
  };
};

export type { ActiveAccounts, OrganizationAccount, OrganizationAccounts };
export {
  LIST_ACCOUNTS_PAGE_SIZE,
  listActiveAccounts,
  OrganizationUnavailableError,
  readOrganizationAccounts,
};
