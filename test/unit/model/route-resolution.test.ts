import { describe, expect, it } from '@jest/globals';
import type {
  Ec2PrefixList,
  Ec2Route,
} from '../../../functions/shared/formats/snapshot-schema.js';
import type { Cidr } from '../../../rules/model/cidr.js';
import type { Route } from '../../../rules/model/inventory.js';
import { resolveServiceRoutes } from '../../../rules/model/route-resolution.js';
import {
  inventoryOf,
  route,
  routeTable,
  S3_PREFIX_LIST,
} from '../../helpers/factories.js';

const S3_PL = S3_PREFIX_LIST.PrefixListId;

/** An S3 prefix list with one IPv4 and one IPv6 block. */
const DUAL_STACK_S3 = {
  PrefixListId: 'pl-0dual',
  PrefixListName: 'com.amazonaws.us-east-1.s3',
  Cidrs: ['52.216.0.0/15', '2600:1fa0:8000::/39'],
} satisfies Ec2PrefixList;

/** A customer-managed prefix list holding the same blocks as S3. */
const CORPORATE_LIST = {
  PrefixListId: 'pl-0corp',
  PrefixListName: 'corp-egress',
  Cidrs: [...S3_PREFIX_LIST.Cidrs],
} satisfies Ec2PrefixList;

/** A propagated route (virtual private gateway route propagation). */
const propagated = (cidr: string, target: Partial<Ec2Route>): Ec2Route =>
  route.cidr(cidr, target, { Origin: 'EnableVgwRoutePropagation' });

const NAT = { NatGatewayId: 'nat-1' };
const TGW = { TransitGatewayId: 'tgw-1' };
const PCX = { VpcPeeringConnectionId: 'pcx-1' };
const VGW = { GatewayId: 'vgw-1' };
const S3_ROUTE = route.prefixList(S3_PL, 'vpce-s3');

/**
 * Resolves the service prefix list against a main table `rtb-1` with
 * `routes` (after the local route) and returns `[part, winning route]`
 * pairs, sorted by part; the route is its text (`0.0.0.0/0 → nat-1`).
 */
/** A prefix list with the fields a test names it by. */
type NamedPrefixList = Ec2PrefixList & {
  readonly PrefixListId: string;
  readonly PrefixListName: string;
};

/** The routes of an inventory's table and its list, as the rule resolves them. */
const resolvable = (
  table: { readonly routes?: readonly Route[] | undefined },
  list: { readonly id: string; readonly cidrs?: readonly Cidr[] | undefined }
) => [table.routes ?? [], { id: list.id, cidrs: list.cidrs ?? [] }] as const;

const resolve = (
  routes: readonly Ec2Route[],
  prefixList: NamedPrefixList = S3_PREFIX_LIST,
  otherLists: readonly Ec2PrefixList[] = []
): [string, string | undefined][] => {
  const inventory = inventoryOf({
    RouteTables: [routeTable('rtb-1', { main: true, routes })],
    PrefixLists: [prefixList, ...otherLists],
  });
  const table = inventory.routeTables.get('rtb-1');
  const list = inventory.prefixListsByName.get(prefixList.PrefixListName);
  if (!table || !list) throw new Error('fixture lacks rtb-1 or the list');
  return resolveServiceRoutes(...resolvable(table, list))
    .map((p): [string, string | undefined] => [p.part, p.route?.text])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
};

const S3_VIA_ENDPOINT = 'pl-63a5400a → vpce-s3';

