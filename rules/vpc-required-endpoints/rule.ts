import { cannotEvaluate, lacking } from '../model/cannot-evaluate.js';
import {
  type Inventory,
  isOwned,
  type Subnet,
  type Vpc,
  type VpcEndpoint,
} from '../model/inventory.js';
import {
  compliant,
  defineRule,
  isExemptByTag,
  nonCompliant,
  notApplicable,
  type Verdict,
} from '../model/rule.js';
import { exposureOf } from '../model/subnet-exposure.js';
import { metadata, parameters } from './metadata.js';

/** Services a gateway endpoint also serves. */
const GATEWAY_SERVICES: ReadonlySet<string> = new Set(['s3', 'dynamodb']);

/**
 * Services whose private DNS name is not `<label>.<region>.<suffix>`: ECR
 * answers on `api.ecr.…` and `*.dkr.ecr.…`, so a hub's private hosted zone
 * for them carries those names.
 */
const DNS_NAME_OVERRIDES: Readonly<
  Record<string, (region: string, suffix: string) => string>
> = {
  'ecr.api': (region, suffix) => `api.ecr.${region}.${suffix}`,
  'ecr.dkr': (region, suffix) => `dkr.ecr.${region}.${suffix}`,
};

/** The DNS name a private hosted zone for the service carries. */
const serviceDnsName = (
  service: string,
  region: string,
  suffix: string
): string =>
  DNS_NAME_OVERRIDES[service]?.(region, suffix) ??
  `${service}.${region}.${suffix}`;

/** The subnets of a VPC: which are private, and which could not be told. */
interface VpcSubnets {
  readonly privateCount: number;
  readonly unknown: readonly Subnet[];
}

/** Every VPC's subnets, sorted by exposure, in one pass over the subnets. */
const subnetsByVpc = (inventory: Inventory): Map<string, VpcSubnets> => {
  const byVpc = new Map<string, { privateCount: number; unknown: Subnet[] }>();
  for (const subnet of inventory.subnets.values()) {
    if (subnet.vpcId === undefined) continue;
    let entry = byVpc.get(subnet.vpcId);
    if (!entry) {
      entry = { privateCount: 0, unknown: [] };
      byVpc.set(subnet.vpcId, entry);
    }
    const exposure = exposureOf(inventory, subnet);
    if (exposure === 'private') entry.privateCount += 1;
    else if (exposure === undefined) entry.unknown.push(subnet);
  }
  return byVpc;
};

const NO_SUBNETS: VpcSubnets = { privateCount: 0, unknown: [] };

/** Why a subnet's exposure is unknown: no route table, or unreadable routes. */
const whyExposureUnknown = (inventory: Inventory, subnet: Subnet): string => {
  const problem = inventory.routeTableProblems.get(subnet.id);
  if (problem !== undefined) return problem;
  const table = inventory.effectiveRouteTables.get(subnet.id);
  return table
    ? lacking(table, 'Routes')
    : `${subnet.label} has no route table`;
};

/**
 * True when the endpoint gives the VPC private access to `service`: an
 * available Interface endpoint of the service (for S3 and DynamoDB a
 * Gateway endpoint too), in the inventory's Region.
 */
const servesService = (
  endpoint: VpcEndpoint,
  service: string,
  region: string
): boolean => {
  const type = endpoint.type?.toLowerCase();
  const typeFits =
    type === 'interface' ||
    (type === 'gateway' && GATEWAY_SERVICES.has(service));
  return (
    typeFits &&
    endpoint.state === 'available' &&
    endpoint.service?.origin === 'aws' &&
    endpoint.service.region === region &&
    endpoint.service.label === service
  );
};

/**
 * An endpoint that might serve a required service but cannot be read: its
 * type or state is missing, or it is an Interface or Gateway endpoint
 * without a service name (VPC Lattice endpoints have none and serve none).
 */
const isUndecided = (endpoint: VpcEndpoint): boolean => {
  const type = endpoint.type?.toLowerCase();
  if (type === undefined || endpoint.state === undefined) return true;
  return (
    (type === 'interface' || type === 'gateway') &&
    endpoint.service === undefined
  );
};

/** The required services no endpoint of the VPC serves. */
const servicesWithoutEndpoint = (
  inventory: Inventory,
  vpcId: string,
  services: readonly string[]
): string[] => {
  const endpoints = inventory.endpointsByVpc.get(vpcId) ?? [];
  return services.filter(
    (service) =>
      !endpoints.some((endpoint) =>
        servesService(endpoint, service, inventory.region)
      )
  );
};

/**
 * The VPC's private hosted zone names, or a `cannot evaluate` naming why
 * they are not known.
 *
 * @throws CannotEvaluateError when the zones were not looked up or are unreadable
 */
