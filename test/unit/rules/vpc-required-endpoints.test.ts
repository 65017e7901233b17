import { describe, expect, it } from '@jest/globals';
import { readAccountRegion } from '../../../functions/shared/formats/snapshot.js';
import type {
  AccountRegionSnapshot,
  Ec2VpcEndpoint,
} from '../../../functions/shared/formats/snapshot-schema.js';
import { InvalidParameterError } from '../../../rules/model/errors.js';
import {
  endpoint,
  evaluate,
  route,
  routeTable,
  ruleNamed,
  snapshot,
  subnet,
  verdictOf,
  vpc,
} from '../../helpers/factories.js';

const RULE = 'vpc-required-endpoints';
const HUB = '444455556666';

/** Only ssm and ec2 required, unless a case says otherwise. */
const TWO = { requiredServices: 'ssm,ec2' };

/** A private subnet (its main route table sends 0.0.0.0/0 to a NAT). */
const privateVpc = (
  endpoints: readonly Ec2VpcEndpoint[] = [],
  zones?: readonly string[]
): Partial<AccountRegionSnapshot> => ({
  Subnets: [subnet('subnet-a')],
  RouteTables: [
    routeTable('rtb-main', {
      main: true,
      routes: [route.cidr('0.0.0.0/0', { NatGatewayId: 'nat-1' })],
    }),
  ],
  VpcEndpoints: [...endpoints],
  ...(zones === undefined
    ? {}
    : {
        VpcHostedZones: [
          {
            VpcId: 'vpc-1',
            HostedZoneSummaries: zones.map((Name, index) => ({
              HostedZoneId: `Z${index}`,
              Name,
              Owner: { OwningAccount: HUB },
            })),
          },
        ],
      }),
});

describe('vpc-required-endpoints scope', () => {
  it.each([
    {
      name: 'a VPC without subnets',
      parts: { Subnets: [], RouteTables: [] },
    },
    {
      name: 'a VPC whose only subnet routes 0.0.0.0/0 to an internet gateway',
      parts: {
        Subnets: [subnet('subnet-a')],
        RouteTables: [
          routeTable('rtb-main', {
            main: true,
            routes: [route.cidr('0.0.0.0/0', { GatewayId: 'igw-1' })],
          }),
        ],
      },
    },
    {
      name: 'a VPC whose only subnet routes ::/0 to an internet gateway',
      parts: {
        Subnets: [subnet('subnet-a')],
        RouteTables: [
          routeTable('rtb-main', {
            main: true,
            routes: [route.cidr('::/0', { GatewayId: 'igw-1' })],
          }),
        ],
      },
    },
  ])('reports $name NOT_APPLICABLE: no private subnets', ({ parts }) => {
    // Act
    const verdict = verdictOf(RULE, parts, 'vpc-1', TWO);

    // Assert
    expect(verdict).toEqual({
      complianceType: 'NOT_APPLICABLE',
      annotation: 'no private subnets',
    });
  });

  it('evaluates a VPC with one private subnet beside public ones', () => {
    // Arrange
    const parts = {
      Subnets: [subnet('subnet-pub'), subnet('subnet-priv')],
      RouteTables: [
        routeTable('rtb-pub', {
          subnets: ['subnet-pub'],
          routes: [route.cidr('0.0.0.0/0', { GatewayId: 'igw-1' })],
        }),
        routeTable('rtb-main', { main: true }),
      ],
    };

    // Act
    const verdict = verdictOf(RULE, parts, 'vpc-1', TWO);

    // Assert
    expect(verdict.complianceType).not.toBe('NOT_APPLICABLE');
  });

  it('leaves a VPC another account owns (a shared VPC) to its owner', () => {
    // Arrange
    const parts = {
      ...privateVpc(),
      Vpcs: [vpc('vpc-1', ['10.0.0.0/16'], { OwnerId: HUB })],
    };

    // Act
    const evaluations = evaluate(RULE, parts, TWO);
    const notOwned = ruleNamed(RULE)
      .prepare(TWO)
      .notOwned(readAccountRegion(snapshot(parts), 'test'));

    // Assert
    expect(evaluations).toEqual([]);
    expect(notOwned.map((n) => [n.resourceId, n.ownerId])).toEqual([
      ['vpc-1', HUB],
    ]);
  });
});

