import { cannotEvaluate, required, usable } from '../model/cannot-evaluate.js';
import { isEvaluableState, isOfType } from '../model/endpoint-scope.js';
import type {
  Inventory,
  Route,
  RouteTable,
  RouteTargetKind,
  VpcEndpoint,
} from '../model/inventory.js';
import {
  effectiveTableOf,
  managedPrefixListOf,
  type ReadableRouteTable,
  serviceOf,
} from '../model/lookups.js';
import {
  type ResolvedPart,
  resolveServiceRoutes,
} from '../model/route-resolution.js';
import {
  compliant,
  defineRule,
  nonCompliant,
  notApplicable,
  type Verdict,
} from '../model/rule.js';
import { isAwsServiceIn } from '../model/service-name.js';
import { internetGatewayDefaultRoute } from '../model/subnet-exposure.js';
import { metadata, parameters } from './metadata.js';

/**
 * True for an available Gateway endpoint of `service` in `vpcId`.
 *
 * @throws CannotEvaluateError when a field that decides it is unreadable
 */
const isGatewayEndpointFor = (
  endpoint: VpcEndpoint,
  service: string,
  vpcId: string | undefined,
  region: string
): boolean =>
  isOfType(endpoint, 'Gateway') &&
  isAwsServiceIn(serviceOf(endpoint), service, region) &&
  required(endpoint.vpcId, endpoint, 'VpcId') === vpcId &&
  required(endpoint.state, endpoint, 'State') === 'available';

/**
 * An interface endpoint for the service whose private DNS answers in-VPC
 * clients: they then resolve the service to it, not to the gateway.
 * `PrivateDnsOnlyForInboundResolverEndpoint` keeps VPC clients on the gateway.
 */
const dnsCapturingInterfaceEndpoint = (
  inventory: Inventory,
  vpcId: string | undefined,
  service: string
): VpcEndpoint | undefined =>
  (vpcId === undefined ? [] : (inventory.endpointsByVpc.get(vpcId) ?? [])).find(
    (endpoint) =>
      isOfType(endpoint, 'Interface') &&
      isAwsServiceIn(serviceOf(endpoint), service, inventory.region) &&
      isEvaluableState(endpoint) &&
      required(endpoint.privateDnsEnabled, endpoint, 'PrivateDnsEnabled') &&
      !required(
        endpoint.privateDnsOnlyForInboundResolverEndpoint,
        endpoint,
        'DnsOptions'
      )
  );

const GATEWAY_NAMES: Readonly<Record<string, string>> = {
  'igw-': 'internet gateway',
  'vgw-': 'virtual private gateway',
};

const KIND_NAMES: Readonly<Record<RouteTargetKind, string>> = {
  gateway: 'gateway',
  'nat-gateway': 'NAT gateway',
  'transit-gateway': 'transit gateway',
  'peering-connection': 'peering connection',
  'network-interface': 'network interface',
  instance: 'instance',
  'egress-only-internet-gateway': 'egress-only internet gateway',
  'local-gateway': 'local gateway',
  'carrier-gateway': 'carrier gateway',
  'core-network': 'core network',
  other: 'route target',
};

const describeEndpointTarget = (
  endpoint: VpcEndpoint,
  table: RouteTable,
  region: string
): string => {
  const { id } = endpoint;
  if (isOfType(endpoint, 'GatewayLoadBalancer'))
    return `Gateway Load Balancer endpoint ${id}`;
  if (!isOfType(endpoint, 'Gateway')) return `${endpoint.type} endpoint ${id}`;
  if (endpoint.state !== 'available')
    return `gateway endpoint ${id}, which is ${endpoint.stateText}`;
  // Name why an available gateway endpoint does not count: its VPC or the
  // Region in its service name.
  const service = serviceOf(endpoint);
  if (endpoint.vpcId !== table.vpcId)
    return `gateway endpoint ${id} in ${endpoint.vpcId}, not ${table.vpcId}`;
  if (service.region !== region)
    return `gateway endpoint ${id} of ${service.name}`;
  return `gateway endpoint ${id} of ${service.label}`;
};

