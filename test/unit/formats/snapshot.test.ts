import { describe, expect, it } from '@jest/globals';
import {
  type AccountRegionLoad,
  decodePolicyDocument,
  loadSnapshotFile,
  parseSnapshot,
  readAccountRegion,
} from '../../../functions/shared/formats/snapshot.js';
import type { Inventory } from '../../../rules/model/inventory.js';
import { snapshot, subnet, vpc } from '../../helpers/factories.js';

const fixture = (name: string) => `test/fixtures/snapshots/${name}`;

/** The inventory of a load that must have succeeded. */
const inventoryOf = (load: AccountRegionLoad | undefined): Inventory => {
  if (!load?.ok) throw new Error(`not loaded: ${JSON.stringify(load)}`);
  return load.inventory;
};

describe('loadSnapshotFile', () => {
  it('loads one account-region object in the shapes aws ec2 describe-* prints', async () => {
    // Act
    const loaded = await loadSnapshotFile(fixture('minimal.json'));

    // Assert
    expect(loaded).toHaveLength(1);
    expect(loaded[0]?.source).toBe(fixture('minimal.json'));
    const inventory = inventoryOf(loaded[0]);
    expect(inventory.accountId).toBe('111122223333');
    expect([...inventory.subnets.values()][0]?.availabilityZoneId).toBe(
      'use1-az1'
    );
  });

  it('loads an array of account-regions, naming each by its index', async () => {
    // Act
    const loaded = await loadSnapshotFile(fixture('two-regions.json'));

    // Assert
    expect(loaded.map((l) => [l.source, inventoryOf(l).region])).toEqual([
      [`${fixture('two-regions.json')}[0]`, 'us-east-1'],
      [`${fixture('two-regions.json')}[1]`, 'eu-west-1'],
    ]);
  });

  it('loads the other account-regions of an array when one is not a snapshot', async () => {
    // Act
    const loaded = await loadSnapshotFile(fixture('array-second-invalid.json'));

    // Assert
    expect(loaded.map((l) => l.ok)).toEqual([true, false]);
    expect(loaded[1]).toEqual({
      ok: false,
      source: `${fixture('array-second-invalid.json')}[1]`,
      accountId: '111122223333',
      message: `${fixture('array-second-invalid.json')}[1]: Region: missing (expected a string)`,
    });
  });

  it.each([
    [
      'missing-security-groups.json',
      'missing-security-groups.json: SecurityGroups: missing (expected an array)',
    ],
    [
      'bad-account.json',
      'bad-account.json: AccountId: expected a 12-digit account id, got "1111-2222-3333"',
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
    'fails %s as a whole, naming the file, the key and what was expected',
    async (name, message) => {
      // Act
      const [load, ...rest] = await loadSnapshotFile(fixture(name));

      // Assert
      expect(rest).toEqual([]);
      expect(load).toMatchObject({
        ok: false,
        message: `${fixture('')}${message}`,
      });
    }
  );

  it.each([
    ['not-json.json', 'line 4'],
    ['truncated.json', 'line 10'],
  ])('fails %s as not JSON, with the line of the error', async (name, line) => {
    // Act
    const file = `test/fixtures/bad-input/${name}`;
    const [load] = await loadSnapshotFile(file);

    // Assert
    expect(load?.ok).toBe(false);
    expect(load?.ok === false && load.message).toMatch(
      new RegExp(`^${file}: not valid JSON: .*${line}`)
    );
  });

  it.each([
    ['absent.json', 'cannot read: no such file'],
    ['', 'cannot read: is a directory'],
  ])('says %s cannot be read', async (name, reason) => {
    // Act
    const [load] = await loadSnapshotFile(
      name === '' ? 'test/fixtures/snapshots' : fixture(name)
    );

    // Assert
    expect(load?.ok === false && load.message).toMatch(
      new RegExp(`: ${reason}$`)
    );
  });

  it('counts the other top-level problems after the first one', () => {
    // Act
    const [load] = parseSnapshot('{"AccountId": 1}', 'bad.json');

    // Assert
    expect(load?.ok === false && load.message).toMatch(
      /^bad\.json: AccountId: expected a string, got a number \(and \d+ more problems\)$/
    );
  });
});

describe('readAccountRegion', () => {
  it.each([
    ['missing-az-id.json', 'AvailabilityZoneId', undefined],
    [
      'dns-value-string.json',
      'EnableDnsSupport',
      'EnableDnsSupport.Value: expected true or false, got the string "true"',
    ],
    [
      'bad-cidr.json',
      'CidrBlock',
      'CidrBlock: expected a CIDR block such as 10.0.0.0/16, got "10.0.0/16"',
    ],
    [
      'route-without-destination.json',
      'Routes',
      'Routes[1]: expected one of DestinationCidrBlock, DestinationIpv6CidrBlock, DestinationPrefixListId',
    ],
  ])(
    'loads %s, leaving only the malformed field unreadable',
    async (name, field, problem) => {
      // Act
      const inventory = inventoryOf((await loadSnapshotFile(fixture(name)))[0]);

      // Assert
      const resources = [
        ...inventory.vpcs.values(),
        ...inventory.vpcDns.values(),
        ...inventory.subnets.values(),
        ...inventory.routeTables.values(),
      ];
      const unreadable = resources.flatMap((r) =>
        r.unreadable.has(field) ? [r.unreadable.get(field)] : []
      );
      expect(unreadable).toEqual(problem === undefined ? [] : [problem]);
    }
  );

  it('keeps fields it does not read, so newer AWS CLI output still loads', () => {
    // Arrange
    const value = snapshot({
      Vpcs: [{ ...vpc('vpc-1'), SomeFutureField: { x: 1 } }],
    });

    // Act
    const inventory = readAccountRegion(value, 'future.json');

    // Assert
    expect(inventory.vpcs.get('vpc-1')?.unreadable.size).toBe(0);
    expect(inventory.problems).toEqual([]);
  });

  it('skips an item without its id, and one that is not an object, as problems', () => {
    // Arrange
    const value = snapshot({
      Subnets: [subnet('subnet-1'), { VpcId: 'vpc-1' }, 'subnet-3' as never],
    });

    // Act
    const inventory = readAccountRegion(value, 'snap.json');

    // Assert
    expect([...inventory.subnets.keys()]).toEqual(['subnet-1']);
    expect(inventory.problems).toEqual([
      {
        message: 'Subnets[1].SubnetId: missing (expected a string); skipped',
      },
      {
        message:
          'Subnets[2]: expected an object, got the string "subnet-3"; skipped',
      },
    ]);
  });

  it('marks an id given twice as ambiguous and skips the second item', () => {
    // Arrange
    const value = snapshot({
      Subnets: [subnet('subnet-1'), subnet('subnet-1', { az: 'az2' })],
    });

    // Act
    const inventory = readAccountRegion(value, 'snap.json');

    // Assert
    expect(inventory.subnets.get('subnet-1')?.unreadable.get('*')).toBe(
      'SubnetId subnet-1 appears twice (Subnets[0], Subnets[1]), so which one is meant is unknown'
    );
    expect(inventory.problems).toEqual([
      {
        resourceId: 'subnet-1',
        message:
          'Subnets[1].SubnetId: duplicate id "subnet-1" (first at Subnets[0]); skipped',
      },
    ]);
  });

  it('records why a subnet of a VPC with two main route tables has no route table', async () => {
    // Act
    const inventory = inventoryOf(
      (await loadSnapshotFile(fixture('two-main-tables.json')))[0]
    );

    // Assert
    expect([...inventory.routeTableProblems.values()]).toEqual([
      'VPC vpc-0a1b2c3d4e5f60718 has two main route tables (rtb-0a1b2c3d4e5f60718, rtb-0ffffffffffffffff)',
    ]);
  });

  it.each([
    ['eusc-de-east-1', 'aws-eusc', ['eu.amazonaws', 'com.amazonaws']],
    ['cn-north-1', 'aws-cn', ['cn.com.amazonaws', 'com.amazonaws']],
    ['us-isob-east-1', 'aws-iso-b', ['gov.sgov.sc2s', 'com.amazonaws']],
    ['us-gov-west-1', 'aws-us-gov', ['com.amazonaws']],
  ])(
    'takes the partition of %s and its service-name prefixes from the SDK partition table',
    (region, partition, prefixes) => {
      // Act
      const inventory = readAccountRegion(
        { ...snapshot(), Region: region, Partition: undefined },
        'snap.json'
      );

      // Assert
      expect(inventory.partition).toBe(partition);
      expect(inventory.servicePrefixes).toEqual(prefixes);
    }
  );

  it('accepts a well-formed Region the SDK does not know, in the partition the snapshot names', () => {
    // Act
    const inventory = readAccountRegion(
      { ...snapshot(), Region: 'eusc-fr-south-7', Partition: 'aws-eusc' },
      'snap.json'
    );

    // Assert
    expect([inventory.region, inventory.partition]).toEqual([
      'eusc-fr-south-7',
      'aws-eusc',
    ]);
  });

  it.each([
    [
      'us-east-1',
      'aws-cn',
      "snap.json: Partition: partition aws-cn does not hold Region us-east-1: the AWS SDK's partition table puts it in aws",
    ],
    [
      'US-EAST-1',
      undefined,
      'snap.json: Region: expected a Region id such as us-east-1, got "US-EAST-1"',
    ],
  ])('refuses Region %s with partition %s', (region, partition, message) => {
    // Act and Assert
    expect(() =>
      readAccountRegion(
        { ...snapshot(), Region: region, Partition: partition },
        'snap.json'
      )
    ).toThrow(message);
  });
});

describe('readAccountRegion VpcHostedZones', () => {
  it('reads each VPC’s private hosted zones, names in lower case without the trailing dot', () => {
    // Arrange
    const value = {
      ...snapshot(),
      VpcHostedZones: [
        {
          VpcId: 'vpc-1',
          HostedZoneSummaries: [
            {
              HostedZoneId: 'Z1',
              Name: 'API.ECR.us-east-1.amazonaws.com.',
              Owner: { OwningAccount: '444455556666' },
            },
          ],
        },
        { VpcId: 'vpc-2', HostedZoneSummaries: [] },
      ],
    };

    // Act
    const inventory = readAccountRegion(value, 'snap.json');

    // Assert
    expect(inventory.hostedZones.get('vpc-1')?.zones).toEqual([
      {
        id: 'Z1',
        name: 'api.ecr.us-east-1.amazonaws.com',
        ownerAccount: '444455556666',
      },
    ]);
    expect(inventory.hostedZones.get('vpc-2')?.zones).toEqual([]);
  });

  it('loads a snapshot without the key (no VPC looked up)', () => {
    // Act
    const inventory = readAccountRegion(snapshot(), 'snap.json');

    // Assert
    expect(inventory.hostedZones.size).toBe(0);
  });

  it('marks one VPC’s malformed zone list unreadable and keeps the others', () => {
    // Arrange
    const value = {
      ...snapshot(),
      VpcHostedZones: [
        { VpcId: 'vpc-1', HostedZoneSummaries: [{ Name: 42 }] },
        { VpcId: 'vpc-2', HostedZoneSummaries: [] },
      ],
    };

    // Act
    const inventory = readAccountRegion(value, 'snap.json');

    // Assert
    const broken = inventory.hostedZones.get('vpc-1');
    expect(broken?.zones).toBeUndefined();
    expect(broken?.unreadable.get('HostedZoneSummaries')).toMatch(
      /^HostedZoneSummaries\[0\]\.HostedZoneId: missing/
    );
    expect(inventory.hostedZones.get('vpc-2')?.zones).toEqual([]);
  });
});

describe('decodePolicyDocument', () => {
  const policy = { Statement: [{ Effect: 'Allow', Principal: '*' }] };

  it.each([
    ['JSON text', JSON.stringify(policy)],
    ['URL-encoded JSON text', encodeURIComponent(JSON.stringify(policy))],
    ['an object', policy],
  ])('reads %s', (_name, raw) => {
    // Act and Assert
    expect(decodePolicyDocument(raw)).toEqual({ value: policy });
  });

  it.each([
    ['text that is not JSON', 'not a policy'],
    ['URL-encoded text that is not JSON', '%7Bnot'],
    ['a number', 42],
    ['an array', [policy]],
  ])('refuses %s', (_name, raw) => {
    // Act and Assert
    expect(decodePolicyDocument(raw)).toBeUndefined();
  });

  it('reads no document as the default policy', () => {
    // Act and Assert
    expect(decodePolicyDocument(undefined)).toEqual({ value: undefined });
  });
});
