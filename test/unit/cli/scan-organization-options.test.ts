import { describe, expect, it } from '@jest/globals';
import { runCli } from '../../helpers/cli.js';

const MINIMAL = 'test/fixtures/snapshots/minimal.json';
const ORG = ['scan', '--organization', '--regions', 'us-east-1'];

describe('vpce-guard scan --organization options', () => {
  it.each([
    [
      ['scan', '--organization', '--regions', 'us-east-1'],
      'vpce-guard: scan --organization: give --role-name NAME, the role to assume in each account',
    ],
    [
      ['scan', '--organization', '--role-name', 'Audit'],
      'vpce-guard: scan --organization: give the Regions to scan with --regions R…',
    ],
    [
      [...ORG, '--role-name', 'Audit', '--concurrency', '0'],
      'vpce-guard: --concurrency: expected an integer from 1 to 64, got "0"',
    ],
    [
      [...ORG, '--role-name', 'Audit', '--concurrency', '65'],
      'vpce-guard: --concurrency: expected an integer from 1 to 64, got "65"',
    ],
    [
      [...ORG, '--role-name', 'Audit', '--concurrency', 'eight'],
      'vpce-guard: --concurrency: expected an integer from 1 to 64, got "eight"',
    ],
    [
      [...ORG, '--role-name', 'not a role'],
      'vpce-guard: --role-name: expected an IAM role name, got "not a role"',
    ],
    [
      [...ORG, '--role-name', 'Audit', '--exclude-accounts', '12345'],
      'vpce-guard: --exclude-accounts: expected 12-digit account ids, got "12345"',
    ],
    [
      [...ORG, '--role-name', 'Audit', '--region', 'eu-west-1'],
      'vpce-guard: scan --organization: does not take --region (use --regions)',
    ],
    [
      [
        ...ORG,
        '--role-name',
        'Audit',
        '--role-arn',
        'arn:aws:iam::111122223333:role/Audit',
        '--snapshot',
        MINIMAL,
      ],
      'vpce-guard: scan --organization: does not take --snapshot, --role-arn (use --role-name)',
    ],
    [
      ['scan', '--region', 'us-east-1', '--regions', 'eu-west-1'],
      'vpce-guard: scan: --regions needs --organization',
    ],
    [
      [
        'scan',
        '--snapshot',
        MINIMAL,
        '--role-name',
        'Audit',
        '--concurrency',
        '2',
      ],
      'vpce-guard: scan: --role-name, --concurrency need --organization',
    ],
  ])('exits 2 with a one-line reason for %j', async (argv, reason) => {
    // Act
    const result = await runCli(...argv);

    // Assert
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${reason}\n`);
  });
});
