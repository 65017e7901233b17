/**
 * `scan --organization` against moto's Organizations and STS: 20 ACTIVE
 * member accounts (and one closed) in 2 Regions, one of them without the
 * role. moto keeps separate state per account: credentials from its
 * AssumeRole act in the role's account, so each member has its own VPCs.
 * The missing role is played by a loopback proxy in front of moto's STS
 * (test/integration/helpers/missing-role-sts.ts), because moto's
 * AssumeRole succeeds for any role ARN.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../helpers/cli.js';
import { buildLandscape, type Landscape } from './helpers/landscape.js';
import { MissingRoleSts } from './helpers/missing-role-sts.js';
import { motoEndpoint, resetMoto } from './helpers/moto.js';

// moto's default account, which CreateOrganization makes the management account.
const MANAGEMENT = '123456789012';
const ROLE = 'VpceGuardAudit';
const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const MEMBERS = 20;

interface JsonDocument {
  readonly evaluations: readonly {
    ruleId: string;
    accountId: string;
    region: string;
    resourceId: string;
    complianceType: string;
  }[];
  readonly summary: { accounts: Record<string, unknown> };
  readonly organization: {
    accounts: readonly {
      accountId: string;
      name?: string;
      notLoaded: readonly string[];
      regions: readonly string[];
    }[];
  };
  readonly problems: readonly {
    accountId?: string;
    region?: string;
    resourceId?: string;
    message: string;
  }[];
}

/** An EC2 client acting in `account`, through moto's AssumeRole. */
const ec2In = async (account: string, region: string): Promise<EC2Client> => {
  const sts = new STSClient({});
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/test-setup`,
      RoleSessionName: 'test-setup',
    })
  );
  return new EC2Client({
    region,
    credentials: {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    },
  });
};

const orgScan = (...extra: string[]) =>
  runCli(
    'scan',
    '--organization',
    '--regions',
    ...REGIONS,
    '--role-name',
    ROLE,
    ...extra
  );

describe('scan --organization against moto', () => {
  let members: string[];
  let withoutRole: string;
  let closed: string;
  let leaky: string;
  let landscape: Landscape;
  let sts: MissingRoleSts;
  let scanned: string[];
  const names = new Map<string, string>();

  beforeAll(async () => {
    await resetMoto();
    const organizations = new OrganizationsClient({});
    await organizations.send(
      new CreateOrganizationCommand({ FeatureSet: 'ALL' })
    );
    const created: string[] = [];
    for (let i = 0; i <= MEMBERS; i += 1) {
      const name = `member-${String(i).padStart(2, '0')}`;
      const { CreateAccountStatus } = await organizations.send(
        new CreateAccountCommand({
          AccountName: name,
          Email: `${name}@example.com`,
        })
      );
      const id = CreateAccountStatus?.AccountId ?? '';
      created.push(id);
      names.set(id, name);
    }
    // One more than MEMBERS, closed: SUSPENDED accounts are not scanned.
    closed = created[MEMBERS] ?? '';
    await organizations.send(new CloseAccountCommand({ AccountId: closed }));
    members = created.slice(0, MEMBERS).sort();
    withoutRole = members[3] ?? '';
    leaky = members[0] ?? '';
    scanned = members.filter((id) => id !== withoutRole);
    // A private subnet whose S3 traffic leaves through NAT, in one member.
    landscape = await buildLandscape(await ec2In(leaky, 'us-east-1'), {
      vpcs: [{ name: 'nat-only', azCount: 1, privateSubnets: 1 }],
    });
    sts = await MissingRoleSts.start(motoEndpoint(), new Set([withoutRole]));
    process.env.AWS_ENDPOINT_URL_STS = sts.endpoint;
  });

  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_STS;
    await sts.close();
  });

  it('scans the other 38 account-Regions and reports the account without the role in each Region', async () => {
    // Arrange
    sts.assumed.length = 0;

    // Act
    const result = await orgScan(
      '--exclude-accounts',
      MANAGEMENT,
      '--format',
      'json'
    );

    // Assert: exit 2 once everything else is reported (README "Real accounts")
    expect(result.status).toBe(2);
    const roleArn = `arn:aws:iam::${withoutRole}:role/${ROLE}`;
    expect(result.stderr.trim().split('\n').sort()).toEqual(
      REGIONS.map(
        (region) =>
          `vpce-guard: ${withoutRole}/${region}: access denied: your credentials (assuming ${roleArn}) may not call sts:AssumeRole`
      ).sort()
    );
    const document = JSON.parse(result.stdout) as JsonDocument;
    const expected = scanned.flatMap((id) => REGIONS.map((r) => `${id}/${r}`));
    expect(expected).toHaveLength(38);
    expect(Object.keys(document.summary.accounts).sort()).toEqual(
      expected.sort()
    );
    expect(document.problems.filter((p) => p.resourceId === undefined)).toEqual(
      REGIONS.map((region) => ({
        accountId: withoutRole,
        region,
        message: `access denied: your credentials (assuming ${roleArn}) may not call sts:AssumeRole`,
      }))
    );
    // The role is assumed once per account, not once per Region.
    expect([...sts.assumed].sort()).toEqual(
      members.map((id) => `arn:aws:iam::${id}:role/${ROLE}`).sort()
    );
    const privateSubnet = landscape.vpc('nat-only').privateSubnets[0]?.subnetId;
    expect(
      document.evaluations.find(
        (e) =>
          e.ruleId === 'private-subnet-gateway-endpoints' &&
          e.resourceId === privateSubnet
      )
    ).toMatchObject({
      accountId: leaky,
      region: 'us-east-1',
      complianceType: 'NON_COMPLIANT',
    });
  });

  it('summarizes the organization per account, worst first, with the Regions not loaded', async () => {
    // Act
    const result = await orgScan(
      '--exclude-accounts',
      MANAGEMENT,
      '--format',
      'json'
    );

    // Assert
    const { organization } = JSON.parse(result.stdout) as JsonDocument;
    expect(organization.accounts.map((a) => a.accountId).sort()).toEqual(
      members
    );
    expect(organization.accounts.map((a) => a.accountId)).not.toContain(closed);
    // The leaky account has the extra failure, so it is first.
    expect(organization.accounts[0]?.accountId).toBe(leaky);
    expect(
      organization.accounts.find((a) => a.accountId === withoutRole)
    ).toMatchObject({
      name: names.get(withoutRole),
      regions: [],
      notLoaded: ['eu-west-1', 'us-east-1'],
    });
  });

  it.each([
    ['table', (id: string, region: string) => `${id} ${region}`],
    ['html', (id: string, region: string) => `<h2>${id}/${region}</h2>`],
    [
      'asff',
      (id: string, region: string) => `"Id": "arn:aws:ec2:${region}:${id}:vpc/`,
    ],
  ])(
    'covers every scanned account-Region in --format %s',
    async (format, mark) => {
      // Act
      const result = await orgScan(
        '--exclude-accounts',
        MANAGEMENT,
        '--format',
        format
      );

      // Assert
      expect(result.status).toBe(2);
      for (const id of scanned) {
        for (const region of REGIONS) {
          expect(result.stdout).toContain(mark(id, region));
        }
      }
      for (const region of REGIONS) {
        expect(result.stdout).not.toContain(mark(withoutRole, region));
      }
    }
  );

  it('scans the management account with the caller’s own credentials, and skips excluded accounts', async () => {
    // Arrange: every member but two excluded, given comma-separated
    sts.assumed.length = 0;
    const kept = scanned.slice(0, 2);
    const excluded = members.filter((id) => !kept.includes(id));

    // Act
    const result = await runCli(
      'scan',
      '--organization',
      '--regions',
      'us-east-1',
      '--role-name',
      ROLE,
      '--exclude-accounts',
      excluded.join(','),
      '--concurrency',
      '1',
      '--format',
      'json'
    );

    // Assert
    expect(result.stderr).toBe('');
    const document = JSON.parse(result.stdout) as JsonDocument;
    expect(Object.keys(document.summary.accounts).sort()).toEqual(
      [MANAGEMENT, ...kept].map((id) => `${id}/us-east-1`).sort()
    );
    expect([...sts.assumed].sort()).toEqual(
      kept.map((id) => `arn:aws:iam::${id}:role/${ROLE}`).sort()
    );
  });
});
