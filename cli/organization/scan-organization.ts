/**
 * `scan --organization`: every ACTIVE account of the caller's organization
 * in every Region given, loaded with bounded concurrency. Each
 * account-Region stands alone (README "Real accounts"): one that cannot be
 * loaded, because its role is missing or refuses us, or EC2 refuses a
 * call, is a failed load; the others are still loaded and reported.
 *
 * Request rates (README "Organization scans"): EC2 throttles each account
 * per Region, so each account-Region's EC2 client spends from a budget of
 * its own sized at half of EC2's Describe* bucket, and `--concurrency`
 * (account-Regions in flight) never adds to any one bucket. Route 53
 * throttles per account, so an account's Regions share one Route 53
 * budget. The role is assumed once per account, not per Region.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { Route53Client } from '@aws-sdk/client-route-53';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { loadAccountRegion } from '../../functions/shared/aws/account-inventory.js';
import type { ClientWithStack } from '../../functions/shared/aws/call-counter.js';
import { sdkClientConfig } from '../../functions/shared/aws/client-config.js';
import {
  assumedRoleCredentials,
  executionRoleArn,
} from '../../functions/shared/aws/credentials.js';
import { mapWithLimit } from '../../functions/shared/aws/map-with-limit.js';
import {
  listActiveAccounts,
  type OrganizationAccount,
} from '../../functions/shared/aws/organization-accounts.js';
import {
  AwsCallError,
  InputError,
  toAwsCallError,
} from '../../functions/shared/errors.js';
import {
  RegionError,
  regionFacts,
} from '../../functions/shared/formats/partitions.js';
import type { AccountRegionLoad } from '../../functions/shared/formats/snapshot.js';
import type { PreparedRule } from '../../rules/model/rule.js';
import type { OrganizationScope } from '../report/organization.js';
import { type ScanProgress, SILENT } from './progress.js';
import {
  type BudgetClock,
  type BudgetLimits,
  RequestBudget,
  SYSTEM_CLOCK,
  spendBudgetPerAttempt,
} from './request-budget.js';

/** What `scan --organization` was asked to do, validated. */
interface OrganizationScanRequest {
  /** Regions to scan in every account, in report order. */
  readonly regions: readonly string[];
  /** The role to assume in each account but the caller's own. */
  readonly roleName: string;
  /** Account-Regions loaded at once (≥ 1). */
  readonly concurrency: number;
  /** Accounts not to scan. */
  readonly excludeAccounts: readonly string[];
  /** A named profile for the caller's credentials. */
  readonly profile?: string;
}

/** What the scan needs from outside; tests and the bench inject their own. */
interface OrganizationScanDeps {
  readonly progress?: ScanProgress;
  /** Called with every SDK client the scan creates (the bench counts calls). */
  readonly instrument?: (client: ClientWithStack) => void;
  /** The time the request budgets refill by. */
  readonly clock?: BudgetClock;
  /** One line for stderr that does not stop the scan. */
  readonly warn?: (line: string) => void;
}

/** Every account-Region's load, account by account, and what was in scope. */
interface OrganizationLoads {
  readonly loads: AccountRegionLoad[];
  readonly scope: OrganizationScope;
}

/**
 * EC2 gives each account, per Region, a bucket of 100 Describe* requests
 * refilled at 20 per second (one bucket per API action, or one for all
 * Describe* actions in older descriptions of it). A scan spends half of
 * one bucket, so under either model the account's own tools and the
 * vpce-guard Lambda rules keep the rest (README "Organization scans").
 */
const EC2_BUDGET: BudgetLimits = { capacity: 50, refillPerSecond: 10 };

/**
 * Route 53 allows five requests per second per account, across Regions;
 * an account's Regions share this budget, two per second.
 */
const ROUTE53_BUDGET: BudgetLimits = { capacity: 2, refillPerSecond: 2 };

const CALLER = 'your credentials';
const SESSION_NAME = 'vpce-guard-cli';

/** The caller's account and partition, from `sts:GetCallerIdentity`. */
const callerIdentity = async (
  sts: STSClient
): Promise<{ accountId: string; partition: string }> => {
  let identity: { Account?: string; Arn?: string };
  try {
    identity = await sts.send(new GetCallerIdentityCommand({}));
  } catch (error) {
    throw toAwsCallError(error, 'sts:GetCallerIdentity', CALLER);
  }
  return {
    accountId: identity.Account ?? '',
    partition: identity.Arn?.split(':')[1] ?? 'aws',
  };
};

