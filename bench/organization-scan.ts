/**
 * The organization-scan part of `npm run bench`: an organization of 20,
 * then 50, member accounts in moto, each holding the S landscape in two
 * Regions, scanned as `scan --organization` scans (loadOrganization, then
 * the rules and the JSON report) at several `--concurrency` values, through
 * clients with the call-counting middleware. One line per scan:
 * `{"case","accounts","regions","wallMs","awsCalls"}`.
 *
 * moto keeps separate state per account: credentials from its AssumeRole
 * act in the role's account (it does not check that the role exists), so
 * the bench creates the accounts with CreateAccount and fills each one
 * through credentials for it. The management account (moto's default) holds
 * only moto's default VPCs and is excluded, so every scanned account is an
 * S account.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { evaluateAll } from '../cli/evaluate.js';
import { loadOrganization } from '../cli/organization/scan-organization.js';
import { renderJson } from '../cli/report/json.js';
import {
  CallCounter,
  countCalls,
} from '../functions/shared/aws/call-counter.js';
import { mapWithLimit } from '../functions/shared/aws/map-with-limit.js';
import { rules } from '../rules/index.js';
import type { Landscape } from './landscape.js';
import { populateMoto } from './moto-landscape.js';
import type { MotoServer } from './moto-server.js';
import { round } from './stats.js';

/** One organization-scan line of the bench. */
interface OrganizationScanResult {
  readonly case: string;
  readonly accounts: number;
  readonly regions: number;
  readonly wallMs: number;
  readonly awsCalls: number;
}

const REGIONS = ['us-east-1', 'us-west-2'] as const;
/** The AZ-id prefix of each Region (`use1-az1`). */
const AZ_ID_PREFIX: Readonly<Record<(typeof REGIONS)[number], string>> = {
  'us-east-1': 'use1',
  'us-west-2': 'usw2',
};
const ACCOUNT_COUNTS = [20, 50] as const;
const CONCURRENCIES = [1, 2, 4, 8, 16] as const;
// moto's default account, which CreateOrganization makes the management account.
const MANAGEMENT = '123456789012';
const ROLE = 'VpceGuardBench';
// Accounts filled at once: moto answers requests in threads.
const FILL_CONCURRENCY = 4;

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/**
 * The landscape (generated in us-east-1, bench/landscape.ts) moved to
 * another Region: AZ names, AZ ids and service names follow the Region.
 */
const inRegion = (
  landscape: Landscape,
  region: (typeof REGIONS)[number]
): Landscape =>
  JSON.parse(
    JSON.stringify(landscape)
      .replaceAll('us-east-1', region)
      .replaceAll('use1-az', `${AZ_ID_PREFIX[region]}-az`)
  ) as Landscape;

/** An EC2 client acting in `account`, through moto's AssumeRole. */
const ec2In = async (
  sts: STSClient,
  account: string,
  region: string,
  endpoint: string
): Promise<EC2Client> => {
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/bench-setup`,
      RoleSessionName: 'bench-setup',
    })
  );
  return new EC2Client({
    endpoint,
    region,
    credentials: {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    },
  });
};

/** Creates `count` more member accounts, each holding `landscape` in every Region. */
const addAccounts = async (
  moto: MotoServer,
  landscape: Landscape,
  first: number,
  count: number
): Promise<void> => {
  const config = {
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
  };
  const organizations = new OrganizationsClient(config);
  const sts = new STSClient(config);
  const accounts: string[] = [];
  for (let i = first; i < first + count; i += 1) {
    const { CreateAccountStatus } = await organizations.send(
      new CreateAccountCommand({
        AccountName: `bench-${i}`,
        Email: `bench-${i}@example.com`,
      })
    );
    accounts.push(CreateAccountStatus?.AccountId ?? '');
  }
  const started = performance.now();
  await mapWithLimit(accounts, FILL_CONCURRENCY, async (account) => {
    for (const region of REGIONS) {
      await populateMoto(
        await ec2In(sts, account, region, moto.endpoint),
        inRegion(landscape, region)
      );
    }
  });
  console.error(
    `bench: filled ${count} accounts × ${REGIONS.length} Regions in moto in ${((performance.now() - started) / 1000).toFixed(1)} s`
  );
};

/** One organization scan, as `scan --organization --format json` runs it. */
const scanOnce = async (
  accounts: number,
  concurrency: number
): Promise<OrganizationScanResult> => {
  const counter = new CallCounter();
  const prepared = rules.map((rule) => rule.prepare({}));
  const started = performance.now();
  const { loads } = await loadOrganization(
    {
      regions: REGIONS,
      roleName: ROLE,
      concurrency,
      excludeAccounts: [MANAGEMENT],
    },
    prepared,
    { instrument: (client) => countCalls(client, counter) }
  );
  const inventories = loads.flatMap((load) =>
    load.ok ? [{ source: load.source, inventory: load.inventory }] : []
  );
  const report = renderJson(
    evaluateAll(prepared, inventories),
    rules.map((rule) => rule.metadata.id)
  );
  const wallMs = performance.now() - started;
  const failed = loads.filter((load) => !load.ok);
  if (failed.length > 0 || inventories.length !== accounts * REGIONS.length) {
    throw new Error(
      `the organization scan loaded ${inventories.length} of ${accounts * REGIONS.length} account-Regions: ${failed.map((load) => (load.ok ? '' : load.message)).join('; ')}`
    );
  }
  console.error(
    `bench: organization ${accounts}×${REGIONS.length} at concurrency ${concurrency}: ${(wallMs / 1000).toFixed(1)} s, ${report.length} bytes of JSON`
  );
  return {
    case: `organization-c${concurrency}`,
    accounts,
    regions: REGIONS.length,
    wallMs: round(wallMs),
    awsCalls: counter.total,
  };
};

/**
 * Resets moto, builds the organization and scans it at every concurrency,
 * first with 20 accounts, then with 50. The CLI's clients find moto
 * through the standard SDK environment, which is set for the scans and
 * restored afterwards.
 */
const measureOrganizationScans = async (
  moto: MotoServer,
  landscape: Landscape,
  print: (line: OrganizationScanResult) => void
): Promise<void> => {
  const saved = {
    AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY,
  };
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  process.env.AWS_ACCESS_KEY_ID = CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;
  try {
    await moto.reset();
    await new OrganizationsClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: CREDENTIALS,
    }).send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    let accounts = 0;
    for (const count of ACCOUNT_COUNTS) {
      await addAccounts(moto, landscape, accounts, count - accounts);
      accounts = count;
      for (const concurrency of CONCURRENCIES) {
        print(await scanOnce(accounts, concurrency));
      }
    }
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
};

export type { OrganizationScanResult };
export { measureOrganizationScans };
