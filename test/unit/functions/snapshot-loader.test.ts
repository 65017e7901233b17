import { describe, expect, it } from '@jest/globals';
import {
  loadSnapshotFile,
  parseSnapshot,
} from '../../../functions/shared/snapshot-loader.js';
import { InputError } from '../../../rules/model/errors.js';
import { buildInventory } from '../../../rules/model/inventory.js';

const fixture = (name: string) => `test/fixtures/snapshots/${name}`;

describe('loadSnapshotFile', () => {
  it('loads one account-region object in the shapes aws ec2 describe-* prints', async () => {
    // Act
    const loaded = await loadSnapshotFile(fixture('minimal.json'));

    // Assert
    expect(loaded).toHaveLength(1);
    expect(loaded[0]?.source).toBe(fixture('minimal.json'));
    expect(loaded[0]?.snapshot.AccountId).toBe('111122223333');
    expect(loaded[0]?.snapshot.Subnets[0]?.AvailabilityZoneId).toBe('use1-az1');
  });

  it('loads an array of account-regions, naming each by its index', async () => {
    // Act
    const loaded = await loadSnapshotFile(fixture('two-regions.json'));

    // Assert
    expect(loaded.map((l) => [l.source, l.snapshot.Region])).toEqual([
      [`${fixture('two-regions.json')}[0]`, 'us-east-1'],
      [`${fixture('two-regions.json')}[1]`, 'eu-west-1'],
    ]);
  });

  it('keeps fields it does not read, so newer AWS CLI output still loads', () => {
    // Arrange
    const text = JSON.stringify({
      ...JSON.parse(
        '{"AccountId":"111122223333","Region":"us-east-1","Partition":"aws","VpcAttributes":[],"Subnets":[],"RouteTables":[],"VpcEndpoints":[],"PrefixLists":[],"ServiceDetails":[],"SecurityGroups":[]}'
      ),
      Vpcs: [
        { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', SomeFutureField: { x: 1 } },
      ],
    });

    // Act
    const [loaded] = parseSnapshot(text, 'future.json');

    // Assert
    expect(loaded?.snapshot.Vpcs[0]).toMatchObject({
      SomeFutureField: { x: 1 },
    });
  });

  it.each([
    [
      'missing-az-id.json',
      'missing-az-id.json: Subnets[0].AvailabilityZoneId: missing (expected a string)',
    ],
    [
      'missing-security-groups.json',
      'missing-security-groups.json: SecurityGroups: missing (expected an array)',
    ],
    [
      'dns-value-string.json',
      'dns-value-string.json: VpcAttributes[0].EnableDnsSupport.Value: expected true or false, got the string "true"',
    ],
    [
      'bad-cidr.json',
      'bad-cidr.json: Vpcs[0].CidrBlock: expected a CIDR block such as 10.0.0.0/16, got "10.0.0/16"',
    ],
    [
      'bad-account.json',
      'bad-account.json: AccountId: expected a 12-digit account id, got "1111-2222-3333"',
    ],
    [
      'route-without-destination.json',
      'route-without-destination.json: RouteTables[0].Routes[1]: expected one of DestinationCidrBlock, DestinationIpv6CidrBlock, DestinationPrefixListId',
    ],
    [
      'policy-not-json.json',
      'policy-not-json.json: VpcEndpoints[0].PolicyDocument: expected a JSON policy document in a string, got "{\\"Statement\\": ["',
    ],
    [
      'array-second-invalid.json',
      'array-second-invalid.json[1]: Region: missing (expected a string)',
    ],
    [
      'scalar.json',
      'scalar.json: (top level): expected an account-region object or an array of them, got a string',
    ],
    [
      'empty-array.json',
      'empty-array.json: (top level): expected at least one account-region, got an empty array',
    ],
  ])(
    'rejects %s with a message naming the file, the key and what was expected',
    async (name, message) => {
      // Act
      const load = loadSnapshotFile(fixture(name));

      // Assert
      await expect(load).rejects.toThrow(InputError);
      await expect(load).rejects.toThrow(`${fixture('')}${message}`);
    }
  );

  it.each([
    ['not-json.json', 'line 4'],
    ['truncated.json', 'line 10'],
  ])(
    'rejects %s as not JSON, with the line of the error',
    async (name, line) => {
      // Act
      const file = `test/fixtures/bad-input/${name}`;
      const load = loadSnapshotFile(file);

      // Assert
      await expect(load).rejects.toThrow(
        new RegExp(`^${file}: not valid JSON: .*${line}`)
      );
    }
  );

  it('counts the other problems after the first one', () => {
    // Act and Assert
    expect(() => parseSnapshot('{"AccountId": 1}', 'bad.json')).toThrow(
      /^bad\.json: AccountId: expected a string, got a number \(and \d+ more problems\)$/
    );
  });

  it('says a file that does not exist cannot be read', async () => {
    // Act and Assert
    await expect(loadSnapshotFile(fixture('absent.json'))).rejects.toThrow(
      `${fixture('absent.json')}: cannot read: no such file`
    );
  });

  it('says a directory cannot be read', async () => {
    // Act and Assert
    await expect(loadSnapshotFile('test/fixtures/snapshots')).rejects.toThrow(
      'test/fixtures/snapshots: cannot read: is a directory'
    );
  });

  it('rejects a VPC with two main route tables when the inventory is built', async () => {
    // Arrange
    const [loaded] = await loadSnapshotFile(fixture('two-main-tables.json'));
    if (!loaded) throw new Error('fixture holds one account-region');

    // Act and Assert
    expect(() => buildInventory(loaded.snapshot)).toThrow(
      'VPC vpc-0a1b2c3d4e5f60718 has two main route tables (rtb-0a1b2c3d4e5f60718, rtb-0ffffffffffffffff)'
    );
  });
});