describe('vpc-required-endpoints verdicts', () => {
  it.each([
    {
      name: 'an available interface endpoint for each service',
      endpoints: [
        endpoint('vpce-1', { service: 'ssm' }),
        endpoint('vpce-2', { service: 'ec2' }),
      ],
      zones: undefined,
      complianceType: 'COMPLIANT',
      annotation: 'private access to ssm and ec2 through endpoints in the VPC',
    },
    {
      name: 'a hub’s private hosted zones for the services, no endpoint',
      endpoints: [],
      zones: ['ssm.us-east-1.amazonaws.com.', 'EC2.us-east-1.amazonaws.com'],
      complianceType: 'COMPLIANT',
      annotation:
        'private access to ssm and ec2 through associated private hosted zones',
    },
    {
      name: 'one endpoint and one hub zone',
      endpoints: [endpoint('vpce-1', { service: 'ssm' })],
      zones: ['ec2.us-east-1.amazonaws.com.'],
      complianceType: 'COMPLIANT',
      annotation:
        'private access to ssm and ec2: ssm through endpoints, ec2 through associated private hosted zones',
    },
    {
      name: 'one service with neither endpoint nor zone',
      endpoints: [endpoint('vpce-1', { service: 'ssm' })],
      zones: [],
      complianceType: 'NON_COMPLIANT',
      annotation:
        'no private access to ec2: no available interface endpoint in the VPC, no associated private hosted zone ec2.us-east-1.amazonaws.com',
    },
    {
      name: 'two services with neither',
      endpoints: [],
      zones: ['sts.us-east-1.amazonaws.com.'],
      complianceType: 'NON_COMPLIANT',
      annotation:
        'no private access to ssm and ec2: no available interface endpoint in the VPC, no associated private hosted zone for their DNS names',
    },
    {
      name: 'an endpoint of the service that is not available',
      endpoints: [
        endpoint('vpce-1', { service: 'ssm', state: 'pendingAcceptance' }),
        endpoint('vpce-2', { service: 'ec2' }),
      ],
      zones: [],
      complianceType: 'NON_COMPLIANT',
      annotation: 'no private access to ssm:',
    },
    {
      name: 'an endpoint of a similar service (ec2messages is not ec2)',
      endpoints: [
        endpoint('vpce-1', { service: 'ssm' }),
        endpoint('vpce-2', { service: 'ec2messages' }),
      ],
      zones: [],
      complianceType: 'NON_COMPLIANT',
      annotation: 'no private access to ec2:',
    },
    {
      name: 'an endpoint of the service in another Region',
      endpoints: [
        endpoint('vpce-1', { service: 'ssm' }),
        endpoint('vpce-2', { service: 'com.amazonaws.eu-west-1.ec2' }),
      ],
      zones: [],
      complianceType: 'NON_COMPLIANT',
      annotation: 'no private access to ec2:',
    },
    {
      name: 'a zone for a parent domain only',
      endpoints: [endpoint('vpce-1', { service: 'ssm' })],
      zones: ['us-east-1.amazonaws.com.'],
      complianceType: 'NON_COMPLIANT',
      annotation: 'no private access to ec2:',
    },
  ])(
    '$name → $complianceType',
    ({ endpoints, zones, complianceType, annotation }) => {
      // Act
      const verdict = verdictOf(
        RULE,
        privateVpc(endpoints, zones),
        'vpc-1',
        TWO
      );

      // Assert
      expect(verdict.complianceType).toBe(complianceType);
      expect(verdict.annotation).toContain(annotation);
    }
  );

  it.each([
    ['ecr.api', 'api.ecr.us-east-1.amazonaws.com.'],
    ['ecr.dkr', 'dkr.ecr.us-east-1.amazonaws.com.'],
    ['ssm-contacts', 'ssm-contacts.us-east-1.amazonaws.com.'],
  ])('accepts the hub zone of %s named %s', (service, zone) => {
    // Act
    const verdict = verdictOf(RULE, privateVpc([], [zone]), 'vpc-1', {
      requiredServices: service,
    });

    // Assert
    expect(verdict.complianceType).toBe('COMPLIANT');
  });

  it.each([
    ['s3', 'Gateway'],
    ['s3', 'Interface'],
    ['dynamodb', 'Gateway'],
  ])('is satisfied for %s by an available %s endpoint', (service, type) => {
    // Arrange
    const endpoints = [endpoint('vpce-1', { service, type })];

    // Act
    const verdict = verdictOf(RULE, privateVpc(endpoints), 'vpc-1', {
      requiredServices: service,
    });

    // Assert
    expect(verdict.complianceType).toBe('COMPLIANT');
  });

  it('is not satisfied for ssm by a gateway endpoint', () => {
    // Arrange
    const endpoints = [endpoint('vpce-1', { service: 'ssm', type: 'Gateway' })];

    // Act
    const verdict = verdictOf(RULE, privateVpc(endpoints, []), 'vpc-1', {
      requiredServices: 'ssm',
    });

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
  });

  it('requires the six services of Security Hub CSPM EC2.10 and EC2.55–EC2.60 by default', () => {
    // Act
    const verdict = verdictOf(RULE, privateVpc([], []), 'vpc-1');

    // Assert
    expect(verdict.annotation).toContain(
      'no private access to ec2, ecr.api, ecr.dkr, ssm, ssm-contacts and ssm-incidents'
    );
  });
});

