import { readFileSync } from 'node:fs';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  ListHostedZonesByVPCCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import type { ScanProgress } from '../../../cli/organization/progress.js';
import {
  loadOrganization,
  type OrganizationScanRequest,
} from '../../../cli/organization/scan-organization.js';
import { InputError } from '../../../functions/shared/errors.js';
import type { AccountRegionLoad } from '../../../functions/shared/formats/snapshot.js';
import type { AccountRegionSnapshot } from '../../../functions/shared/formats/snapshot-schema.js';
import { rules } from '../../../rules/index.js';
import { serveSnapshot } from '../../helpers/ec2-mock.js';

const MANAGEMENT = '999988887777';
const MEMBERS = [
  '111122223333',
  '222233334444',
  '333344445555',
  '444455556666',
  '555566667777',
];
const REGIONS = ['us-east-1', 'eu-west-1'];
const SNAPSHOT = JSON.parse(
  readFileSync('test/fixtures/snapshots/minimal.json', 'utf8')
) as AccountRegionSnapshot;

const organizations = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const route53 = mockClient(Route53Client);

const prepared = rules.map((rule) => rule.prepare({}));

const request = (
  overrides: Partial<OrganizationScanRequest> = {}
): OrganizationScanRequest => ({
  regions: REGIONS,
  roleName: 'Audit',
  concurrency: 4,
  excludeAccounts: [],
  ...overrides,
});

const roleArn = (account: string): string =>
  `arn:aws:iam::${account}:role/Audit`;

const placeOf = (load: AccountRegionLoad): string =>
  load.ok
    ? `${load.inventory.accountId}/${load.inventory.region}`
    : `${load.accountId}/${load.region} failed`;

/** Records what the scan reported, in order. */
class RecordedProgress implements ScanProgress {
  public readonly events: string[] = [];
  public start(total: number): void {
    this.events.push(`start ${total}`);
  }
  public done(failed: boolean): void {
    this.events.push(failed ? 'failed' : 'loaded');
  }
  public stop(): void {
    this.events.push('stop');
  }
}

beforeEach(() => {
  organizations.on(ListAccountsCommand).resolves({
    Accounts: [...MEMBERS, MANAGEMENT].map((Id) => ({
      Id,
      Arn: `arn:aws:organizations::${MANAGEMENT}:account/o-a1b2c3d4e5/${Id}`,
      Name: `account ${Id}`,
      State: 'ACTIVE',
    })),
  });
  sts.on(GetCallerIdentityCommand).resolves({
    Account: MANAGEMENT,
    Arn: `arn:aws:iam::${MANAGEMENT}:user/auditor`,
  });
  sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: 'ASIAEXAMPLE',
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date('2099-01-01T00:00:00Z'),
    },
  });
  serveSnapshot(ec2, SNAPSHOT);
  route53
    .on(ListHostedZonesByVPCCommand)
    .resolves({ HostedZoneSummaries: [], MaxItems: 100 });
});

afterEach(() => {
  organizations.reset();
  sts.reset();
  ec2.reset();
  route53.reset();
});