/**
 * The endpoint a route targets. One that is not visible was deleted a
 * moment ago or is another account's: where the traffic goes is unknown.
 *
 * @throws CannotEvaluateError when it is not in the inventory
 */
const routedEndpoint = (
  inventory: Inventory,
  table: RouteTable,
  route: Route,
  id: string
): VpcEndpoint => {
  const endpoint = inventory.endpoints.get(id);
  if (!endpoint) {
    return cannotEvaluate(
      `${table.label} routes ${route.destinationText} to endpoint ${id}, ` +
        'which is not in the inventory (deleted, or owned by another account)'
    );
  }
  return usable(endpoint);
};

/** Names where a route of `table` sends traffic, for annotations. */
const describeTarget = (
  inventory: Inventory,
  table: RouteTable,
  route: Route
): string => {
  const target = route.target;
  if (!target) return 'no target';
  if (target.kind !== 'gateway')
    return `${KIND_NAMES[target.kind]} ${target.id}`;
  if (target.id.startsWith('vpce-')) {
    return describeEndpointTarget(
      routedEndpoint(inventory, table, route, target.id),
      table,
      inventory.region
    );
  }
  const prefix = Object.keys(GATEWAY_NAMES).find((p) =>
    target.id.startsWith(p)
  );
  return prefix ? `${GATEWAY_NAMES[prefix]} ${target.id}` : target.id;
};

const viaGatewayEndpoint = (
  inventory: Inventory,
  table: RouteTable,
  service: string,
  part: ResolvedPart
): string | undefined => {
  const route = part.route;
  const id =
    route?.target?.kind === 'gateway' && route.target.id.startsWith('vpce-')
      ? route.target.id
      : undefined;
  if (route === undefined || id === undefined) return undefined;
  const endpoint = routedEndpoint(inventory, table, route, id);
  return isGatewayEndpointFor(endpoint, service, table.vpcId, inventory.region)
    ? endpoint.id
    : undefined;
};

/** Where one service's traffic from one route table goes. */
interface ServiceTrace {
  readonly service: string;
  /** An interface endpoint whose private DNS takes the VPC's traffic. */
  readonly capturedBy: VpcEndpoint | undefined;
  /** Routes that carry some of the traffic anywhere but a gateway endpoint. */
  readonly leaks: readonly Route[];
  /** Gateway endpoints that carry some of it. */
  readonly endpoints: readonly string[];
  readonly unroutedBlocks: number;
  readonly blocks: number;
}

const traceService = (
  inventory: Inventory,
  table: RouteTable,
  service: string,
  parts: readonly ResolvedPart[]
): ServiceTrace => {
  const endpoints = new Set<string>();
  const leaks = new Set<Route>();
  let unroutedBlocks = 0;
  for (const part of parts) {
    const endpoint = viaGatewayEndpoint(inventory, table, service, part);
    if (endpoint) endpoints.add(endpoint);
    else if (part.route) leaks.add(part.route);
    else unroutedBlocks += 1;
  }
  return {
    service,
    capturedBy: dnsCapturingInterfaceEndpoint(inventory, table.vpcId, service),
    leaks: [...leaks],
    endpoints: [...endpoints],
    unroutedBlocks,
    blocks: parts.length,
  };
};

const failsTrace = (
  trace: ServiceTrace,
  requireGatewayRoute: boolean
): boolean =>
  trace.capturedBy !== undefined ||
  trace.leaks.length > 0 ||
  (requireGatewayRoute && trace.unroutedBlocks > 0);

const MAX_LISTED_ROUTES = 3;

