/**
 * The accounts of an AWS Organization, for `scan --organization`. An
 * adapter like those in functions/shared/aws/: it takes its client as an
 * argument. It lives under cli/ because only the CLI calls it; everything
 * under functions/ is granted to the Lambda functions
 * (functions/shared/aws/aws-actions.ts), which never list accounts.
 */
import {
  type Account,
  type OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { AwsCallError, toAwsCallError } from '../../functions/shared/errors.js';

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

/** The largest page ListAccounts returns (its MaxResults is 1–20). */
const PAGE_SIZE = 20;

/** The organization could not be read: the message says why and what to do. */
class OrganizationUnavailableError extends AwsCallError {
  public constructor(message: string, options?: ErrorOptions) {
    super('organizations:ListAccounts', message, options);
    this.name = 'OrganizationUnavailableError';
  }
}

/**
 * The account's lifecycle state. `State` (ACTIVE, PENDING_ACTIVATION,
 * SUSPENDED, PENDING_CLOSURE, CLOSED) replaces `Status`, which AWS retired
 * on 9 September 2026; `Status` is read only when `State` is absent, as in
 * an answer from before `State` existed.
 */
const stateOf = (account: Account): string | undefined =>
  account.State ?? account.Status;

/** `o-a1b2c3d4e5` from `arn:aws:organizations::…:account/o-a1b2c3d4e5/…`. */
const organizationIdOf = (accountArn: string | undefined): string | undefined =>
  /:account\/(o-[a-z0-9]+)\//u.exec(accountArn ?? '')?.[1];

/** Why ListAccounts failed, in words a user can act on. */
const unavailable = (
  error: unknown,
  caller: string
): OrganizationUnavailableError | AwsCallError => {
  const name = (error as { name?: string }).name ?? '';
  if (name === 'AWSOrganizationsNotInUseException') {
    return new OrganizationUnavailableError(
      `organizations:ListAccounts: the account of ${caller} is not in an organization`,
      { cause: error }
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return new OrganizationUnavailableError(
      `access denied: ${caller} may not call organizations:ListAccounts; it answers only the management account or a delegated administrator, with organizations:ListAccounts allowed`,
      { cause: error }
    );
  }
  return toAwsCallError(error, 'organizations:ListAccounts', caller);
};

/**
 * Every ACTIVE account of the caller's organization, sorted by id, each
 * once, and the organization's id. ListAccounts may return a short or empty page with a `NextToken`,
 * so every page is read until the token is gone.
 *
 * @param caller - who is calling, for error messages
 * @throws OrganizationUnavailableError when the caller's account is not in
 *   an organization or may not list it; AwsCallError on any other failure
 *   (a partial list is never returned)
 */
const listActiveAccounts = async (
  organizations: OrganizationsClient,
  caller: string
): Promise<ActiveAccounts> => {
  const accounts = new Map<string, OrganizationAccount>();
  let organizationId: string | undefined;
  try {
    for await (const page of paginateListAccounts(
      { client: organizations, pageSize: PAGE_SIZE },
      {}
    )) {
      for (const account of page.Accounts ?? []) {
        organizationId ??= organizationIdOf(account.Arn);
        if (account.Id === undefined || stateOf(account) !== 'ACTIVE') {
          continue;
        }
        accounts.set(account.Id, {
          id: account.Id,
          ...(account.Name ? { name: account.Name } : {}),
        });
      }
    }
  } catch (error) {
    throw unavailable(error, caller);
  }
  return {
    accounts: [...accounts.values()].sort((a, b) => a.id.localeCompare(b.id)),
    ...(organizationId === undefined ? {} : { organizationId }),
  };
};

export type { ActiveAccounts, OrganizationAccount };
export { listActiveAccounts, OrganizationUnavailableError };