describe('resolveServiceRoutes longest-prefix match', () => {
  it('gives every block to a covering default route', () => {
    // Arrange
    const routes = [route.cidr('0.0.0.0/0', NAT)];

    // Act
    const parts = resolve(routes);

    // Assert
    expect(parts).toEqual([
      ['3.5.0.0/19', '0.0.0.0/0 → nat-1'],
      ['52.216.0.0/15', '0.0.0.0/0 → nat-1'],
      ['54.231.0.0/16', '0.0.0.0/0 → nat-1'],
    ]);
  });

  it('gives every block to the prefix-list route over shorter static routes', () => {
    // Arrange
    const routes = [
      route.cidr('0.0.0.0/0', NAT),
      route.cidr('52.0.0.0/8', TGW),
      route.cidr('3.0.0.0/8', TGW),
      S3_ROUTE,
      route.cidr('54.0.0.0/8', TGW),
    ];

    // Act
    const parts = resolve(routes);

    // Assert
    expect(parts).toEqual([
      ['3.5.0.0/19', S3_VIA_ENDPOINT],
      ['52.216.0.0/15', S3_VIA_ENDPOINT],
      ['54.231.0.0/16', S3_VIA_ENDPOINT],
    ]);
  });

  it('matches each block of the prefix list with its own prefix length', () => {
    // Arrange: a /16 static route is longer than the /15 block but shorter
    // than the /19 one.
    const routes = [
      S3_ROUTE,
      route.cidr('52.216.0.0/16', NAT),
      route.cidr('3.5.0.0/16', TGW),
    ];

    // Act
    const parts = resolve(routes);

    // Assert
    expect(parts).toEqual([
      ['3.5.0.0/19', S3_VIA_ENDPOINT],
      ['52.216.0.0/15', S3_VIA_ENDPOINT],
      ['52.216.0.0/16', '52.216.0.0/16 → nat-1'],
      ['54.231.0.0/16', S3_VIA_ENDPOINT],
    ]);
  });

  it('ignores a route of the same length that does not contain the block', () => {
    // Arrange: 52.218.0.0/15 is the neighbour of 52.216.0.0/15.
    const routes = [route.cidr('52.218.0.0/15', NAT)];

    // Act
    const parts = resolve(routes);

    // Assert
    expect(parts).toEqual([
      ['3.5.0.0/19', undefined],
      ['52.216.0.0/15', undefined],
      ['54.231.0.0/16', undefined],
    ]);
  });

  it('gives only the blocks a static route contains to that route', () => {
    // Arrange
    const routes = [route.cidr('3.0.0.0/8', NAT)];

    // Act
    const parts = resolve(routes);

    // Assert
    expect(parts).toEqual([
      ['3.5.0.0/19', '3.0.0.0/8 → nat-1'],
      ['52.216.0.0/15', undefined],
      ['54.231.0.0/16', undefined],
    ]);
  });
});

describe('resolveServiceRoutes priority on an equal prefix', () => {
  it.each([
    ['before', [route.cidr('52.216.0.0/15', NAT), S3_ROUTE]],
    ['after', [S3_ROUTE, route.cidr('52.216.0.0/15', NAT)]],
  ])(
    'prefers a static CIDR route listed %s the prefix-list route',
    (_order, routes) => {
      // Act
      const parts = resolve(routes);

      // Assert
      expect(parts).toEqual([
        ['3.5.0.0/19', S3_VIA_ENDPOINT],
        ['52.216.0.0/15', '52.216.0.0/15 → nat-1'],
        ['54.231.0.0/16', S3_VIA_ENDPOINT],
      ]);
    }
  );

  it.each([
    ['before', [propagated('52.216.0.0/15', VGW), S3_ROUTE]],
    ['after', [S3_ROUTE, propagated('52.216.0.0/15', VGW)]],
  ])(
    'prefers the prefix-list route to a propagated route listed %s it',
    (_order, routes) => {
      // Act
      const parts = resolve(routes);

      // Assert
      expect(parts).toEqual([
        ['3.5.0.0/19', S3_VIA_ENDPOINT],
        ['52.216.0.0/15', S3_VIA_ENDPOINT],
        ['54.231.0.0/16', S3_VIA_ENDPOINT],
      ]);
    }
  );

  it.each([
    ['before', [propagated('0.0.0.0/0', VGW), route.cidr('0.0.0.0/0', NAT)]],
    ['after', [route.cidr('0.0.0.0/0', NAT), propagated('0.0.0.0/0', VGW)]],
  ])(
    'prefers a static route to a propagated route listed %s it',
    (_order, routes) => {
      // Act
      const parts = resolve(routes);

      // Assert
      expect(parts.map(([, text]) => text)).toEqual([
        '0.0.0.0/0 → nat-1',
        '0.0.0.0/0 → nat-1',
        '0.0.0.0/0 → nat-1',
      ]);
    }
  );

  it('prefers a longer propagated route to the prefix-list route', () => {
    // Arrange
    const routes = [S3_ROUTE, propagated('52.217.0.0/16', VGW)];

    // Act
    const parts = resolve(routes);

    // Assert
    expect(parts).toEqual([
      ['3.5.0.0/19', S3_VIA_ENDPOINT],
      ['52.216.0.0/15', S3_VIA_ENDPOINT],
      ['52.217.0.0/16', '52.217.0.0/16 → vgw-1'],
      ['54.231.0.0/16', S3_VIA_ENDPOINT],
    ]);
  });
});