/** `route 0.0.0.0/0`, or `routes 52.216.10.0/24, 54.231.1.0/24 and 2 more`. */
const listRoutes = (routes: readonly Route[]): string => {
  const shown = routes
    .slice(0, MAX_LISTED_ROUTES)
    .map((r) => r.destinationText);
  const more = routes.length - shown.length;
  return `${routes.length > 1 ? 'routes' : 'route'} ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
};

const unroutedText = (trace: ServiceTrace): string =>
  `${trace.unroutedBlocks} of ${trace.blocks} blocks have no route`;

/**
 * The annotation of a failing subnet. Services leaking through the same
 * route are named together, so S3 and DynamoDB leaving by one NAT default
 * route is one clause, not two that overflow the annotation.
 */
const describeFailures = (
  inventory: Inventory,
  table: RouteTable,
  traces: readonly ServiceTrace[],
  requireGatewayRoute: boolean
): string => {
  const clauses: string[] = [];
  const leaksByTarget = new Map<
    string,
    { services: Set<string>; routes: Set<Route> }
  >();
  for (const trace of traces) {
    if (trace.capturedBy) {
      clauses.push(
        `${trace.service}: interface endpoint ${trace.capturedBy.id} has private ` +
          'DNS on for VPC clients, so they bypass the gateway endpoint'
      );
      continue;
    }
    for (const route of trace.leaks) {
      const target = describeTarget(inventory, table, route);
      const group = leaksByTarget.get(target) ?? {
        services: new Set(),
        routes: new Set(),
      };
      group.services.add(trace.service);
      group.routes.add(route);
      leaksByTarget.set(target, group);
    }
  }
  for (const [target, { services, routes }] of leaksByTarget) {
    const names = [...services].join(' and ');
    const verb = services.size > 1 ? 'leave' : 'leaves';
    clauses.push(
      `${names} ${verb} via ${target} (${listRoutes([...routes])} in ${table.id})`
    );
  }
  for (const trace of traces) {
    if (trace.capturedBy || trace.leaks.length > 0 || !requireGatewayRoute)
      continue;
    if (trace.unroutedBlocks === 0) continue;
    clauses.push(
      trace.endpoints.length === 0
        ? `no route to ${trace.service}, and requireGatewayRoute is true`
        : `${trace.service} via ${trace.endpoints.join(', ')}, but ${unroutedText(trace)} ` +
            'and requireGatewayRoute is true'
    );
  }
  return clauses.join('; ');
};

/** The annotation of a passing subnet: where each service's traffic goes. */
const describePass = (trace: ServiceTrace): string => {
  if (trace.endpoints.length === 0) return `no route to ${trace.service}`;
  const via = `${trace.service} via ${trace.endpoints.join(', ')}`;
  return trace.unroutedBlocks === 0 ? via : `${via} (${unroutedText(trace)})`;
};

/** `private-subnet-gateway-endpoints`: see `rules/private-subnet-gateway-endpoints/README.md`. */
const rule = defineRule({
  metadata,
  parameters,
  resources: (inventory) => inventory.subnets.values(),
  judge: (inventory, { services, requireGatewayRoute }) => {
    const judgeTable = (table: ReadableRouteTable): Verdict => {
      const igwRoute = internetGatewayDefaultRoute(table.routes);
      if (igwRoute)
        return notApplicable(`public subnet: ${igwRoute.text} in ${table.id}`);
      const traces = services.map((service) =>
        traceService(
          inventory,
          table,
          service,
          resolveServiceRoutes(
            table.routes,
            managedPrefixListOf(inventory, service)
          )
        )
      );
      return traces.some((t) => failsTrace(t, requireGatewayRoute))
        ? nonCompliant(
            describeFailures(inventory, table, traces, requireGatewayRoute)
          )
        : compliant(traces.map(describePass).join('; '));
    };
    // Subnets sharing a route table share its verdict, which names the
    // table and never the subnet: each table is judged once.
    const verdicts = new Map<string, Verdict>();
    return (subnet) => {
      const table = effectiveTableOf(inventory, subnet);
      let verdict = verdicts.get(table.id);
      if (verdict === undefined) {
        verdict = judgeTable(table);
        verdicts.set(table.id, verdict);
      }
      return verdict;
    };
  },
});

export { rule };
