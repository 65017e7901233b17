import { cannotEvaluate, required } from '../model/cannot-evaluate.js';
import { outOfScope } from '../model/endpoint-scope.js';
import type {
  Inventory,
  ServiceDetail,
  Subnet,
  VpcEndpoint,
} from '../model/inventory.js';
import { serviceDetailOf, subnetOf } from '../model/lookups.js';
import { compliant, defineRule, nonCompliant } from '../model/rule.js';
import { metadata, parameters } from './metadata.js';

const subnetsOf = (inventory: Inventory, endpoint: VpcEndpoint): Subnet[] =>
  required(endpoint.subnetIds, endpoint, 'SubnetIds').map((id) =>
    subnetOf(inventory, endpoint, id)
  );

/** The zone of each subnet, by AZ ID or by name, as the detail counts them. */
const zonesOf = (subnets: readonly Subnet[], by: 'id' | 'name'): string[] =>
  subnets.map((subnet) =>
    by === 'id'
      ? required(subnet.availabilityZoneId, subnet, 'AvailabilityZoneId')
      : required(subnet.availabilityZone, subnet, 'AvailabilityZone')
  );

/**
 * The detail's offered zones, when it lists some in a form that is
 * unreadable: its cap on the required count is then unknown.
 *
 * @throws CannotEvaluateError naming the unreadable list
 */
const readableZones = (detail: ServiceDetail | undefined): void => {
  for (const field of ['AvailabilityZoneIds', 'AvailabilityZones']) {
    const problem = detail?.unreadable.get(field);
    if (problem !== undefined) cannotEvaluate(`${detail?.label}: ${problem}`);
  }
};

const distinct = (values: readonly string[]): string[] =>
  [...new Set(values)].sort();

/**
 * Where the service is offered, by AZ ID when the detail has them (AZ names
 * are per-account aliases), else by AZ name; `undefined` when unknown.
 */
const offeredZones = (
  detail: ServiceDetail | undefined
):
  | { readonly by: 'id' | 'name'; readonly zones: readonly string[] }
  | undefined => {
  if (detail?.availabilityZoneIds?.length) {
    return { by: 'id', zones: detail.availabilityZoneIds };
  }
  if (detail?.availabilityZones?.length) {
    return { by: 'name', zones: detail.availabilityZones };
  }
  return undefined;
};

/** `interface-endpoint-multi-az`: see `rules/interface-endpoint-multi-az/README.md`. */
const rule = defineRule({
  metadata,
  parameters,
  resources: (inventory) => inventory.endpoints.values(),
  judge:
    (inventory, { minAzs }) =>
    (endpoint) => {
      const skip = outOfScope(endpoint, ['Interface']);
      if (skip) return skip;
      const subnets = subnetsOf(inventory, endpoint);
      const detail = serviceDetailOf(inventory, endpoint);
      readableZones(detail);
      const offered = offeredZones(detail);
      // AZ IDs name the same zone in every account; names are per-account
      // aliases, compared only when the detail lists names alone.
      const azIds = distinct(zonesOf(subnets, 'id'));
      const required = offered
        ? Math.min(minAzs, offered.zones.length)
        : minAzs;
      const found = `subnets in ${azIds.length} AZ${azIds.length === 1 ? '' : 's'} (${azIds.join(', ') || 'none'})`;
      if (azIds.length >= required) {
        const capped =
          required < minAzs
            ? `; the service is offered in only ${required}`
            : '';
        return compliant(`${found}${capped}`);
      }
      const used = new Set(
        offered?.by === 'name' ? zonesOf(subnets, 'name') : azIds
      );
      const missing = (offered?.zones ?? []).filter((zone) => !used.has(zone));
      const also =
        missing.length > 0 ? `; also offered in ${missing.join(', ')}` : '';
      return nonCompliant(`${found}, needs ${required}${also}`);
    },
});

export { rule };