/** Refuses a Region the caller's partition does not hold, before any load. */
const checkRegions = (regions: readonly string[], partition: string): void => {
  for (const region of regions) {
    try {
      regionFacts(region, partition);
    } catch (error) {
      if (error instanceof RegionError) {
        throw new InputError(`--regions ${region}: ${error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
  }
};

/**
 * A credentials provider shared by an account's Regions: one AssumeRole
 * call in flight at a time, and a refusal remembered, so both Regions of
 * an account without the role report the same failure for one call.
 */
const sharedCredentials = (
  provider: AwsCredentialIdentityProvider
): AwsCredentialIdentityProvider => {
  let inFlight: ReturnType<AwsCredentialIdentityProvider> | undefined;
  let refusal: unknown;
  return async () => {
    if (refusal !== undefined) throw refusal;
    inFlight ??= provider().finally(() => {
      inFlight = undefined;
    });
    try {
      return await inFlight;
    } catch (error) {
      refusal = error;
      throw error;
    }
  };
};

/** How one account is reached: its credentials and its Route 53 budget. */
interface AccountAccess {
  readonly account: OrganizationAccount;
  /** Undefined for the caller's own account: the caller's credentials. */
  readonly credentials?: AwsCredentialIdentityProvider;
  /** The role, or `your credentials`, for messages. */
  readonly principal: string;
  readonly route53Budget: RequestBudget;
}

/** Accounts to scan: the ACTIVE ones less the excluded, with a warning per unknown exclusion. */
const accountsToScan = (
  active: readonly OrganizationAccount[],
  excluded: readonly string[],
  warn: (line: string) => void
): OrganizationAccount[] => {
  const activeIds = new Set(active.map((account) => account.id));
  for (const id of excluded) {
    if (!activeIds.has(id)) {
      warn(
        `vpce-guard: warning: --exclude-accounts ${id}: not an ACTIVE account of the organization`
      );
    }
  }
  const skip = new Set(excluded);
  return active.filter((account) => !skip.has(account.id));
};

/** Everything one account-Region load needs. */
interface LoadContext {
  readonly request: OrganizationScanRequest;
  readonly rules: readonly PreparedRule[];
  readonly partition: string;
  readonly instrument: (client: ClientWithStack) => void;
  readonly clock: BudgetClock;
}

/**
 * Loads one account-Region. AWS refusing or failing (AssumeRole included)
 * and an account-Region that cannot be read are a failed load, never a
 * thrown error: the other account-Regions go on.
 */
const loadOne = async (
  context: LoadContext,
  access: AccountAccess,
  region: string
): Promise<AccountRegionLoad> => {
  const { account, credentials, principal } = access;
  const source = `${principal} ${region}`;
  try {
    // Assume first, so a missing role fails as itself, not as the first
    // EC2 call that needed its credentials.
    if (credentials) await credentials();
    const config = {
      ...sdkClientConfig(region),
      ...(context.request.profile ? { profile: context.request.profile } : {}),
      ...(credentials ? { credentials } : {}),
    };
    const ec2 = new EC2Client(config);
    const route53 = new Route53Client(config);
    context.instrument(ec2);
    context.instrument(route53);
    spendBudgetPerAttempt(ec2, new RequestBudget(EC2_BUDGET, context.clock));
    spendBudgetPerAttempt(route53, access.route53Budget);
    try {
      const { inventory } = await loadAccountRegion(
        { ec2, route53, principal },
        { accountId: account.id, region, partition: context.partition },
        context.rules,
        source
      );
      return { ok: true, source, inventory };
    } finally {
      ec2.destroy();
      route53.destroy();
    }
  } catch (error) {
    if (!(error instanceof AwsCallError || error instanceof InputError)) {
      throw error;
    }
    return {
      ok: false,
      source,
      accountId: account.id,
      region,
      message: error.message,
    };
  }
};

/**
 * How to reach one account: with the caller's own credentials in its own
 * account, else through the role (assumed once, on first use, shared by
 * the account's Regions), with a Route 53 budget of its own.
 */
const accountAccess = (
  account: OrganizationAccount,
  caller: { readonly accountId: string; readonly partition: string },
  {
    sts,
    request,
    clock,
  }: {
    readonly sts: STSClient;
    readonly request: OrganizationScanRequest;
    readonly clock: BudgetClock;
  }
): AccountAccess => {
  const route53Budget = new RequestBudget(ROUTE53_BUDGET, clock);
  if (account.id === caller.accountId) {
    return { account, principal: CALLER, route53Budget };
  }
  const roleArn = executionRoleArn(
    caller.partition,
    account.id,
    request.roleName
  );
  return {
    account,
    principal: roleArn,
    credentials: sharedCredentials(
      assumedRoleCredentials(sts, roleArn, SESSION_NAME, CALLER)
    ),
    route53Budget,
  };
};

/**
 * Loads every account in every Region, at most `concurrency` at a time,
 * Region by Region and account after account, so the loads in flight
 * together are different accounts.
 *
 * @returns the loads account by account, each account's Regions in order
 */
const loadEveryAccountRegion = async (
  context: LoadContext,
  access: readonly AccountAccess[],
  progress: ScanProgress
): Promise<AccountRegionLoad[]> => {
  const { regions, concurrency } = context.request;
  const work = regions.flatMap((region, r) =>
    access.map((entry, a) => ({ entry, region, slot: a * regions.length + r }))
  );
  const loads: AccountRegionLoad[] = [];
  progress.start(work.length);
  try {
    await mapWithLimit(work, concurrency, async (item) => {
      const load = await loadOne(context, item.entry, item.region);
      loads[item.slot] = load;
      progress.done(!load.ok);
    });
  } finally {
    progress.stop();
  }
  return loads;
};

/**
 * Lists the organization's ACTIVE accounts and loads every account in
 * every Region of `request`, at most `request.concurrency` account-Regions
 * at a time. Work is ordered Region by Region, account after account, so
 * the account-Regions in flight together are different accounts.
 *
 * @returns the loads account by account (in id order), each account's
 *   Regions in the order given, and the scope for the report
 * @throws OrganizationUnavailableError when the caller's account is in no
 *   organization; AccessDeniedError when it may not list it; AwsCallError when the caller's identity cannot be read;
 *   InputError for a Region outside the caller's partition or when no
 *   account is left to scan
 */
const loadOrganization = async (
  request: OrganizationScanRequest,
  rules: readonly PreparedRule[],
  deps: OrganizationScanDeps = {}
): Promise<OrganizationLoads> => {
  const instrument = deps.instrument ?? (() => undefined);
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const base = {
    ...sdkClientConfig(request.regions[0]),
    ...(request.profile ? { profile: request.profile } : {}),
  };
  const sts = new STSClient(base);
  const organizations = new OrganizationsClient(base);
  instrument(sts);
  instrument(organizations);
  try {
    const caller = await callerIdentity(sts);
    checkRegions(request.regions, caller.partition);
    const listed = await listActiveAccounts(organizations, CALLER);
    const accounts = accountsToScan(
      listed.accounts,
      request.excludeAccounts,
      deps.warn ?? (() => undefined)
    );
    if (accounts.length === 0) {
      throw new InputError(
        'scan --organization: no ACTIVE account left to scan after --exclude-accounts'
      );
    }
    const access = accounts.map((account) =>
      accountAccess(account, caller, { sts, request, clock })
    );
    const context: LoadContext = {
      request,
      rules,
      partition: caller.partition,
      instrument,
      clock,
    };
    const loads = await loadEveryAccountRegion(
      context,
      access,
      deps.progress ?? SILENT
    );
    const { organizationId } = listed;
    return {
      loads,
      scope: {
        source: `AWS Organizations${organizationId ? ` ${organizationId}` : ''}, role ${request.roleName}`,
        accounts,
        regions: [...request.regions],
      },
    };
  } finally {
    sts.destroy();
    organizations.destroy();
  }
};

export type {
  OrganizationLoads,
  OrganizationScanDeps,
  OrganizationScanRequest,
};
export { EC2_BUDGET, loadOrganization, ROUTE53_BUDGET };