describe('resolveServiceRoutes splitting blocks', () => {
  it('reports both the endpoint part and the more specific part of a split block', () => {
    // Arrange
    const routes = [S3_ROUTE, route.cidr('52.216.10.0/24', NAT)];

    // Act
    const parts = resolve(routes);

    // Assert
    expect(parts).toEqual([
      ['3.5.0.0/19', S3_VIA_ENDPOINT],
      ['52.216.0.0/15', S3_VIA_ENDPOINT],
      ['52.216.10.0/24', '52.216.10.0/24 → nat-1'],
      ['54.231.0.0/16', S3_VIA_ENDPOINT],
    ]);
  });

  it('reports nested more specific routes each for their own part', () => {
    // Arrange
    const routes = [
      S3_ROUTE,
      route.cidr('52.216.10.0/24', NAT),
      route.cidr('52.216.10.0/25', PCX),
    ];

    // Act
    const parts = resolve(routes);

    // Assert
    expect(parts).toEqual([
      ['3.5.0.0/19', S3_VIA_ENDPOINT],
      ['52.216.0.0/15', S3_VIA_ENDPOINT],
      ['52.216.10.0/24', '52.216.10.0/24 → nat-1'],
      ['52.216.10.0/25', '52.216.10.0/25 → pcx-1'],
      ['54.231.0.0/16', S3_VIA_ENDPOINT],
    ]);
  });

  it.each([
    ['the prefix-list route', S3_ROUTE],
    ['a default route', route.cidr('0.0.0.0/0', TGW)],
  ])(
    'leaves nothing to %s when two more specific halves cover the block',
    (_name, covering) => {
      // Arrange
      const routes = [
        covering,
        route.cidr('52.216.0.0/16', NAT),
        route.cidr('52.217.0.0/16', PCX),
      ];

      // Act
      const parts = resolve(routes).filter(([part]) =>
        part.startsWith('52.21')
      );

      // Assert
      expect(parts).toEqual([
        ['52.216.0.0/16', '52.216.0.0/16 → nat-1'],
        ['52.217.0.0/16', '52.217.0.0/16 → pcx-1'],
      ]);
    }
  );

  it('reports nothing for a more specific route whose halves are both taken', () => {
    // Arrange: the /24 to NAT is hidden by its two /25 halves.
    const routes = [
      S3_ROUTE,
      route.cidr('52.216.10.0/24', NAT),
      route.cidr('52.216.10.0/25', PCX),
      route.cidr('52.216.10.128/25', TGW),
    ];

    // Act
    const parts = resolve(routes);

    // Assert
    expect(parts).toEqual([
      ['3.5.0.0/19', S3_VIA_ENDPOINT],
      ['52.216.0.0/15', S3_VIA_ENDPOINT],
      ['52.216.10.0/25', '52.216.10.0/25 → pcx-1'],
      ['52.216.10.128/25', '52.216.10.128/25 → tgw-1'],
      ['54.231.0.0/16', S3_VIA_ENDPOINT],
    ]);
  });

  it('reports the unrouted rest of a block split by a more specific route', () => {
    // Arrange
    const routes = [route.cidr('54.231.7.0/24', NAT)];

    // Act
    const parts = resolve(routes);

    // Assert
    expect(parts).toEqual([
      ['3.5.0.0/19', undefined],
      ['52.216.0.0/15', undefined],
      ['54.231.0.0/16', undefined],
      ['54.231.7.0/24', '54.231.7.0/24 → nat-1'],
    ]);
  });
});

