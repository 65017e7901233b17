import { describe, expect, it } from '@jest/globals';
import type {
  AccountRegionSnapshot,
  Ec2PrefixList,
  Ec2Route,
  Ec2RouteTable,
  Ec2VpcEndpoint,
} from '../../../functions/shared/formats/snapshot-schema.js';
import { InvalidParameterError } from '../../../rules/model/errors.js';
import {
  DYNAMODB_PREFIX_LIST,
  endpoint,
  evaluate,
  route,
  routeTable,
  ruleNamed,
  S3_PREFIX_LIST,
  subnet,
  verdictOf,
  vpc,
  vpcDns,
} from '../../helpers/factories.js';

const RULE = 'private-subnet-gateway-endpoints';
const S3_PL = S3_PREFIX_LIST.PrefixListId;
const DDB_PL = DYNAMODB_PREFIX_LIST.PrefixListId;
const S3_ONLY = { services: 's3' };

type Parts = Partial<AccountRegionSnapshot>;

const NAT = { NatGatewayId: 'nat-1' };
const IGW = { GatewayId: 'igw-1' };

/** A gateway endpoint `id` of `service` (a label or full name) in `vpc-1`. */
const gateway = (
  id: string,
  service: string,
  options: { vpcId?: string; state?: string } = {}
): Ec2VpcEndpoint =>
  endpoint(id, {
    type: 'Gateway',
    service,
    routeTables: ['rtb-1'],
    ...options,
  });

/** A route to a prefix list with a target other than a gateway. */
const prefixListTo = (
  prefixListId: string,
  target: Partial<Ec2Route>
): Ec2Route => ({
  DestinationPrefixListId: prefixListId,
  ...target,
  Origin: 'CreateRoute',
  State: 'active',
});

const S3_GATEWAY = gateway('vpce-s3', 's3');
const DDB_GATEWAY = gateway('vpce-ddb', 'dynamodb');
const S3_ROUTE = route.prefixList(S3_PL, 'vpce-s3');
const DDB_ROUTE = route.prefixList(DDB_PL, 'vpce-ddb');

/**
 * `subnet-1` in `vpc-1`, implicitly on the main table `rtb-1` with `routes`
 * (after the local route), and the given endpoints.
 */
const onMainTable = (
  routes: readonly Ec2Route[],
  endpoints: readonly Ec2VpcEndpoint[] = [],
  extra: Parts = {}
): Parts => ({
  Subnets: [subnet('subnet-1')],
  RouteTables: [routeTable('rtb-1', { main: true, routes })],
  VpcEndpoints: [...endpoints],
  ...extra,
});

/** Verdict for `subnet-1`. */
const judge = (parts: Parts, parameters: Record<string, unknown> = S3_ONLY) =>
  verdictOf(RULE, parts, 'subnet-1', parameters);

/**
 * A named case for `judge`: the inventory, the parameters (S3 only when
 * absent) and the whole verdict expected for `subnet-1`, whose annotation is
 * either exact or a matcher for the part that matters.
 */
interface Case {
  name: string;
  parts: Parts;
  parameters?: Record<string, unknown>;
  expected: {
    complianceType: string;
    annotation: string | ReturnType<typeof expect.stringContaining>;
  };
}

/** The test of a `Case`: the verdict for its parts is the expected one. */
const judgesCase = ({ parts, parameters, expected }: Case) => {
  // Act
  const verdict = judge(parts, parameters);

  // Assert
  expect(verdict).toEqual(expected);
};

