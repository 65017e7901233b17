/**
 * Whether a subnet is public or private, as every part of vpce-guard reads
 * it: public when its effective route table has an active default route
 * (IPv4 or IPv6) to an internet gateway. NAT, transit gateway, egress-only
 * internet gateway, virtual private gateway and firewall endpoints leave a
 * subnet private. See rules/private-subnet-gateway-endpoints/README.md.
 */
import type { Inventory, Route, Subnet } from './inventory.js';

/** The route that makes a subnet public, or `undefined` when there is none. */
const internetGatewayDefaultRoute = (
  routes: readonly Route[]
): Route | undefined =>
  routes.find(
    (route) =>
      route.active &&
      route.destination.kind === 'cidr' &&
      route.destination.cidr.prefix === 0 &&
      route.target?.kind === 'gateway' &&
      route.target.id.startsWith('igw-')
  );

/**
 * `public` or `private`, or `undefined` when the subnet's effective route
 * table or its routes are not known (then nothing can be said).
 */
const exposureOf = (
  inventory: Inventory,
  subnet: Subnet
): 'public' | 'private' | undefined => {
  const routes = inventory.effectiveRouteTables.get(subnet.id)?.routes;
  if (routes === undefined) return undefined;
  return internetGatewayDefaultRoute(routes) ? 'public' : 'private';
};

export { exposureOf, internetGatewayDefaultRoute };