describe('resolveServiceRoutes route selection', () => {
  it.each(['blackhole', 'Blackhole', 'filtered'])(
    'ignores a %s prefix-list route',
    (state) => {
      // Arrange
      const routes = [
        route.prefixList(S3_PL, 'vpce-gone', { State: state }),
        route.cidr('0.0.0.0/0', NAT),
      ];

      // Act
      const parts = resolve(routes);

      // Assert
      expect(parts.map(([, text]) => text)).toEqual([
        '0.0.0.0/0 → nat-1',
        '0.0.0.0/0 → nat-1',
        '0.0.0.0/0 → nat-1',
      ]);
    }
  );

  it('ignores a blackhole route inside a block', () => {
    // Arrange
    const routes = [
      S3_ROUTE,
      route.cidr('52.216.10.0/24', NAT, { State: 'blackhole' }),
    ];

    // Act
    const parts = resolve(routes);

    // Assert
    expect(parts).toEqual([
      ['3.5.0.0/19', S3_VIA_ENDPOINT],
      ['52.216.0.0/15', S3_VIA_ENDPOINT],
      ['54.231.0.0/16', S3_VIA_ENDPOINT],
    ]);
  });

  it('ignores a route to a customer-managed prefix list with the same blocks', () => {
    // Arrange
    const routes = [
      {
        DestinationPrefixListId: CORPORATE_LIST.PrefixListId,
        TransitGatewayId: 'tgw-1',
        Origin: 'CreateRoute',
        State: 'active',
      },
      route.cidr('0.0.0.0/0', NAT),
    ];

    // Act
    const parts = resolve(routes, S3_PREFIX_LIST, [CORPORATE_LIST]);

    // Assert
    expect(parts).toEqual([
      ['3.5.0.0/19', '0.0.0.0/0 → nat-1'],
      ['52.216.0.0/15', '0.0.0.0/0 → nat-1'],
      ['54.231.0.0/16', '0.0.0.0/0 → nat-1'],
    ]);
  });

  it('reports a block no route covers with an undefined route', () => {
    // Arrange: only the local route.
    const inventory = inventoryOf({
      RouteTables: [routeTable('rtb-1', { main: true })],
    });
    const table = inventory.routeTables.get('rtb-1');
    const list = inventory.prefixListsByName.get(S3_PREFIX_LIST.PrefixListName);
    if (!table || !list) throw new Error('fixture lacks rtb-1 or the list');

    // Act
    const parts = resolveServiceRoutes(...resolvable(table, list));

    // Assert
    expect(parts).toEqual([
      { part: '52.216.0.0/15', route: undefined },
      { part: '3.5.0.0/19', route: undefined },
      { part: '54.231.0.0/16', route: undefined },
    ]);
  });
});

describe('resolveServiceRoutes address families', () => {
  it('resolves IPv6 blocks against IPv6 routes and IPv4 blocks against IPv4 routes', () => {
    // Arrange
    const routes = [
      route.cidr('::/0', { EgressOnlyInternetGatewayId: 'eigw-1' }),
      route.cidr('0.0.0.0/0', NAT),
    ];

    // Act
    const parts = resolve(routes, DUAL_STACK_S3);

    // Assert
    expect(parts).toEqual([
      ['2600:1fa0:8000::/39', '::/0 → eigw-1'],
      ['52.216.0.0/15', '0.0.0.0/0 → nat-1'],
    ]);
  });

  it.each([
    [
      'an IPv4 default route',
      route.cidr('0.0.0.0/0', NAT),
      [
        ['2600:1fa0:8000::/39', undefined],
        ['52.216.0.0/15', '0.0.0.0/0 → nat-1'],
      ],
    ],
    [
      'an IPv6 default route',
      route.cidr('::/0', { EgressOnlyInternetGatewayId: 'eigw-1' }),
      [
        ['2600:1fa0:8000::/39', '::/0 → eigw-1'],
        ['52.216.0.0/15', undefined],
      ],
    ],
  ])(
    'gives %s only the blocks of its own family',
    (_name, defaultRoute, expected) => {
      // Act
      const parts = resolve([defaultRoute], DUAL_STACK_S3);

      // Assert
      expect(parts).toEqual(expected);
    }
  );

  it('resolves an IPv6 block split by a more specific IPv6 route', () => {
    // Arrange
    const routes = [
      route.prefixList(DUAL_STACK_S3.PrefixListId, 'vpce-s3'),
      route.cidr('2600:1fa0:8000::/48', PCX),
    ];

    // Act
    const parts = resolve(routes, DUAL_STACK_S3);

    // Assert
    expect(parts).toEqual([
      ['2600:1fa0:8000::/39', 'pl-0dual → vpce-s3'],
      ['2600:1fa0:8000::/48', '2600:1fa0:8000::/48 → pcx-1'],
      ['52.216.0.0/15', 'pl-0dual → vpce-s3'],
    ]);
  });
});
