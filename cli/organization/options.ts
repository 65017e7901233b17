import { InputError } from '../../rules/model/errors.js';
import type { OrganizationScanRequest } from './scan-organization.js';

/** The `scan` options that concern `--organization`, as commander parses them. */
interface OrganizationOptions {
  readonly organization?: boolean;
  readonly roleName?: string;
  readonly regions?: readonly string[];
  readonly concurrency?: string;
  readonly excludeAccounts?: readonly string[];
  readonly profile?: string;
  readonly snapshot?: readonly string[];
  readonly region?: readonly string[];
  readonly roleArn?: readonly string[];
}

/** Account-Regions in flight when `--concurrency` is not given. */
const DEFAULT_CONCURRENCY = 8;
/** The most account-Regions `--concurrency` may put in flight. */
const MAX_CONCURRENCY = 64;

// An IAM role name (1–64 of [\w+=,.@-]), optionally after a path.
const ROLE_NAME = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/u;
const ACCOUNT_ID = /^\d{12}$/u;

/** Values of a repeatable option, each also split on commas. */
const listValues = (values: readonly string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');

const concurrencyOf = (text: string | undefined): number => {
  if (text === undefined) return DEFAULT_CONCURRENCY;
  const value = Number(text);
  if (!/^\d+$/u.test(text) || value < 1 || value > MAX_CONCURRENCY) {
    throw new InputError(
      `--concurrency: expected an integer from 1 to ${MAX_CONCURRENCY}, got ${JSON.stringify(text)}`
    );
  }
  return value;
};

/** Options that only `--organization` takes, refused without it. */
const refuseStrayOptions = (options: OrganizationOptions): void => {
  const stray = [
    options.roleName === undefined ? undefined : '--role-name',
    options.regions === undefined ? undefined : '--regions',
    options.concurrency === undefined ? undefined : '--concurrency',
    options.excludeAccounts === undefined ? undefined : '--exclude-accounts',
  ].filter((name) => name !== undefined);
  if (stray.length > 0) {
    throw new InputError(
      `scan: ${stray.join(', ')} ${stray.length === 1 ? 'needs' : 'need'} --organization`
    );
  }
};

/** Options that `--organization` replaces, refused with it. */
const refuseOtherSources = (options: OrganizationOptions): void => {
  const other = [
    options.snapshot === undefined ? undefined : '--snapshot',
    options.region === undefined ? undefined : '--region (use --regions)',
    options.roleArn === undefined ? undefined : '--role-arn (use --role-name)',
  ].filter((name) => name !== undefined);
  if (other.length > 0) {
    throw new InputError(
      `scan --organization: does not take ${other.join(', ')}`
    );
  }
};

/**
 * The organization scan `scan`'s options ask for, validated before any
 * AWS call; `undefined` when `--organization` is not given.
 *
 * @throws InputError naming the option at fault
 */
const organizationRequest = (
  options: OrganizationOptions
): OrganizationScanRequest | undefined => {
  if (!options.organization) {
    refuseStrayOptions(options);
    return undefined;
  }
  refuseOtherSources(options);
  const regions = [...new Set(listValues(options.regions))];
  if (regions.length === 0) {
    throw new InputError(
      'scan --organization: give the Regions to scan with --regions R…'
    );
  }
  const roleName = options.roleName?.trim();
  if (!roleName) {
    throw new InputError(
      'scan --organization: give --role-name NAME, the role to assume in each account'
    );
  }
  if (!ROLE_NAME.test(roleName)) {
    throw new InputError(
      `--role-name: expected an IAM role name, got ${JSON.stringify(roleName)}`
    );
  }
  const excludeAccounts = listValues(options.excludeAccounts);
  for (const id of excludeAccounts) {
    if (!ACCOUNT_ID.test(id)) {
      throw new InputError(
        `--exclude-accounts: expected 12-digit account ids, got ${JSON.stringify(id)}`
      );
    }
  }
  return {
    regions,
    roleName,
    concurrency: concurrencyOf(options.concurrency),
    excludeAccounts,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  };
};

export type { OrganizationOptions };
export { DEFAULT_CONCURRENCY, MAX_CONCURRENCY, organizationRequest };
