import { isEvaluableState, isOfType, locate } from '../model/endpoint-scope.js';
import { InputError } from '../model/errors.js';
import type {
  Inventory,
  PrefixList,
  Route,
  RouteTable,
  Subnet,
  VpcEndpoint,
} from '../model/inventory.js';
import {
  type ResolvedPart,
  resolveServiceRoutes,
} from '../model/route-resolution.js';
import {
  compliant,
  defineRule,
  nonCompliant,
  notApplicable,
} from '../model/rule.js';
import { isAwsServiceIn } from '../model/service-name.js';
import { metadata, parameters } from './metadata.js';

/** What one service's traffic from one route table does. */
interface ServiceOutcome {
  readonly failed: boolean;
  readonly text: string;
}

/**
 * The route that makes a subnet public: an active default route (IPv4 or
 * IPv6) to an internet gateway. NAT, transit gateway, egress-only IGW,
 * virtual private gateway and firewall endpoints leave a subnet private.
 */
const internetGatewayDefaultRoute = (table: RouteTable): Route | undefined =>
  table.routes.find(
    (route) =>
      route.active &&
      route.destination.kind === 'cidr' &&
      route.destination.cidr.prefix === 0 &&
      route.target?.kind === 'gateway' &&
      route.target.id.startsWith('igw-')
  );

const prefixListOf = (inventory: Inventory, service: string): PrefixList => {
  const name = `com.amazonaws.${inventory.region}.${service}`;
  const found =
    inventory.prefixListsByName.get(name) ??
    inventory.prefixListsByName.get(`cn.${name}`);
  if (!found) {
    throw new InputError(
      `${locate(inventory)}: the AWS-managed prefix list ${name} is not in the inventory ` +
        '(PrefixLists, from DescribePrefixLists); cannot tell where its traffic goes'
    );
  }
  return found;
};

/** True for an available Gateway endpoint of `service` in `vpcId`. */
const isGatewayEndpointFor = (
  endpoint: VpcEndpoint,
  service: string,
  vpcId: string,
  region: string
): boolean =>
  isOfType(endpoint, 'Gateway') &&
  isAwsServiceIn(endpoint.service, service, region) &&
  endpoint.vpcId === vpcId &&
  endpoint.state === 'available';

/**
 * An interface endpoint for the service whose private DNS answers in-VPC
 * clients: they then resolve the service to it, not to the gateway.
 * `PrivateDnsOnlyForInboundResolverEndpoint` keeps VPC clients on the gateway.
 */
const dnsCapturingInterfaceEndpoint = (
  inventory: Inventory,
  vpcId: string,
  service: string
): VpcEndpoint | undefined =>
  (inventory.endpointsByVpc.get(vpcId) ?? []).find(
    (endpoint) =>
      isOfType(endpoint, 'Interface') &&
      isAwsServiceIn(endpoint.service, service, inventory.region) &&
      isEvaluableState(endpoint) &&
      endpoint.privateDnsEnabled &&
      !endpoint.privateDnsOnlyForInboundResolverEndpoint
  );

const TARGET_NAMES: Readonly<Record<string, string>> = {
  'igw-': 'internet gateway',
  'vgw-': 'virtual private gateway',
};

const describeEndpointTarget = (
  endpoint: VpcEndpoint | undefined,
  id: string
): string => {
  if (!endpoint) return `endpoint ${id} (not in the inventory)`;
  if (isOfType(endpoint, 'GatewayLoadBalancer'))
    return `Gateway Load Balancer endpoint ${id}`;
  if (!isOfType(endpoint, 'Gateway')) return `${endpoint.type} endpoint ${id}`;
  if (endpoint.state !== 'available')
    return `gateway endpoint ${id} (${endpoint.raw.State})`;
  return `gateway endpoint ${id} of ${endpoint.service.label}`;
};

/** Names where a route sends traffic, for annotations. */
const describeTarget = (inventory: Inventory, route: Route): string => {
  const target = route.target;
  if (!target) return 'no target';
  if (target.kind !== 'gateway')
    return `${target.kind.replaceAll('-', ' ')} ${target.id}`;
  if (target.id.startsWith('vpce-')) {
    return describeEndpointTarget(
      inventory.endpoints.get(target.id),
      target.id
    );
  }
  const prefix = Object.keys(TARGET_NAMES).find((p) => target.id.startsWith(p));
  return prefix ? `${TARGET_NAMES[prefix]} ${target.id}` : target.id;
};