describe('vpc-required-endpoints cannot evaluate', () => {
  it.each([
    {
      name: 'the hosted zones a verdict needs were not looked up',
      parts: privateVpc([endpoint('vpce-1', { service: 'ssm' })]),
      reason: 'the private hosted zones of vpc-1 are not in the inventory',
    },
    {
      name: 'the zone list is unreadable',
      parts: {
        ...privateVpc([endpoint('vpce-1', { service: 'ssm' })]),
        VpcHostedZones: [
          { VpcId: 'vpc-1', HostedZoneSummaries: 'garbage' as never },
        ],
      },
      reason: 'the private hosted zones of vpc-1: HostedZoneSummaries',
    },
    {
      name: 'an endpoint of the VPC has no readable type',
      parts: privateVpc(
        [
          endpoint('vpce-1', { service: 'ssm' }),
          {
            ...endpoint('vpce-2', { service: 'ec2' }),
            VpcEndpointType: 7 as never,
          },
        ],
        []
      ),
      reason: 'endpoint vpce-2',
    },
    {
      name: 'the only subnet has no visible route table',
      parts: { Subnets: [subnet('subnet-a')], RouteTables: [] },
      reason: 'no route table of subnet subnet-a is visible',
    },
    {
      name: 'the only subnet’s route table has unreadable routes',
      parts: {
        Subnets: [subnet('subnet-a')],
        RouteTables: [
          { ...routeTable('rtb-main', { main: true }), Routes: 'x' as never },
        ],
      },
      reason: 'route table rtb-main: Routes',
    },
  ])('says cannot evaluate when $name', ({ parts, reason }) => {
    // Act
    const verdict = verdictOf(RULE, parts, 'vpc-1', TWO);

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
    expect(verdict.annotation).toMatch(/^cannot evaluate: /);
    expect(verdict.annotation).toContain(reason);
  });

  it('needs no hosted zones when every service has an endpoint', () => {
    // Arrange: no VpcHostedZones at all.
    const parts = privateVpc([
      endpoint('vpce-1', { service: 'ssm' }),
      endpoint('vpce-2', { service: 'ec2' }),
    ]);

    // Act
    const verdict = verdictOf(RULE, parts, 'vpc-1', TWO);

    // Assert
    expect(verdict.complianceType).toBe('COMPLIANT');
  });
});

describe('vpc-required-endpoints hosted-zone lookups', () => {
  const askedFor = (parts: Partial<AccountRegionSnapshot>): string[] =>
    ruleNamed(RULE)
      .prepare(TWO)
      .hostedZoneVpcs(readAccountRegion(snapshot(parts), 'test'));

  it.each([
    {
      name: 'a VPC with private subnets missing an endpoint',
      parts: privateVpc([endpoint('vpce-1', { service: 'ssm' })]),
      asked: ['vpc-1'],
    },
    {
      name: 'a VPC whose every required service has an endpoint',
      parts: privateVpc([
        endpoint('vpce-1', { service: 'ssm' }),
        endpoint('vpce-2', { service: 'ec2' }),
      ]),
      asked: [],
    },
    {
      name: 'a VPC without private subnets',
      parts: { Subnets: [], RouteTables: [] },
      asked: [],
    },
    {
      name: 'a shared VPC another account owns',
      parts: {
        ...privateVpc(),
        Vpcs: [vpc('vpc-1', ['10.0.0.0/16'], { OwnerId: HUB })],
      },
      asked: [],
    },
    {
      name: 'a VPC exempt by tag',
      parts: {
        ...privateVpc(),
        Vpcs: [
          vpc('vpc-1', ['10.0.0.0/16'], {
            Tags: [{ Key: 'vpce-guard:exempt', Value: RULE }],
          }),
        ],
      },
      asked: [],
    },
    {
      name: 'a VPC with an unreadable endpoint (cannot evaluate before the zones)',
      parts: privateVpc([
        endpoint('vpce-1', { service: 'ssm' }),
        {
          ...endpoint('vpce-2', { service: 'ec2' }),
          VpcEndpointType: 7 as never,
        },
      ]),
      asked: [],
    },
    {
      name: 'a VPC of a Region whose DNS suffix the SDK does not know',
      parts: { ...privateVpc(), Region: 'xx-newplace-9', Partition: 'aws-xx' },
      asked: [],
    },
  ])('asks about $name: $asked', ({ parts, asked }) => {
    // Act and Assert
    expect(askedFor(parts)).toEqual(asked);
  });
});

describe('vpc-required-endpoints parameters', () => {
  it.each([
    ['SSM, EC2', ['ssm', 'ec2']],
    ['ecr.api', ['ecr.api']],
    [
      ['ssm-incidents', 'ecr.dkr'],
      ['ssm-incidents', 'ecr.dkr'],
    ],
  ])('reads requiredServices %j', (raw, expected) => {
    // Act
    const prepared = ruleNamed(RULE).prepare({ requiredServices: raw });

    // Assert
    expect(prepared.parameters.requiredServices).toEqual(expected);
  });

  it.each([
    [','],
    ['ssm ec2'],
    ['com.amazonaws.us-east-1.ssm'],
    ['ssm,com.amazonaws.us-east-1.ec2'],
    ['eu.amazonaws.eusc-de-east-1.ecr.api'],
    ['com.amazonaws.s3-global.accesspoint'],
    ['ssm.us-east-1'],
  ])('rejects requiredServices %j', (raw) => {
    // Act and Assert
    expect(() => ruleNamed(RULE).prepare({ requiredServices: raw })).toThrow(
      InvalidParameterError
    );
  });
});