describe('loadOrganization', () => {
  it.each([1, 3, 8, 64])(
    'loads at most %i account-Regions at once',
    async (concurrency) => {
      // Arrange: hold each DescribeVpcs (one per account-Region) until every
      // load that could start has started: setImmediate runs after the
      // pending promise jobs, whatever the machine's speed
      let inFlight = 0;
      let most = 0;
      ec2.on(DescribeVpcsCommand).callsFake(async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return { Vpcs: SNAPSHOT.Vpcs } as never;
      });

      // Act
      const { loads } = await loadOrganization(
        request({ concurrency }),
        prepared
      );

      // Assert
      expect(most).toBe(Math.min(concurrency, 12));
      expect(loads.every((load) => load.ok)).toBe(true);
    }
  );

  it('reports account by account, in id order, each account’s Regions in the order given', async () => {
    // Act
    const { loads, scope } = await loadOrganization(request(), prepared);

    // Assert
    expect(loads.map(placeOf)).toEqual(
      [...MEMBERS, MANAGEMENT]
        .sort()
        .flatMap((id) => REGIONS.map((region) => `${id}/${region}`))
    );
    expect(scope).toEqual({
      source: 'AWS Organizations o-a1b2c3d4e5, role Audit',
      accounts: [...MEMBERS, MANAGEMENT]
        .sort()
        .map((id) => ({ id, name: `account ${id}` })),
      regions: REGIONS,
    });
  });

  it('assumes the role once per member account, and never in the caller’s own account', async () => {
    // Act
    await loadOrganization(request(), prepared);

    // Assert
    const assumed = sts
      .commandCalls(AssumeRoleCommand)
      .map((call) => call.args[0].input.RoleArn);
    expect(assumed.sort()).toEqual(MEMBERS.map(roleArn).sort());
  });

  it('fails both Regions of an account whose role is refused, with one AssumeRole call, and loads the rest', async () => {
    // Arrange
    const refused = MEMBERS[2] ?? '';
    sts.on(AssumeRoleCommand, { RoleArn: roleArn(refused) }).rejects(
      Object.assign(new Error('not authorized to perform sts:AssumeRole'), {
        name: 'AccessDenied',
        $fault: 'client',
      })
    );
    const progress = new RecordedProgress();

    // Act
    const { loads } = await loadOrganization(request(), prepared, {
      progress,
    });

    // Assert
    const failed = loads.filter((load) => !load.ok);
    expect(failed).toEqual(
      REGIONS.map((region) => ({
        ok: false,
        source: `${roleArn(refused)} ${region}`,
        accountId: refused,
        region,
        message: `access denied: your credentials (assuming ${roleArn(refused)}) may not call sts:AssumeRole`,
      }))
    );
    expect(loads.filter((load) => load.ok)).toHaveLength(10);
    expect(
      sts
        .commandCalls(AssumeRoleCommand)
        .filter((call) => call.args[0].input.RoleArn === roleArn(refused))
    ).toHaveLength(1);
    expect(progress.events[0]).toBe('start 12');
    expect(progress.events.filter((e) => e === 'failed')).toHaveLength(2);
    expect(progress.events.filter((e) => e === 'loaded')).toHaveLength(10);
    expect(progress.events.at(-1)).toBe('stop');
  });

  it('skips excluded accounts and warns about an exclusion that names no ACTIVE account', async () => {
    // Arrange
    const warnings: string[] = [];

    // Act
    const { loads } = await loadOrganization(
      request({
        regions: ['us-east-1'],
        excludeAccounts: [MEMBERS[0] ?? '', '123123123123'],
      }),
      prepared,
      { warn: (line) => warnings.push(line) }
    );

    // Assert
    expect(loads.map(placeOf)).not.toContain(`${MEMBERS[0]}/us-east-1`);
    expect(loads).toHaveLength(5);
    expect(warnings).toEqual([
      'vpce-guard: warning: --exclude-accounts 123123123123: not an ACTIVE account of the organization',
    ]);
  });

  it.each([
    [
      'every account excluded',
      request({ excludeAccounts: [...MEMBERS, MANAGEMENT] }),
      'aws',
      'scan --organization: no ACTIVE account left to scan after --exclude-accounts',
    ],
    [
      'a Region outside the caller’s partition',
      request({ regions: ['us-east-1'] }),
      'aws-cn',
      '--regions us-east-1: partition aws-cn does not hold Region us-east-1',
    ],
  ])('refuses %s before any load', async (_case, scan, partition, message) => {
    // Arrange
    sts.on(GetCallerIdentityCommand).resolves({
      Account: MANAGEMENT,
      Arn: `arn:${partition}:iam::${MANAGEMENT}:user/auditor`,
    });

    // Act
    const loading = loadOrganization(scan, prepared);

    // Assert
    await expect(loading).rejects.toThrow(InputError);
    await expect(loading).rejects.toThrow(message);
    expect(ec2.commandCalls(DescribeVpcsCommand)).toHaveLength(0);
  });
});