describe('private-subnet-gateway-endpoints effective route table', () => {
  /** `rtb-old` with the gateway route, disassociated from `subnet-1`. */
  const stale: Ec2RouteTable = {
    ...routeTable('rtb-old', { routes: [S3_ROUTE] }),
    Associations: [
      {
        Main: false,
        SubnetId: 'subnet-1',
        RouteTableAssociationId: 'rtbassoc-old',
        AssociationState: { State: 'disassociated' },
      },
    ],
  };

  it.each<Case>([
    {
      name: 'uses the explicitly associated table rather than the main table',
      // The main table would send S3 through NAT.
      parts: {
        Subnets: [subnet('subnet-1')],
        RouteTables: [
          routeTable('rtb-main', {
            main: true,
            routes: [route.cidr('0.0.0.0/0', NAT)],
          }),
          routeTable('rtb-1', { subnets: ['subnet-1'], routes: [S3_ROUTE] }),
        ],
        VpcEndpoints: [S3_GATEWAY],
      },
      expected: { complianceType: 'COMPLIANT', annotation: 's3 via vpce-s3' },
    },
    {
      name: 'reports a subnet whose explicitly associated table sends S3 through NAT',
      // The main table has the gateway route, the subnet's own does not.
      parts: {
        Subnets: [subnet('subnet-1')],
        RouteTables: [
          routeTable('rtb-main', { main: true, routes: [S3_ROUTE] }),
          routeTable('rtb-1', {
            subnets: ['subnet-1'],
            routes: [route.cidr('0.0.0.0/0', NAT)],
          }),
        ],
        VpcEndpoints: [S3_GATEWAY],
      },
      expected: {
        complianceType: 'NON_COMPLIANT',
        annotation: expect.stringContaining('(route 0.0.0.0/0 in rtb-1)'),
      },
    },
    {
      name: 'evaluates a subnet explicitly associated with the main table',
      parts: {
        Subnets: [subnet('subnet-1')],
        RouteTables: [
          routeTable('rtb-other', { routes: [route.cidr('0.0.0.0/0', IGW)] }),
          routeTable('rtb-1', {
            main: true,
            subnets: ['subnet-1'],
            routes: [route.cidr('0.0.0.0/0', NAT), S3_ROUTE],
          }),
        ],
        VpcEndpoints: [S3_GATEWAY],
      },
      expected: { complianceType: 'COMPLIANT', annotation: 's3 via vpce-s3' },
    },
    {
      name: 'ignores an explicit association that is disassociated',
      // The stale association points at a table with the gateway route.
      parts: {
        Subnets: [subnet('subnet-1')],
        RouteTables: [
          stale,
          routeTable('rtb-1', {
            main: true,
            routes: [route.cidr('0.0.0.0/0', NAT)],
          }),
        ],
        VpcEndpoints: [S3_GATEWAY],
      },
      expected: {
        complianceType: 'NON_COMPLIANT',
        annotation: expect.stringContaining('in rtb-1'),
      },
    },
  ])('$name', judgesCase);

  /** Two VPCs: vpc-2's main table is public, vpc-1's sends S3 through NAT. */
  const twoVpcs = (order: 'vpc-2 first' | 'vpc-1 first'): Parts => {
    const publicMain = routeTable('rtb-2', {
      vpcId: 'vpc-2',
      main: true,
      routes: [route.cidr('0.0.0.0/0', { GatewayId: 'igw-2' })],
    });
    const privateMain = routeTable('rtb-1', {
      main: true,
      routes: [route.cidr('0.0.0.0/0', NAT)],
    });
    return {
      Vpcs: [vpc('vpc-1'), vpc('vpc-2', ['10.1.0.0/16'])],
      VpcAttributes: [vpcDns('vpc-1'), vpcDns('vpc-2')],
      Subnets: [subnet('subnet-1'), subnet('subnet-2', { vpcId: 'vpc-2' })],
      RouteTables:
        order === 'vpc-2 first'
          ? [publicMain, privateMain]
          : [privateMain, publicMain],
    };
  };

  it.each(['vpc-2 first', 'vpc-1 first'] as const)(
    'falls back to the main table of the subnet own VPC, not another VPC (%s)',
    (order) => {
      // Arrange
      const parts = twoVpcs(order);

      // Act
      const evaluations = evaluate(RULE, parts, S3_ONLY);

      // Assert
      expect(
        evaluations.map((e) => [e.resourceId, e.complianceType, e.annotation])
      ).toEqual([
        [
          'subnet-1',
          'NON_COMPLIANT',
          's3 leaves via NAT gateway nat-1 (route 0.0.0.0/0 in rtb-1)',
        ],
        [
          'subnet-2',
          'NOT_APPLICABLE',
          'public subnet: 0.0.0.0/0 → igw-2 in rtb-2',
        ],
      ]);
    }
  );

  it('cannot evaluate a subnet whose VPC has no main table in the inventory', () => {
    // Arrange: rtb-1 is the main table of vpc-1, subnet-2 is in vpc-2.
    const parts: Parts = {
      Vpcs: [vpc('vpc-1'), vpc('vpc-2', ['10.1.0.0/16'])],
      VpcAttributes: [vpcDns('vpc-1'), vpcDns('vpc-2')],
      Subnets: [subnet('subnet-2', { vpcId: 'vpc-2' })],
      RouteTables: [routeTable('rtb-1', { main: true, routes: [S3_ROUTE] })],
      VpcEndpoints: [S3_GATEWAY],
    };

    // Act
    const [evaluation] = evaluate(RULE, parts, S3_ONLY);

    // Assert: a shared-VPC participant sees no owner's table either
    expect(evaluation).toMatchObject({
      resourceId: 'subnet-2',
      complianceType: 'NON_COMPLIANT',
      annotation:
        'cannot evaluate: no route table of subnet subnet-2 is visible: neither an explicit association nor the main route table of vpc-2 is in the inventory',
    });
  });
});

describe('private-subnet-gateway-endpoints public subnets', () => {
  it.each([
    ['0.0.0.0/0 → igw-1', [route.cidr('0.0.0.0/0', IGW)]],
    ['::/0 → igw-1', [route.cidr('0.0.0.0/0', NAT), route.cidr('::/0', IGW)]],
  ])(
    'reports a subnet with an active default route %s as NOT_APPLICABLE',
    (text, routes) => {
      // Arrange: S3 would otherwise leave without an endpoint.
      const parts = onMainTable(routes);

      // Act
      const verdict = judge(parts);

      // Assert
      expect(verdict).toEqual({
        complianceType: 'NOT_APPLICABLE',
        annotation: `public subnet: ${text} in rtb-1`,
      });
    }
  );

  it.each(['blackhole', 'filtered'])(
    'evaluates a subnet whose internet gateway default route is %s',
    (state) => {
      // Arrange
      const parts = onMainTable(
        [route.cidr('0.0.0.0/0', IGW, { State: state }), S3_ROUTE],
        [S3_GATEWAY]
      );

      // Act
      const verdict = judge(parts);

      // Assert
      expect(verdict).toEqual({
        complianceType: 'COMPLIANT',
        annotation: 's3 via vpce-s3',
      });
    }
  );

  it('reports S3 traffic sent to an internet gateway by a non-default route', () => {
    // Arrange: two /1 halves are not a default route, so the subnet is private.
    const parts = onMainTable([
      route.cidr('0.0.0.0/1', IGW),
      route.cidr('128.0.0.0/1', IGW),
    ]);

    // Act
    const verdict = judge(parts);

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
    expect(verdict.annotation).toEqual(
      expect.stringContaining('internet gateway igw-1')
    );
  });
});

/** An S3 prefix list with an IPv6 block, for egress-only IGW routes. */
const DUAL_STACK_S3: Ec2PrefixList = {
  PrefixListId: 'pl-0dual',
  PrefixListName: 'com.amazonaws.us-east-1.s3',
  Cidrs: ['2600:1fa0:8000::/39'],
};

const GWLB_ENDPOINT = endpoint('vpce-fw', {
  type: 'GatewayLoadBalancer',
  service: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
  subnets: ['subnet-fw'],
  privateDns: false,
});

