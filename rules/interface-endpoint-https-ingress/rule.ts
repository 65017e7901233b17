import { locate, outOfScope } from '../model/endpoint-scope.js';
import { InputError } from '../model/errors.js';
import type {
  Inventory,
  SecurityGroup,
  Vpc,
  VpcEndpoint,
} from '../model/inventory.js';
import { compliant, defineRule, nonCompliant } from '../model/rule.js';
import { findHttpsIngress } from '../model/security-group-ingress.js';
import { metadata, parameters } from './metadata.js';

const missing = (
  inventory: Inventory,
  endpoint: VpcEndpoint,
  what: string
): InputError =>
  new InputError(
    `${locate(inventory)}: endpoint ${endpoint.id} refers to ${what}, which is not in the inventory`
  );

const vpcOf = (inventory: Inventory, endpoint: VpcEndpoint): Vpc => {
  const vpc = inventory.vpcs.get(endpoint.vpcId);
  if (!vpc) throw missing(inventory, endpoint, `VPC ${endpoint.vpcId}`);
  return vpc;
};

const groupsOf = (
  inventory: Inventory,
  endpoint: VpcEndpoint
): SecurityGroup[] =>
  endpoint.groupIds.map((id) => {
    const group = inventory.securityGroups.get(id);
    if (!group) throw missing(inventory, endpoint, `security group ${id}`);
    return group;
  });

/** `interface-endpoint-https-ingress`: see DESIGN.md §2.5. */
const rule = defineRule({
  metadata,
  parameters,
  resources: (inventory) => inventory.endpoints.values(),
  judge: (inventory) => (endpoint) => {
    const skip = outOfScope(endpoint, ['Interface']);
    if (skip) return skip;
    const vpc = vpcOf(inventory, endpoint);
    const groups = groupsOf(inventory, endpoint);
    const ingress = findHttpsIngress(groups, vpc);
    if (ingress) {
      return compliant(
        `${ingress.group.id} admits TCP 443 from ${ingress.source}`
      );
    }
    const looked = groups.map((g) => g.id).join(', ') || 'no security group';
    const blocks = vpc.ipv4Cidrs.map((c) => c.text).join(', ');
    return nonCompliant(
      `${looked}: no inbound TCP 443 from the VPC (${blocks})`
    );
  },
});

export { rule };
