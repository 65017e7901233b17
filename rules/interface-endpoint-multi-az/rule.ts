import { locate, outOfScope } from '../model/endpoint-scope.js';
import { InputError } from '../model/errors.js';
import {
  type Inventory,
  type ServiceDetail,
  type Subnet,
  serviceDetailOf,
  type VpcEndpoint,
} from '../model/inventory.js';
import { compliant, defineRule, nonCompliant } from '../model/rule.js';
import { metadata, parameters } from './metadata.js';

const subnetsOf = (inventory: Inventory, endpoint: VpcEndpoint): Subnet[] =>
  endpoint.subnetIds.map((id) => {
    const subnet = inventory.subnets.get(id);
    if (!subnet) {
      throw new InputError(
        `${locate(inventory)}: endpoint ${endpoint.id} lists subnet ${id}, which is not in the inventory`
      );
    }
    return subnet;
  });

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

/** `interface-endpoint-multi-az`: see DESIGN.md §2.2. */
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
      const azIds = distinct(subnets.map((s) => s.availabilityZoneId));
      const offered = offeredZones(serviceDetailOf(inventory, endpoint));
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
        offered?.by === 'name' ? subnets.map((s) => s.availabilityZone) : azIds
      );
      const missing = (offered?.zones ?? []).filter((zone) => !used.has(zone));
      const also =
        missing.length > 0 ? `; also offered in ${missing.join(', ')}` : '';
      return nonCompliant(`${found}, needs ${required}${also}`);
    },
});

export { rule };