describe('private-subnet-gateway-endpoints private default routes', () => {
  it.each([
    ['NAT gateway', NAT, 'NAT gateway nat-1'],
    ['transit gateway', { TransitGatewayId: 'tgw-1' }, 'transit gateway tgw-1'],
    [
      'virtual private gateway',
      { GatewayId: 'vgw-1' },
      'virtual private gateway vgw-1',
    ],
    [
      'Gateway Load Balancer endpoint',
      { GatewayId: 'vpce-fw' },
      'Gateway Load Balancer endpoint vpce-fw',
    ],
    [
      'network interface',
      { NetworkInterfaceId: 'eni-1' },
      'network interface eni-1',
    ],
    [
      'instance',
      {
        InstanceId: 'i-1',
        InstanceOwnerId: '111122223333',
        NetworkInterfaceId: 'eni-1',
      },
      'instance i-1',
    ],
    [
      'peering connection',
      { VpcPeeringConnectionId: 'pcx-1' },
      'peering connection pcx-1',
    ],
  ])(
    'reports a private subnet whose S3 traffic leaves through a %s default route',
    (_name, target, named) => {
      // Arrange
      const defaultRoute = route.cidr('0.0.0.0/0', target);
      const parts = onMainTable([defaultRoute], [S3_GATEWAY, GWLB_ENDPOINT]);

      // Act
      const verdict = judge(parts);

      // Assert
      expect(verdict.complianceType).toBe('NON_COMPLIANT');
      expect(verdict.annotation).toEqual(
        expect.stringMatching(
          new RegExp(
            `^s3 leaves via ${named} \\(route 0\\.0\\.0\\.0/0 in rtb-1\\)$`
          )
        )
      );
    }
  );

  it.each<Case>([
    {
      name: 'treats an egress-only internet gateway default route as private',
      // The IPv4-only S3 list carries nothing over ::/0.
      parts: onMainTable([
        route.cidr('::/0', { EgressOnlyInternetGatewayId: 'eigw-1' }),
      ]),
      expected: { complianceType: 'COMPLIANT', annotation: 'no route to s3' },
    },
    {
      name: 'reports IPv6 S3 traffic that leaves through an egress-only internet gateway',
      parts: onMainTable(
        [route.cidr('::/0', { EgressOnlyInternetGatewayId: 'eigw-1' })],
        [],
        { PrefixLists: [DUAL_STACK_S3] }
      ),
      expected: {
        complianceType: 'NON_COMPLIANT',
        annotation: expect.stringContaining(
          's3 leaves via egress-only internet gateway eigw-1 (route ::/0 in rtb-1)'
        ),
      },
    },
  ])('$name', judgesCase);
});

