import { EC2Client } from '@aws-sdk/client-ec2';
import {
  ListHostedZonesByVPCCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { loadAccountRegion } from '../../../functions/shared/aws/account-inventory.js';
import { loadVpcHostedZones } from '../../../functions/shared/aws/vpc-hosted-zones.js';
import { AccessDeniedError } from '../../../functions/shared/errors.js';
import type { Inventory } from '../../../rules/model/inventory.js';
import { serveSnapshot } from '../../helpers/ec2-mock.js';
import {
  ACCOUNT,
  REGION,
  snapshot,
  subnet,
  vpc,
} from '../../helpers/factories.js';
import { zoneReaderRule } from '../../helpers/zone-reader-rule.js';

const route53 = mockClient(Route53Client);
const ec2 = mockClient(EC2Client);

const zone = (name: string, owner = ACCOUNT) => ({
  HostedZoneId: `Z${name.length}`,
  Name: name,
  Owner: { OwningAccount: owner },
});

const zoneReadingRule = (wanted: (inventory: Inventory) => string[]) =>
  zoneReaderRule(wanted);

const clients = () => ({
  ec2: new EC2Client({ region: REGION }),
  route53: new Route53Client({ region: REGION }),
  principal: 'test-role',
});

const twoVpcs = () =>
  snapshot({
    Vpcs: [vpc('vpc-1'), vpc('vpc-2', ['10.1.0.0/16'])],
    Subnets: [subnet('subnet-a'), subnet('subnet-b', { vpcId: 'vpc-2' })],
  });

describe('loadVpcHostedZones', () => {
  beforeEach(() => {
    route53.reset();
  });

  it('asks once per VPC and concatenates the pages of each', async () => {
    // Arrange
    route53
      .on(ListHostedZonesByVPCCommand, { VPCId: 'vpc-1' })
      .resolvesOnce({
        HostedZoneSummaries: [zone('ssm.us-east-1.amazonaws.com.')],
        NextToken: 'page-2',
        MaxItems: 100,
      })
      .resolvesOnce({
        HostedZoneSummaries: [zone('ec2.us-east-1.amazonaws.com.')],
        MaxItems: 100,
      });
    route53
      .on(ListHostedZonesByVPCCommand, { VPCId: 'vpc-2' })
      .resolves({ HostedZoneSummaries: [], MaxItems: 100 });

    // Act
    const zones = await loadVpcHostedZones(
      new Route53Client({ region: REGION }),
      REGION,
      ['vpc-1', 'vpc-2'],
      'test-role'
    );

    // Assert
    expect(zones).toEqual([
      {
        VpcId: 'vpc-1',
        HostedZoneSummaries: [
          zone('ssm.us-east-1.amazonaws.com.'),
          zone('ec2.us-east-1.amazonaws.com.'),
        ],
      },
      { VpcId: 'vpc-2', HostedZoneSummaries: [] },
    ]);
    const calls = route53.commandCalls(ListHostedZonesByVPCCommand);
    expect(
      calls.map((c) => [c.args[0].input.VPCId, c.args[0].input.NextToken])
    ).toEqual([
      ['vpc-1', undefined],
      ['vpc-2', undefined],
      ['vpc-1', 'page-2'],
    ]);
    expect(calls.every((c) => c.args[0].input.MaxItems === 100)).toBe(true);
    expect(calls.every((c) => c.args[0].input.VPCRegion === REGION)).toBe(true);
  });

  it('names the action and the principal when Route 53 refuses', async () => {
    // Arrange
    route53.on(ListHostedZonesByVPCCommand).rejects(
      Object.assign(new Error('not authorized'), {
        name: 'AccessDenied',
        $metadata: {},
      })
    );

    // Act
    const load = loadVpcHostedZones(
      new Route53Client({ region: REGION }),
      REGION,
      ['vpc-1'],
      'test-role'
    );

    // Assert
    await expect(load).rejects.toThrow(AccessDeniedError);
    await expect(load).rejects.toThrow('route53:ListHostedZonesByVPC');
    await expect(load).rejects.toThrow('test-role');
  });
});

describe('loadAccountRegion', () => {
  beforeEach(() => {
    route53.reset();
    ec2.reset();
    serveSnapshot(ec2, twoVpcs());
    route53.on(ListHostedZonesByVPCCommand).resolves({
      HostedZoneSummaries: [
        zone('SSM.us-east-1.amazonaws.com.', '444455556666'),
      ],
      MaxItems: 100,
    });
  });

  it('asks Route 53 nothing when no rule reads hosted zones', async () => {
    // Arrange
    const ec2Only = zoneReaderRule(() => ['vpc-1'], ['ec2']);

    // Act
    const loaded = await loadAccountRegion(
      clients(),
      { accountId: ACCOUNT, region: REGION, partition: 'aws' },
      [ec2Only],
      'test'
    );

    // Assert
    expect(route53.commandCalls(ListHostedZonesByVPCCommand)).toHaveLength(0);
    expect(loaded.snapshot.VpcHostedZones).toBeUndefined();
    expect(loaded.inventory.hostedZones.size).toBe(0);
  });

  it('looks up exactly the VPCs the rules ask about, once each', async () => {
    // Arrange
    const first = zoneReadingRule(() => ['vpc-2']);
    const second = zoneReadingRule(() => ['vpc-2']);

    // Act
    const loaded = await loadAccountRegion(
      clients(),
      { accountId: ACCOUNT, region: REGION, partition: 'aws' },
      [first, second],
      'test'
    );

    // Assert
    const asked = route53
      .commandCalls(ListHostedZonesByVPCCommand)
      .map((call) => call.args[0].input.VPCId);
    expect(asked).toEqual(['vpc-2']);
    expect(loaded.inventory.hostedZones.get('vpc-2')?.zones).toEqual([
      {
        id: 'Z28',
        name: 'ssm.us-east-1.amazonaws.com',
        ownerAccount: '444455556666',
      },
    ]);
    expect(loaded.inventory.hostedZones.has('vpc-1')).toBe(false);
    expect(loaded.snapshot.VpcHostedZones).toHaveLength(1);
  });

  it('makes no Route 53 call when the rules need no VPC looked up', async () => {
    // Act
    await loadAccountRegion(
      clients(),
      { accountId: ACCOUNT, region: REGION, partition: 'aws' },
      [zoneReadingRule(() => [])],
      'test'
    );

    // Assert
    expect(route53.commandCalls(ListHostedZonesByVPCCommand)).toHaveLength(0);
  });
});
