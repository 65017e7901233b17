/**
 * Finding what a resource references, or saying why it cannot be found.
 * A reference that is not in the inventory means the resource was deleted
 * a moment ago or belongs to another account (a shared VPC's owner sees
 * what its participants cannot); either way the referencing resource is
 * `cannot evaluate`, never a reason to refuse the account-region.
 */
import {
  cannotEvaluate,
  lacking,
  required,
  usable,
} from './cannot-evaluate.js';
import type {
  Inventory,
  PrefixList,
  RouteTable,
  SecurityGroup,
  ServiceDetail,
  Subnet,
  Vpc,
  VpcDns,
  VpcEndpoint,
} from './inventory.js';
import type { ServiceName } from './service-name.js';

const NOT_VISIBLE =
  'not in the inventory (deleted, or owned by another account)';

/**
 * The subnet `id` an endpoint lists.
 *
 * @throws CannotEvaluateError when it is not visible or is ambiguous
 */
const subnetOf = (
  inventory: Inventory,
  endpoint: VpcEndpoint,
  id: string
): Subnet => {
  const subnet = inventory.subnets.get(id);
  if (!subnet) {
    return cannotEvaluate(
      `${endpoint.label} lists subnet ${id}, ${NOT_VISIBLE}`
    );
  }
  return usable(subnet);
};

/**
 * The security group `id` an endpoint lists.
 *
 * @throws CannotEvaluateError when it is not visible or is ambiguous
 */
const securityGroupOf = (
  inventory: Inventory,
  endpoint: VpcEndpoint,
  id: string
): SecurityGroup => {
  const group = inventory.securityGroups.get(id);
  if (!group) {
    return cannotEvaluate(
      `${endpoint.label} lists security group ${id}, ${NOT_VISIBLE}`
    );
  }
  return usable(group);
};

/**
 * The VPC of an endpoint.
 *
 * @throws CannotEvaluateError when the endpoint names none or it is not visible
 */
const vpcOf = (inventory: Inventory, endpoint: VpcEndpoint): Vpc => {
  const vpcId = required(endpoint.vpcId, endpoint, 'VpcId');
  const vpc = inventory.vpcs.get(vpcId);
  if (!vpc)
    return cannotEvaluate(
      `${endpoint.label} is in VPC ${vpcId}, ${NOT_VISIBLE}`
    );
  return usable(vpc);
};

/**
 * The DNS attributes of an endpoint's VPC.
 *
 * @throws CannotEvaluateError when they are not in the inventory
 */
const vpcDnsOf = (inventory: Inventory, endpoint: VpcEndpoint): VpcDns => {
  const vpcId = required(endpoint.vpcId, endpoint, 'VpcId');
  const dns = inventory.vpcDns.get(vpcId);
  if (!dns) {
    return cannotEvaluate(
      `the DNS attributes of ${vpcId} are not in the inventory (VpcAttributes, from DescribeVpcAttribute)`
    );
  }
  return usable(dns);
};

/**
 * A subnet's effective route table, its routes readable.
 *
 * @throws CannotEvaluateError when no table is known or its routes are unreadable
 */
const effectiveTableOf = (
  inventory: Inventory,
  subnet: Subnet
): ReadableRouteTable => {
  const problem = inventory.routeTableProblems.get(subnet.id);
  if (problem !== undefined) return cannotEvaluate(problem);
  const table = inventory.effectiveRouteTables.get(subnet.id);
  if (!table) return cannotEvaluate(`subnet ${subnet.id} has no route table`);
  usable(table);
  // Checked, not copied: many subnets share one table.
  return hasRoutes(table) ? table : cannotEvaluate(lacking(table, 'Routes'));
};

/** A route table whose routes could be read. */
type ReadableRouteTable = RouteTable & {
  readonly routes: NonNullable<RouteTable['routes']>;
};

/** True when the table's routes could be read. */
const hasRoutes = (table: RouteTable): table is ReadableRouteTable =>
  table.routes !== undefined;

/**
 * The AWS-managed prefix list of `service` in the inventory's Region, its
 * CIDRs readable. Resolved by name in every naming scheme of the partition
 * (`com.amazonaws.<region>.s3`, `cn.com.amazonaws.…`), never by a `pl-` id,
 * which differs per Region.
 *
 * @throws CannotEvaluateError when it is missing or unreadable
 */
const managedPrefixListOf = (
  inventory: Inventory,
  service: string
): PrefixList & { readonly cidrs: NonNullable<PrefixList['cidrs']> } => {
  const names = inventory.servicePrefixes.map(
    (prefix) => `${prefix}.${inventory.region}.${service}`
  );
  const found = names
    .map((name) => inventory.prefixListsByName.get(name))
    .find((list) => list !== undefined);
  if (!found) {
    return cannotEvaluate(
      `the AWS-managed prefix list ${names[0]} is not in the inventory ` +
        '(PrefixLists, from DescribePrefixLists), so where its traffic goes is unknown'
    );
  }
  return { ...found, cidrs: required(found.cidrs, found, 'Cidrs') };
};

/**
 * The service an endpoint connects to.
 *
 * @throws CannotEvaluateError when its ServiceName is missing or unreadable
 */
const serviceOf = (endpoint: VpcEndpoint): ServiceName =>
  required(endpoint.service, endpoint, 'ServiceName');

/**
 * The service detail that describes `endpoint`: same service name, and a
 * `ServiceType` that includes the endpoint's type (S3 and DynamoDB publish a
 * Gateway and an Interface detail under one name). `undefined` when the
 * inventory has none.
 *
 * @throws CannotEvaluateError when the service's detail is unreadable
 */
const serviceDetailOf = (
  inventory: Inventory,
  endpoint: VpcEndpoint
): ServiceDetail | undefined => {
  const name = serviceOf(endpoint).name;
  const type = required(endpoint.type, endpoint, 'VpcEndpointType');
  const untyped = inventory.untypedServiceDetails.get(name);
  if (untyped) {
    return cannotEvaluate(
      `${untyped.label}: ${untyped.unreadable.get('ServiceType')}`
    );
  }
  return inventory.serviceDetails.get(name)?.get(type.toLowerCase());
};

export type { ReadableRouteTable };
export {
  effectiveTableOf,
  managedPrefixListOf,
  securityGroupOf,
  serviceDetailOf,
  serviceOf,
  subnetOf,
  vpcDnsOf,
  vpcOf,
};