describe('private-subnet-gateway-endpoints gateway endpoints', () => {
  it.each(['available', 'Available', 'AVAILABLE'])(
    'accepts S3 traffic through a gateway endpoint in state %s',
    (state) => {
      // Arrange
      const parts = onMainTable(
        [route.cidr('0.0.0.0/0', NAT), S3_ROUTE],
        [gateway('vpce-s3', 's3', { state })]
      );

      // Act
      const verdict = judge(parts);

      // Assert
      expect(verdict).toEqual({
        complianceType: 'COMPLIANT',
        annotation: 's3 via vpce-s3',
      });
    }
  );

  /** A customer-managed prefix list holding S3 blocks. */
  const corporate: Ec2PrefixList = {
    PrefixListId: 'pl-0corp',
    PrefixListName: 'corp-egress',
    Cidrs: ['52.216.0.0/16', '54.231.0.0/24'],
  };
  /** The S3 list under another id. */
  const renamed: Ec2PrefixList = { ...S3_PREFIX_LIST, PrefixListId: 'pl-0s3' };
  /** Someone else's list with the id pl-63a5400a. */
  const impostor: Ec2PrefixList = {
    ...S3_PREFIX_LIST,
    PrefixListName: 'corp-s3-copy',
  };

  it.each<Case>([
    {
      name: 'accepts S3 and DynamoDB traffic through their gateway endpoints',
      parts: onMainTable(
        [route.cidr('0.0.0.0/0', NAT), S3_ROUTE, DDB_ROUTE],
        [S3_GATEWAY, DDB_GATEWAY]
      ),
      parameters: {},
      expected: {
        complianceType: 'COMPLIANT',
        annotation: 's3 via vpce-s3; dynamodb via vpce-ddb',
      },
    },
    {
      name: 'cannot evaluate S3 traffic routed to an endpoint that is not in the inventory',
      parts: onMainTable([route.prefixList(S3_PL, 'vpce-gone')]),
      expected: {
        complianceType: 'NON_COMPLIANT',
        annotation:
          'cannot evaluate: route table rtb-1 routes pl-63a5400a to endpoint vpce-gone, which is not in the inventory (deleted, or owned by another account)',
      },
    },
    {
      name: 'reports S3 traffic that falls back to NAT when the gateway route is a blackhole',
      // The endpoint was deleted, its route remains as a blackhole.
      parts: onMainTable([
        route.cidr('0.0.0.0/0', NAT),
        route.prefixList(S3_PL, 'vpce-gone', { State: 'blackhole' }),
      ]),
      expected: {
        complianceType: 'NON_COMPLIANT',
        annotation: expect.stringContaining(
          's3 leaves via NAT gateway nat-1 (route 0.0.0.0/0 in rtb-1)'
        ),
      },
    },
    {
      name: 'reports a static route of the same prefix that beats the gateway route',
      parts: onMainTable(
        [S3_ROUTE, route.cidr('54.231.0.0/16', NAT)],
        [S3_GATEWAY]
      ),
      expected: {
        complianceType: 'NON_COMPLIANT',
        annotation:
          's3 leaves via NAT gateway nat-1 (route 54.231.0.0/16 in rtb-1)',
      },
    },
    {
      name: 'accepts a propagated route of the same prefix, which loses to the gateway route',
      parts: onMainTable(
        [
          route.cidr(
            '54.231.0.0/16',
            { GatewayId: 'vgw-1' },
            { Origin: 'EnableVgwRoutePropagation' }
          ),
          S3_ROUTE,
        ],
        [S3_GATEWAY]
      ),
      expected: { complianceType: 'COMPLIANT', annotation: 's3 via vpce-s3' },
    },
    {
      name: 'accepts covering /8 static routes, which lose to the gateway route',
      parts: onMainTable(
        [
          route.cidr('52.0.0.0/8', NAT),
          route.cidr('54.0.0.0/8', NAT),
          route.cidr('3.0.0.0/8', { TransitGatewayId: 'tgw-1' }),
          S3_ROUTE,
        ],
        [S3_GATEWAY]
      ),
      expected: { complianceType: 'COMPLIANT', annotation: 's3 via vpce-s3' },
    },
    {
      name: 'ignores a route to a customer-managed prefix list holding S3 blocks',
      parts: onMainTable(
        [prefixListTo('pl-0corp', { TransitGatewayId: 'tgw-1' }), S3_ROUTE],
        [S3_GATEWAY],
        { PrefixLists: [S3_PREFIX_LIST, DYNAMODB_PREFIX_LIST, corporate] }
      ),
      expected: { complianceType: 'COMPLIANT', annotation: 's3 via vpce-s3' },
    },
    {
      name: 'finds the S3 prefix list by name, not by a well-known id',
      // The S3 list has another id; pl-63a5400a is someone else's list.
      parts: onMainTable(
        [
          route.prefixList('pl-0s3', 'vpce-s3'),
          prefixListTo(S3_PL, { TransitGatewayId: 'tgw-1' }),
        ],
        [S3_GATEWAY],
        { PrefixLists: [impostor, renamed, DYNAMODB_PREFIX_LIST] }
      ),
      expected: { complianceType: 'COMPLIANT', annotation: 's3 via vpce-s3' },
    },
    {
      name: 'reports every route that takes a part of the S3 blocks',
      parts: onMainTable(
        [
          S3_ROUTE,
          route.cidr('52.216.10.0/24', NAT),
          route.cidr('54.231.1.0/24', NAT),
        ],
        [S3_GATEWAY]
      ),
      expected: {
        complianceType: 'NON_COMPLIANT',
        annotation: expect.stringContaining(
          's3 leaves via NAT gateway nat-1 (routes 52.216.10.0/24, 54.231.1.0/24 in rtb-1)'
        ),
      },
    },
  ])('$name', judgesCase);

  it.each([
    [
      'a gateway endpoint of another service',
      gateway('vpce-x', 'dynamodb'),
      'gateway endpoint vpce-x of dynamodb',
    ],
    [
      'a gateway endpoint of s3express',
      gateway('vpce-x', 's3express'),
      'gateway endpoint vpce-x of s3express',
    ],
    [
      'a gateway endpoint of S3 in another Region',
      gateway('vpce-x', 'com.amazonaws.us-west-2.s3'),
      'gateway endpoint vpce-x of com.amazonaws.us-west-2.s3',
    ],
    [
      'a gateway endpoint in another VPC',
      gateway('vpce-x', 's3', { vpcId: 'vpc-2' }),
      'gateway endpoint vpce-x in vpc-2, not vpc-1',
    ],
    [
      'a pending gateway endpoint',
      gateway('vpce-x', 's3', { state: 'pending' }),
      'gateway endpoint vpce-x, which is pending',
    ],
    [
      'a deleting gateway endpoint',
      gateway('vpce-x', 's3', { state: 'deleting' }),
      'gateway endpoint vpce-x, which is deleting',
    ],
    [
      'an interface endpoint',
      endpoint('vpce-x', { service: 's3', privateDns: false }),
      'Interface endpoint vpce-x',
    ],
  ])('reports S3 traffic routed to %s', (_name, target, named) => {
    // Arrange
    const parts = onMainTable([route.prefixList(S3_PL, 'vpce-x')], [target], {
      Vpcs: [vpc('vpc-1'), vpc('vpc-2', ['10.1.0.0/16'])],
      VpcAttributes: [vpcDns('vpc-1'), vpcDns('vpc-2')],
    });

    // Act
    const verdict = judge(parts);

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
    expect(verdict.annotation).toEqual(
      expect.stringContaining(
        `s3 leaves via ${named} (route pl-63a5400a in rtb-1)`
      )
    );
    expect(verdict.annotation).toEqual(
      expect.stringContaining('(route pl-63a5400a in rtb-1)')
    );
  });

  it.each([
    [
      'NAT',
      route.cidr('52.216.10.0/24', NAT),
      's3 leaves via NAT gateway nat-1 (route 52.216.10.0/24 in rtb-1)',
    ],
    [
      'a peering connection',
      route.cidr('54.231.128.0/17', { VpcPeeringConnectionId: 'pcx-1' }),
      's3 leaves via peering connection pcx-1 (route 54.231.128.0/17 in rtb-1)',
    ],
    [
      'a virtual private gateway (propagated)',
      route.cidr(
        '3.5.0.0/20',
        { GatewayId: 'vgw-1' },
        { Origin: 'EnableVgwRoutePropagation' }
      ),
      's3 leaves via virtual private gateway vgw-1 (route 3.5.0.0/20 in rtb-1)',
    ],
  ])(
    'reports a more specific route inside an S3 block that sends it to %s',
    (_name, specific, annotation) => {
      // Arrange
      const parts = onMainTable([S3_ROUTE, specific], [S3_GATEWAY]);

      // Act
      const verdict = judge(parts);

      // Assert
      expect(verdict).toEqual({ complianceType: 'NON_COMPLIANT', annotation });
    }
  );
});

