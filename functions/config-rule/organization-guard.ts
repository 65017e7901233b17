import type { OrganizationAccounts } from '../shared/aws/organization-accounts.js';
import { VpceGuardError } from '../shared/errors.js';

/**
 * How long one read of the organization is trusted. Accounts leave and
 * join rarely; five minutes bounds how long a removed account is still
 * served and costs one DescribeOrganization and a few ListAccounts pages
 * per container per five minutes.
 */
const MEMBERSHIP_MAX_AGE_MS = 5 * 60 * 1000;

/**
 * An account that is not in the last read is looked up again once that
 * read is this old, so an account that just joined is served within a
 * minute of its first event, while events from outsiders cost at most one
 * read a minute per container.
 */
const UNKNOWN_ACCOUNT_REREAD_MS = 60 * 1000;

/**
 * The value of the `refusal` field of the warning logged for an outsider's
 * event, which the organization stack's metric filter counts
 * (infra/organization-stack.ts).
 */
const OUTSIDE_ORGANIZATION_REFUSAL = 'account-outside-organization';

/** The organization functions were deployed into another organization. */
class OrganizationMismatchError extends VpceGuardError {
  public constructor(pinned: string, actual: string) {
    super(
      `this function serves organization ${pinned} (context organizationId), but its account belongs to ${actual}`
    );
    this.name = 'OrganizationMismatchError';
  }
}

/**
 * An event came from an account that is not an ACTIVE member of the
 * organization. The rule handler refuses it before any credentials are
 * asked for (functions/config-rule/create-rule-handler.ts).
 */
class AccountOutsideOrganizationError extends VpceGuardError {
  /** The account the event names. */
  public readonly accountId: string;
  /** The organization the function serves. */
  public readonly organizationId: string;

  public constructor(accountId: string, organizationId: string) {
    super(
      `account ${accountId} is not an active account of organization ${organizationId}`
    );
    this.name = 'AccountOutsideOrganizationError';
    this.accountId = accountId;
    this.organizationId = organizationId;
  }
}

/** The verdict on one event's account. */
interface Admission {
  readonly admitted: boolean;
  /** The organization the verdict was reached against. */
  readonly organizationId: string;
}

/** Decides whether an account belongs to the organization. */
interface OrganizationGuard {
  /**
   * @throws AwsCallError when the organization cannot be read (never an
   *   admission on doubt)
   * @throws OrganizationMismatchError when the account's organization is
   *   not the pinned one
   */
  readonly admit: (accountId: string) => Promise<Admission>;
}

/** What a guard is built from; nothing comes from the environment. */
interface OrganizationGuardOptions {
  /** Reads the organization (functions/shared/aws/organization-accounts.ts). */
  readonly readOrganization: () => Promise<OrganizationAccounts>;
  /** The current time, against which reads age. */
  readonly clock: () => Date;
  /**
   * The organization the deployment names (context `organizationId`): a
   * read of any other organization fails every event rather than serving it.
   */
  readonly pinnedOrganizationId?: string | undefined;
}

/** One read of the organization and when it was made. */
interface Membership {
  readonly accounts: OrganizationAccounts;
  readonly readAt: number;
}

const isFresh = (membership: Membership | undefined, now: number) =>
  membership !== undefined && now - membership.readAt < MEMBERSHIP_MAX_AGE_MS;

/** Whether an account missing from `membership` justifies reading again. */
const worthRereading = (membership: Membership, now: number): boolean =>
  now - membership.readAt >= UNKNOWN_ACCOUNT_REREAD_MS;

const checkPinned = (
  accounts: OrganizationAccounts,
  pinned: string | undefined
): OrganizationAccounts => {
  if (pinned !== undefined && accounts.organizationId !== pinned) {
    throw new OrganizationMismatchError(pinned, accounts.organizationId);
  }
  return accounts;
};

/**
 * The membership check of the organization functions. Config's invoke
 * permission cannot be limited to one organization (README, "Who may
 * invoke the organization functions"), so each event's account is checked
 * against the organization's ACTIVE accounts before the member role is
 * assumed. The organization is read through `readOrganization` and kept
 * for {@link MEMBERSHIP_MAX_AGE_MS}; an unknown account re-reads it once
 * the last read is {@link UNKNOWN_ACCOUNT_REREAD_MS} old. Concurrent
 * events share one read. The state lives in the returned guard, one per
 * handler (so per container), never in a module.
 */
const createOrganizationGuard = (
  options: OrganizationGuardOptions
): OrganizationGuard => {
  const now = () => options.clock().getTime();
  let membership: Membership | undefined;
  let reading: Promise<Membership> | undefined;
  const read = (): Promise<Membership> => {
    if (reading) return reading;
    const startedAt = now();
    reading = options
      .readOrganization()
      .then((accounts) => {
        membership = {
          accounts: checkPinned(accounts, options.pinnedOrganizationId),
          readAt: startedAt,
        };
        return membership;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
  return {
    admit: async (accountId) => {
      let current =
        membership !== undefined && isFresh(membership, now())
          ? membership
          : await read();
      if (
        !current.accounts.activeAccountIds.has(accountId) &&
        worthRereading(current, now())
      ) {
        current = await read();
      }
      return {
        admitted: current.accounts.activeAccountIds.has(accountId),
        organizationId: current.accounts.organizationId,
      };
    },
  };
};

export type { Admission, OrganizationGuard, OrganizationGuardOptions };
export {
  AccountOutsideOrganizationError,
  createOrganizationGuard,
  MEMBERSHIP_MAX_AGE_MS,
  OrganizationMismatchError,
  OUTSIDE_ORGANIZATION_REFUSAL,
  UNKNOWN_ACCOUNT_REREAD_MS,
};