const zoneNamesOf = (inventory: Inventory, vpc: Vpc): Set<string> => {
  const looked = inventory.hostedZones.get(vpc.id);
  if (!looked) {
    return cannotEvaluate(
      `the private hosted zones of ${vpc.id} are not in the inventory ` +
        '(VpcHostedZones, from Route 53 ListHostedZonesByVPC)'
    );
  }
  if (!looked.zones)
    return cannotEvaluate(lacking(looked, 'HostedZoneSummaries'));
  return new Set(looked.zones.map((zone) => zone.name));
};

/** `ssm`, `ssm and ec2`, `ssm, ec2 and ecr.api`. */
const listed = (items: readonly string[]): string =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/**
 * The verdict of a VPC with private subnets, from what its endpoints and
 * its private hosted zones serve.
 *
 * @throws CannotEvaluateError when an endpoint or the zones needed for a
 *   service cannot be read
 */
const judgeServices = (
  inventory: Inventory,
  vpc: Vpc,
  services: readonly string[]
): Verdict => {
  const withoutEndpoint = servicesWithoutEndpoint(inventory, vpc.id, services);
  if (withoutEndpoint.length === 0) {
    return compliant(
      `private access to ${listed(services)} through endpoints in the VPC`
    );
  }
  const undecided = (inventory.endpointsByVpc.get(vpc.id) ?? []).find(
    isUndecided
  );
  if (undecided) {
    // The endpoint that cannot be read might be the missing one.
    return cannotEvaluate(
      lacking(
        undecided,
        undecided.type === undefined
          ? 'VpcEndpointType'
          : undecided.state === undefined
            ? 'State'
            : 'ServiceName'
      )
    );
  }
  const suffix = inventory.dnsSuffix;
  if (suffix === undefined) {
    return cannotEvaluate(
      `the DNS suffix of Region ${inventory.region} is not known, so the hosted zone names of ${listed(withoutEndpoint)} are not`
    );
  }
  const zones = zoneNamesOf(inventory, vpc);
  const missing = withoutEndpoint.filter(
    (service) => !zones.has(serviceDnsName(service, inventory.region, suffix))
  );
  const [only] = missing;
  if (only !== undefined) {
    const zone =
      missing.length === 1
        ? `no associated private hosted zone ${serviceDnsName(only, inventory.region, suffix)}`
        : 'no associated private hosted zone for their DNS names';
    return nonCompliant(
      `no private access to ${listed(missing)}: no available interface endpoint in the VPC, ${zone}`
    );
  }
  const viaEndpoint = services.filter((s) => !withoutEndpoint.includes(s));
  if (viaEndpoint.length === 0) {
    return compliant(
      `private access to ${listed(services)} through associated private hosted zones`
    );
  }
  return compliant(
    `private access to ${listed(services)}: ${listed(viaEndpoint)} through endpoints, ` +
      `${listed(withoutEndpoint)} through associated private hosted zones`
  );
};

/** `vpc-required-endpoints`: see rules/vpc-required-endpoints/README.md. */
const rule = defineRule({
  metadata,
  parameters,
  resources: (inventory) => inventory.vpcs.values(),
  judge: (inventory, { requiredServices }) => {
    const subnets = subnetsByVpc(inventory);
    return (vpc) => {
      const { privateCount, unknown } = subnets.get(vpc.id) ?? NO_SUBNETS;
      if (privateCount === 0) {
        const [undecided] = unknown;
        if (undecided)
          return cannotEvaluate(whyExposureUnknown(inventory, undecided));
        return notApplicable('no private subnets');
      }
      return judgeServices(inventory, vpc, requiredServices);
    };
  },
  // Only VPCs a lookup could change: owned, not exempt, with private
  // subnets, every endpoint readable (judgeServices stops before the zones
  // otherwise), and a required service no endpoint serves, in a Region
  // whose DNS names are known. Every other VPC costs no Route 53 call.
  hostedZoneVpcs: (inventory, { requiredServices, exemptTagKey }) => {
    if (inventory.dnsSuffix === undefined) return [];
    const subnets = subnetsByVpc(inventory);
    return [...inventory.vpcs.values()]
      .filter(
        (vpc) =>
          isOwned(inventory, vpc) &&
          !isExemptByTag(vpc.tags, exemptTagKey, metadata.id) &&
          (subnets.get(vpc.id)?.privateCount ?? 0) > 0 &&
          !(inventory.endpointsByVpc.get(vpc.id) ?? []).some(isUndecided) &&
          servicesWithoutEndpoint(inventory, vpc.id, requiredServices).length >
            0
      )
      .map((vpc) => vpc.id);
  },
});

export { rule };