describe('private-subnet-gateway-endpoints interface endpoints', () => {
  /** An S3 interface endpoint `vpce-if` in vpc-1. */
  const s3Interface = (options: {
    privateDns?: boolean;
    inboundOnly?: boolean;
    state?: string;
    service?: string;
    vpcId?: string;
  }): Ec2VpcEndpoint =>
    endpoint('vpce-if', { service: 's3', subnets: ['subnet-1'], ...options });

  /** The S3 interface endpoint with private DNS on and no DnsOptions at all. */
  const withoutDnsOptions = (): Ec2VpcEndpoint => {
    const { DnsOptions: _dropped, ...rest } = s3Interface({ privateDns: true });
    return rest;
  };

  it.each([
    [
      'inbound-only absent',
      s3Interface({ privateDns: true, inboundOnly: undefined }),
    ],
    ['no DnsOptions', withoutDnsOptions()],
    [
      'inbound-only false',
      s3Interface({ privateDns: true, inboundOnly: false }),
    ],
  ])(
    'reports a subnet with a gateway route when an S3 interface endpoint has private DNS on and %s',
    (_name, captor) => {
      // Arrange
      const parts = onMainTable([S3_ROUTE], [S3_GATEWAY, captor]);

      // Act
      const verdict = judge(parts);

      // Assert
      expect(verdict).toEqual({
        complianceType: 'NON_COMPLIANT',
        annotation:
          's3: interface endpoint vpce-if has private DNS on for VPC clients, ' +
          'so they bypass the gateway endpoint',
      });
    }
  );

  it.each<Case>([
    {
      name: 'ignores the private DNS flag of a gateway endpoint',
      // Only interface endpoints answer DNS for the service.
      parts: onMainTable(
        [S3_ROUTE],
        [
          S3_GATEWAY,
          endpoint('vpce-odd', {
            type: 'Gateway',
            service: 's3',
            privateDns: true,
            inboundOnly: false,
          }),
        ]
      ),
      expected: { complianceType: 'COMPLIANT', annotation: 's3 via vpce-s3' },
    },
    {
      name: 'reports DynamoDB when a DynamoDB interface endpoint has private DNS on',
      parts: onMainTable(
        [S3_ROUTE, DDB_ROUTE],
        [S3_GATEWAY, DDB_GATEWAY, s3Interface({ service: 'dynamodb' })]
      ),
      parameters: {},
      expected: {
        complianceType: 'NON_COMPLIANT',
        annotation: expect.stringMatching(
          /^dynamodb: interface endpoint vpce-if has private DNS on/
        ),
      },
    },
  ])('$name', judgesCase);

  it.each([
    [
      'private DNS on and inbound-only true',
      { privateDns: true, inboundOnly: true },
    ],
    ['private DNS off', { privateDns: false }],
    [
      'private DNS off and inbound-only false',
      { privateDns: false, inboundOnly: false },
    ],
  ])(
    'decides by routes when the S3 interface endpoint has %s',
    (_name, dns) => {
      // Arrange
      const endpoints = [S3_GATEWAY, s3Interface(dns)];
      const viaGateway = onMainTable([S3_ROUTE], endpoints);
      const viaNat = onMainTable([route.cidr('0.0.0.0/0', NAT)], endpoints);

      // Act
      const gatewayVerdict = judge(viaGateway);
      const natVerdict = judge(viaNat);

      // Assert
      expect(gatewayVerdict).toEqual({
        complianceType: 'COMPLIANT',
        annotation: 's3 via vpce-s3',
      });
      expect(natVerdict.complianceType).toBe('NON_COMPLIANT');
      expect(natVerdict.annotation).toEqual(
        expect.stringContaining('NAT gateway nat-1')
      );
    }
  );

  it.each(['deleting', 'deleted', 'rejected', 'failed', 'expired', 'partial'])(
    'ignores an S3 interface endpoint with private DNS in state %s',
    (state) => {
      // Arrange
      const parts = onMainTable(
        [S3_ROUTE],
        [S3_GATEWAY, s3Interface({ privateDns: true, state })]
      );

      // Act
      const verdict = judge(parts);

      // Assert
      expect(verdict).toEqual({
        complianceType: 'COMPLIANT',
        annotation: 's3 via vpce-s3',
      });
    }
  );

  it.each(['pending', 'pendingAcceptance', 'Available', 'PendingAcceptance'])(
    'counts an S3 interface endpoint with private DNS in state %s',
    (state) => {
      // Arrange
      const parts = onMainTable(
        [S3_ROUTE],
        [S3_GATEWAY, s3Interface({ privateDns: true, state })]
      );

      // Act
      const verdict = judge(parts);

      // Assert
      expect(verdict.complianceType).toBe('NON_COMPLIANT');
      expect(verdict.annotation).toEqual(expect.stringContaining('vpce-if'));
    }
  );

  it.each([
    ['s3express', { service: 's3express' }],
    ['dynamodb', { service: 'dynamodb' }],
    ['ec2', { service: 'ec2' }],
    ['S3 of another Region', { service: 'com.amazonaws.us-west-2.s3' }],
    ['S3 in another VPC', { vpcId: 'vpc-2' }],
  ])(
    'ignores a private-DNS interface endpoint of %s when checking S3',
    (_name, options) => {
      // Arrange
      const parts = onMainTable(
        [S3_ROUTE],
        [S3_GATEWAY, s3Interface({ privateDns: true, ...options })],
        {
          Vpcs: [vpc('vpc-1'), vpc('vpc-2', ['10.1.0.0/16'])],
          VpcAttributes: [vpcDns('vpc-1'), vpcDns('vpc-2')],
        }
      );

      // Act
      const verdict = judge(parts);

      // Assert
      expect(verdict).toEqual({
        complianceType: 'COMPLIANT',
        annotation: 's3 via vpce-s3',
      });
    }
  );
});