const viaGatewayEndpoint = (
  inventory: Inventory,
  table: RouteTable,
  service: string,
  part: ResolvedPart
): string | undefined => {
  const id =
    part.route?.target?.kind === 'gateway' ? part.route.target.id : undefined;
  const endpoint = id === undefined ? undefined : inventory.endpoints.get(id);
  return endpoint &&
    isGatewayEndpointFor(endpoint, service, table.vpcId, inventory.region)
    ? endpoint.id
    : undefined;
};

const judgeService = (
  inventory: Inventory,
  table: RouteTable,
  service: string,
  parts: readonly ResolvedPart[],
  requireGatewayRoute: boolean
): ServiceOutcome => {
  const capturing = dnsCapturingInterfaceEndpoint(
    inventory,
    table.vpcId,
    service
  );
  if (capturing) {
    return {
      failed: true,
      text:
        `${service}: interface endpoint ${capturing.id} has private DNS on for VPC ` +
        'clients, so they bypass the gateway endpoint',
    };
  }
  const endpoints = new Set<string>();
  const unrouted: string[] = [];
  const leaks: string[] = [];
  for (const part of parts) {
    const endpoint = viaGatewayEndpoint(inventory, table, service, part);
    if (endpoint) endpoints.add(endpoint);
    else if (!part.route) unrouted.push(part.part);
    else {
      leaks.push(
        `${part.part} leaves via ${describeTarget(inventory, part.route)} ` +
          `(route ${part.route.text} in ${table.id})`
      );
    }
  }
  if (leaks.length > 0) {
    const more = leaks.length > 1 ? ` and ${leaks.length - 1} more` : '';
    return { failed: true, text: `${service} ${leaks[0]}${more}` };
  }
  if (endpoints.size === 0) {
    return requireGatewayRoute
      ? {
          failed: true,
          text: `no route to ${service}, and requireGatewayRoute is true`,
        }
      : { failed: false, text: `no route to ${service}` };
  }
  const via = `${service} via ${[...endpoints].join(', ')}`;
  if (unrouted.length === 0) return { failed: false, text: via };
  const gap = `${unrouted.length} of ${parts.length} blocks have no route`;
  return requireGatewayRoute
    ? {
        failed: true,
        text: `${via}, but ${gap} and requireGatewayRoute is true`,
      }
    : { failed: false, text: `${via} (${gap})` };
};

const effectiveTableOf = (inventory: Inventory, subnet: Subnet): RouteTable => {
  const table = inventory.effectiveRouteTables.get(subnet.id);
  if (!table) {
    throw new InputError(
      `${locate(inventory)}: subnet ${subnet.id} has no route table: neither an ` +
        `explicit association nor the main route table of ${subnet.vpcId} is in the inventory`
    );
  }
  return table;
};

/** `private-subnet-gateway-endpoints`: see DESIGN.md §2.1. */
const rule = defineRule({
  metadata,
  parameters,
  resources: (inventory) => inventory.subnets.values(),
  judge: (inventory, { services, requireGatewayRoute }) => {
    // Subnets sharing a route table share its resolution.
    const resolved = new Map<string, ResolvedPart[]>();
    const partsFor = (table: RouteTable, service: string): ResolvedPart[] => {
      const key = `${table.id} ${service}`;
      let parts = resolved.get(key);
      if (!parts) {
        parts = resolveServiceRoutes(table, prefixListOf(inventory, service));
        resolved.set(key, parts);
      }
      return parts;
    };
    return (subnet) => {
      const table = effectiveTableOf(inventory, subnet);
      const igwRoute = internetGatewayDefaultRoute(table);
      if (igwRoute)
        return notApplicable(`public subnet: ${igwRoute.text} in ${table.id}`);
      const outcomes = services.map((service) =>
        judgeService(
          inventory,
          table,
          service,
          partsFor(table, service),
          requireGatewayRoute
        )
      );
      const failures = outcomes.filter((o) => o.failed);
      return failures.length > 0
        ? nonCompliant(failures.map((o) => o.text).join('; '))
        : compliant(outcomes.map((o) => o.text).join('; '));
    };
  },
});

export { internetGatewayDefaultRoute, rule };