describe('private-subnet-gateway-endpoints subnets without a route', () => {
  it.each<Case>([
    {
      name: 'accepts a private subnet with no route to S3',
      // Only the local route.
      parts: onMainTable([]),
      expected: { complianceType: 'COMPLIANT', annotation: 'no route to s3' },
    },
    {
      name: 'accepts a private subnet with no route to either service',
      parts: onMainTable([]),
      parameters: {},
      expected: {
        complianceType: 'COMPLIANT',
        annotation: 'no route to s3; no route to dynamodb',
      },
    },
    {
      name: 'accepts S3 through its endpoint and no route to DynamoDB',
      parts: onMainTable([S3_ROUTE], [S3_GATEWAY]),
      parameters: {},
      expected: {
        complianceType: 'COMPLIANT',
        annotation: 's3 via vpce-s3; no route to dynamodb',
      },
    },
    {
      name: 'with requireGatewayRoute true reports DynamoDB without a route when S3 has one',
      parts: onMainTable([S3_ROUTE], [S3_GATEWAY]),
      parameters: { requireGatewayRoute: 'true' },
      expected: {
        complianceType: 'NON_COMPLIANT',
        annotation: 'no route to dynamodb, and requireGatewayRoute is true',
      },
    },
  ])('$name', judgesCase);

  it.each([
    [true, 'NON_COMPLIANT', 'no route to s3, and requireGatewayRoute is true'],
    [false, 'COMPLIANT', 'no route to s3'],
  ])(
    'with requireGatewayRoute %s reports a subnet with no route to S3 as %s',
    (requireGatewayRoute, complianceType, annotation) => {
      // Arrange
      const parts = onMainTable([]);

      // Act
      const verdict = judge(parts, { services: 's3', requireGatewayRoute });

      // Assert
      expect(verdict).toEqual({ complianceType, annotation });
    }
  );

  it.each([
    [
      true,
      'NON_COMPLIANT',
      's3 via vpce-s3, but 2 of 3 blocks have no route and requireGatewayRoute is true',
    ],
    [false, 'COMPLIANT', 's3 via vpce-s3 (2 of 3 blocks have no route)'],
  ])(
    'with requireGatewayRoute %s reports a subnet with part of S3 unrouted as %s',
    (requireGatewayRoute, complianceType, annotation) => {
      // Arrange: a CIDR route to the endpoint covers one block of three.
      const parts = onMainTable(
        [route.cidr('52.216.0.0/15', { GatewayId: 'vpce-s3' })],
        [S3_GATEWAY]
      );

      // Act
      const verdict = judge(parts, { services: 's3', requireGatewayRoute });

      // Assert
      expect(verdict).toEqual({ complianceType, annotation });
    }
  );
});

describe('private-subnet-gateway-endpoints services', () => {
  // S3 goes through its endpoint; DynamoDB leaks through a more specific NAT route.
  const ddbLeaks = onMainTable(
    [S3_ROUTE, DDB_ROUTE, route.cidr('52.94.0.0/24', NAT)],
    [S3_GATEWAY, DDB_GATEWAY]
  );

  it.each<Case>([
    {
      name: 'reports a subnet when DynamoDB leaks even though S3 is fine',
      parts: ddbLeaks,
      parameters: {},
      expected: {
        complianceType: 'NON_COMPLIANT',
        annotation:
          'dynamodb leaves via NAT gateway nat-1 (route 52.94.0.0/24 in rtb-1)',
      },
    },
    {
      name: 'does not need the DynamoDB prefix list when services is s3',
      parts: onMainTable([S3_ROUTE], [S3_GATEWAY], {
        PrefixLists: [S3_PREFIX_LIST],
      }),
      parameters: { services: 's3' },
      expected: { complianceType: 'COMPLIANT', annotation: 's3 via vpce-s3' },
    },
  ])('$name', judgesCase);

  it.each([
    ['the default', {}, 'NON_COMPLIANT'],
    ['an empty string', { services: '' }, 'NON_COMPLIANT'],
    ['"s3"', { services: 's3' }, 'COMPLIANT'],
    ['" S3 "', { services: ' S3 ' }, 'COMPLIANT'],
    ['" S3 , dynamodb "', { services: ' S3 , dynamodb ' }, 'NON_COMPLIANT'],
    ['"dynamodb"', { services: 'dynamodb' }, 'NON_COMPLIANT'],
    ['"s3,s3"', { services: 's3,s3' }, 'COMPLIANT'],
    ['a JSON array ["s3"]', { services: ['s3'] }, 'COMPLIANT'],
    [
      'a JSON array ["s3", "DynamoDB"]',
      { services: ['s3', 'DynamoDB'] },
      'NON_COMPLIANT',
    ],
  ])('checks the services of %s', (_name, parameters, complianceType) => {
    // Act
    const verdict = judge(ddbLeaks, parameters);

    // Assert
    expect(verdict.complianceType).toBe(complianceType);
  });

  it.each([
    ['S3,s3', ['s3']],
    [' DynamoDB , dynamodb ,S3', ['dynamodb', 's3']],
    [['S3', 's3'], ['s3']],
  ])('reads services %j without repeats, whatever their case', (raw, read) => {
    // Act
    const { parameters } = ruleNamed(RULE).prepare({ services: raw });

    // Assert
    expect(parameters.services).toEqual(read);
  });

  it.each([
    ['"s3,ec2"', 's3,ec2'],
    ['"s3express"', 's3express'],
    ['"s3;dynamodb"', 's3;dynamodb'],
    ['","', ','],
    ['" , "', ' , '],
    ['an empty JSON array', []],
    ['a JSON array with a number', ['s3', 3]],
    ['a number', 3],
    ['a boolean', true],
    ['an object', { s3: true }],
  ])('rejects services given as %s', (_name, services) => {
    // Arrange
    const parts = onMainTable([S3_ROUTE], [S3_GATEWAY]);

    // Act
    const run = () => judge(parts, { services });

    // Assert
    expect(run).toThrow(InvalidParameterError);
    expect(run).toThrow(/parameter services: expected .*s3, dynamodb/);
  });
});

describe('private-subnet-gateway-endpoints requireGatewayRoute', () => {
  it.each([
    ['"True"', 'True', 'NON_COMPLIANT'],
    ['"TRUE"', 'TRUE', 'NON_COMPLIANT'],
    ['true', true, 'NON_COMPLIANT'],
    ['"false"', 'false', 'COMPLIANT'],
    ['"False"', 'False', 'COMPLIANT'],
    ['false', false, 'COMPLIANT'],
    ['an empty string', '', 'COMPLIANT'],
  ])(
    'reads requireGatewayRoute %s',
    (_name, requireGatewayRoute, complianceType) => {
      // Arrange
      const parts = onMainTable([]);

      // Act
      const verdict = judge(parts, { services: 's3', requireGatewayRoute });

      // Assert
      expect(verdict.complianceType).toBe(complianceType);
    }
  );

  it.each([
    ['"yes"', 'yes'],
    ['"1"', '1'],
    ['1', 1],
    ['an array', ['true']],
  ])('rejects requireGatewayRoute %s', (_name, requireGatewayRoute) => {
    // Arrange
    const parts = onMainTable([]);

    // Act
    const run = () => judge(parts, { requireGatewayRoute });

    // Assert
    expect(run).toThrow(InvalidParameterError);
    expect(run).toThrow(
      /parameter requireGatewayRoute: expected true or false/
    );
  });

  it('ignores unknown parameter names', () => {
    // Arrange
    const parts = onMainTable([S3_ROUTE], [S3_GATEWAY]);

    // Act
    const verdict = judge(parts, {
      services: 's3',
      ExecutionRoleName: 'vpce-guard-member',
    });

    // Assert
    expect(verdict.complianceType).toBe('COMPLIANT');
  });
});

describe('private-subnet-gateway-endpoints prefix lists', () => {
  it.each([
    ['S3', 's3', [DYNAMODB_PREFIX_LIST], /com\.amazonaws\.us-east-1\.s3 /],
    [
      'DynamoDB',
      'dynamodb',
      [S3_PREFIX_LIST],
      /com\.amazonaws\.us-east-1\.dynamodb /,
    ],
  ])(
    'cannot evaluate a private subnet when the inventory lacks the %s prefix list',
    (_name, services, prefixLists, message) => {
      // Arrange
      const parts = onMainTable([route.cidr('0.0.0.0/0', NAT)], [], {
        PrefixLists: prefixLists,
      });

      // Act
      const verdict = judge(parts, { services });

      // Assert
      expect(verdict.complianceType).toBe('NON_COMPLIANT');
      expect(verdict.annotation).toMatch(/^cannot evaluate: /);
      expect(verdict.annotation).toMatch(message);
    }
  );

  it('cannot evaluate a private subnet when the S3 prefix list is named for another Region', () => {
    // Arrange
    const parts = onMainTable([S3_ROUTE], [S3_GATEWAY], {
      PrefixLists: [
        { ...S3_PREFIX_LIST, PrefixListName: 'com.amazonaws.us-west-2.s3' },
      ],
    });

    // Act
    const verdict = judge(parts);

    // Assert
    expect(verdict).toEqual({
      complianceType: 'NON_COMPLIANT',
      annotation: expect.stringMatching(
        /^cannot evaluate: the AWS-managed prefix list com\.amazonaws\.us-east-1\.s3 is not in the inventory/
      ),
    });
  });
});

describe('private-subnet-gateway-endpoints China Regions', () => {
  const REGION = 'cn-north-1';

  /** A cn-north-1 account with an S3 list named `listName`. */
  const china = (
    listName: string,
    routes: readonly Ec2Route[],
    endpoints: readonly Ec2VpcEndpoint[]
  ): Parts =>
    onMainTable(routes, endpoints, {
      Region: REGION,
      Partition: 'aws-cn',
      PrefixLists: [
        {
          PrefixListId: 'pl-0cn-s3',
          PrefixListName: listName,
          Cidrs: ['54.222.0.0/19', '52.82.188.0/22'],
        },
        {
          PrefixListId: 'pl-0cn-ddb',
          PrefixListName: `com.amazonaws.${REGION}.dynamodb`,
          Cidrs: ['52.82.8.0/21'],
        },
      ],
    });

  const CN_GATEWAY = gateway('vpce-cn', `com.amazonaws.${REGION}.s3`);
  const CN_ROUTE = route.prefixList('pl-0cn-s3', 'vpce-cn');
  const LIST_NAMES = [
    `cn.com.amazonaws.${REGION}.s3`,
    `com.amazonaws.${REGION}.s3`,
  ];

  it.each(LIST_NAMES)(
    'accepts S3 through a gateway endpoint with an S3 prefix list named %s',
    (listName) => {
      // Arrange
      const parts = china(
        listName,
        [route.cidr('0.0.0.0/0', NAT), CN_ROUTE],
        [CN_GATEWAY]
      );

      // Act
      const verdict = judge(parts);

      // Assert
      expect(verdict).toEqual({
        complianceType: 'COMPLIANT',
        annotation: 's3 via vpce-cn',
      });
    }
  );

  it.each(LIST_NAMES)(
    'reports S3 through NAT with an S3 prefix list named %s',
    (listName) => {
      // Arrange
      const parts = china(listName, [route.cidr('0.0.0.0/0', NAT)], []);

      // Act
      const verdict = judge(parts);

      // Assert
      expect(verdict.complianceType).toBe('NON_COMPLIANT');
      expect(verdict.annotation).toEqual(
        expect.stringContaining(
          's3 leaves via NAT gateway nat-1 (route 0.0.0.0/0 in rtb-1)'
        )
      );
    }
  );

  it.each<Case>([
    {
      name: 'reports a China subnet when the cn.com S3 interface endpoint has private DNS on',
      parts: china(
        `cn.com.amazonaws.${REGION}.s3`,
        [CN_ROUTE],
        [
          CN_GATEWAY,
          endpoint('vpce-if', {
            service: `cn.com.amazonaws.${REGION}.s3`,
            privateDns: true,
          }),
        ]
      ),
      expected: {
        complianceType: 'NON_COMPLIANT',
        annotation: expect.stringContaining('interface endpoint vpce-if'),
      },
    },
    {
      name: 'reports S3 routed to a gateway endpoint named for another Region',
      parts: china(
        `com.amazonaws.${REGION}.s3`,
        [CN_ROUTE],
        [gateway('vpce-cn', 'com.amazonaws.us-east-1.s3')]
      ),
      expected: {
        complianceType: 'NON_COMPLIANT',
        annotation: expect.stringContaining(
          'gateway endpoint vpce-cn of com.amazonaws.us-east-1.s3'
        ),
      },
    },
  ])('$name', judgesCase);

  it('cannot evaluate a China subnet when only the us-east-1 S3 prefix list is there', () => {
    // Arrange
    const parts: Parts = {
      ...china(`com.amazonaws.${REGION}.s3`, [CN_ROUTE], [CN_GATEWAY]),
      PrefixLists: [S3_PREFIX_LIST],
    };

    // Act
    const verdict = judge(parts);

    // Assert
    expect(verdict.annotation).toMatch(/^cannot evaluate: .*cn-north-1\.s3/);
  });
});

describe('private-subnet-gateway-endpoints exempt tag', () => {
  /** subnet-1 tagged with `tags`, whose S3 traffic leaves through NAT. */
  const tagged = (tags: Record<string, string>): Parts => ({
    ...onMainTable([route.cidr('0.0.0.0/0', NAT)]),
    Subnets: [subnet('subnet-1', { tags })],
  });

  it.each([
    'true',
    'True',
    ' TRUE ',
    'private-subnet-gateway-endpoints',
    'Private-Subnet-Gateway-Endpoints',
    'other-rule, private-subnet-gateway-endpoints',
    'other-rule,true',
  ])('exempts a subnet tagged vpce-guard:exempt=%j', (value) => {
    // Arrange
    const parts = tagged({ 'vpce-guard:exempt': value });

    // Act
    const verdict = judge(parts);

    // Assert
    expect(verdict).toEqual({
      complianceType: 'NOT_APPLICABLE',
      annotation: 'exempt by tag',
    });
  });

  it.each([
    'other-rule',
    'false',
    '',
    'private-subnet-gateway-endpoints-v2',
    'true-ish',
  ])('does not exempt a subnet tagged vpce-guard:exempt=%j', (value) => {
    // Arrange
    const parts = tagged({ 'vpce-guard:exempt': value });

    // Act
    const verdict = judge(parts);

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
  });

  it('exempts a subnet by the tag key named in exemptTagKey', () => {
    // Arrange
    const parts = tagged({ 'security:skip': 'true' });

    // Act
    const verdict = judge(parts, {
      services: 's3',
      exemptTagKey: 'security:skip',
    });

    // Assert
    expect(verdict).toEqual({
      complianceType: 'NOT_APPLICABLE',
      annotation: 'exempt by tag',
    });
  });

  it('ignores the default tag key when exemptTagKey names another', () => {
    // Arrange
    const parts = tagged({ 'vpce-guard:exempt': 'true' });

    // Act
    const verdict = judge(parts, {
      services: 's3',
      exemptTagKey: 'security:skip',
    });

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
  });
});

describe('private-subnet-gateway-endpoints evaluations', () => {
  /** Five subnets out of order: private, public, exempt, compliant, no route. */
  const landscape: Parts = {
    Subnets: [
      subnet('subnet-e'),
      subnet('subnet-b', { tags: { 'vpce-guard:exempt': 'true' } }),
      subnet('subnet-d'),
      subnet('subnet-a'),
      subnet('subnet-c'),
    ],
    RouteTables: [
      routeTable('rtb-main', {
        main: true,
        routes: [route.cidr('0.0.0.0/0', NAT)],
      }),
      routeTable('rtb-public', {
        subnets: ['subnet-c'],
        routes: [route.cidr('0.0.0.0/0', IGW)],
      }),
      routeTable('rtb-1', {
        subnets: ['subnet-d'],
        routes: [route.cidr('0.0.0.0/0', NAT), S3_ROUTE],
      }),
      routeTable('rtb-isolated', { subnets: ['subnet-e'] }),
    ],
    VpcEndpoints: [S3_GATEWAY],
  };

  it('gives every subnet exactly one evaluation, in resource-id order', () => {
    // Act
    const evaluations = evaluate(RULE, landscape, S3_ONLY);

    // Assert
    expect(evaluations.map((e) => [e.resourceId, e.complianceType])).toEqual([
      ['subnet-a', 'NON_COMPLIANT'],
      ['subnet-b', 'NOT_APPLICABLE'],
      ['subnet-c', 'NOT_APPLICABLE'],
      ['subnet-d', 'COMPLIANT'],
      ['subnet-e', 'COMPLIANT'],
    ]);
  });

  it('stamps every evaluation with the rule, account, Region and resource type', () => {
    // Act
    const evaluations = evaluate(RULE, landscape, S3_ONLY);

    // Assert
    for (const evaluation of evaluations) {
      expect(evaluation).toMatchObject({
        ruleId: RULE,
        accountId: '111122223333',
        region: 'us-east-1',
        resourceType: 'AWS::EC2::Subnet',
      });
    }
    expect(evaluations).toHaveLength(5);
  });

  it('returns the same evaluations for the same inventory', () => {
    // Act
    const first = evaluate(RULE, landscape, {});
    const second = evaluate(RULE, landscape, {});

    // Assert
    expect(second).toEqual(first);
  });

  it('names the service, the target and the route in a failed annotation', () => {
    // Act
    const verdict = verdictOf(RULE, landscape, 'subnet-a', S3_ONLY);

    // Assert
    expect(verdict.annotation).toEqual(expect.stringContaining('s3 '));
    expect(verdict.annotation).toEqual(
      expect.stringContaining('NAT gateway nat-1')
    );
    expect(verdict.annotation).toEqual(
      expect.stringContaining(
        's3 leaves via NAT gateway nat-1 (route 0.0.0.0/0 in rtb-main)'
      )
    );
  });

  it('keeps the annotation within 256 characters when many parts leak', () => {
    // Arrange: 40 NAT routes split the S3 list; a private-DNS interface
    // endpoint captures DynamoDB.
    const parts = onMainTable(
      [
        S3_ROUTE,
        DDB_ROUTE,
        ...Array.from({ length: 40 }, (_, i) =>
          route.cidr(`52.216.${i}.0/24`, {
            NatGatewayId: `nat-0${i}abcdef0123456`,
          })
        ),
        route.cidr('52.94.0.0/24', NAT),
      ],
      [
        S3_GATEWAY,
        DDB_GATEWAY,
        endpoint('vpce-0123456789abcdef0', { service: 'dynamodb' }),
      ]
    );

    // Act
    const verdict = judge(parts, {});

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
    expect(verdict.annotation.length).toBeLessThanOrEqual(256);
    expect(verdict.annotation).toEqual(
      expect.stringMatching(
        /^dynamodb: interface endpoint vpce-0123456789abcdef0 has private DNS on .*; s3 leaves via NAT gateway nat-00abcdef0123456 \(route 52\.216\.0\.0\/24 in rtb-1\); .*…$/
      )
    );
  });
});
