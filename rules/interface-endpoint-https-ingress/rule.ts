import { cannotEvaluate, required } from '../model/cannot-evaluate.js';
import { outOfScope } from '../model/endpoint-scope.js';
import type {
  Inventory,
  SecurityGroup,
  Vpc,
  VpcEndpoint,
} from '../model/inventory.js';
import { securityGroupOf, vpcOf } from '../model/lookups.js';
import { compliant, defineRule, nonCompliant } from '../model/rule.js';
import { findHttpsIngress } from '../model/security-group-ingress.js';
import { metadata, parameters } from './metadata.js';

const groupsOf = (
  inventory: Inventory,
  endpoint: VpcEndpoint
): SecurityGroup[] =>
  required(endpoint.groupIds, endpoint, 'Groups').map((id) =>
    securityGroupOf(inventory, endpoint, id)
  );

/**
 * A group whose permissions are partly unreadable: with no readable
 * permission admitting HTTPS, the unreadable one might.
 *
 * @throws CannotEvaluateError naming it
 */
const noUnreadablePermissions = (groups: readonly SecurityGroup[]): void => {
  for (const group of groups) {
    const problem = group.unreadable.get('IpPermissions');
    if (problem !== undefined) cannotEvaluate(`${group.label}: ${problem}`);
  }
};

/**
 * The field to blame when a VPC's IPv4 blocks are unknown: the block list
 * when it is the part that could not be read, else the primary block.
 */
const ipv4Field = (vpc: Vpc): string =>
  vpc.unreadable.has('CidrBlockAssociationSet')
    ? 'CidrBlockAssociationSet'
    : 'CidrBlock';

/** `interface-endpoint-https-ingress`: see `rules/interface-endpoint-https-ingress/README.md`. */
const rule = defineRule({
  metadata,
  parameters,
  resources: (inventory) => inventory.endpoints.values(),
  judge: (inventory) => (endpoint) => {
    const skip = outOfScope(endpoint, ['Interface']);
    if (skip) return skip;
    const vpc = vpcOf(inventory, endpoint);
    const blocks = {
      ipv4: required(vpc.ipv4Cidrs, vpc, ipv4Field(vpc)),
      ipv6: vpc.ipv6Cidrs ?? [],
    };
    const groups = groupsOf(inventory, endpoint);
    const ingress = findHttpsIngress(groups, blocks);
    if (ingress) {
      return compliant(
        `${ingress.group.id} admits TCP 443 from ${ingress.source}`
      );
    }
    // Nothing readable admits HTTPS; something unreadable might.
    required(vpc.ipv6Cidrs, vpc, 'Ipv6CidrBlockAssociationSet');
    noUnreadablePermissions(groups);
    const looked = groups.map((g) => g.id).join(', ') || 'no security group';
    return nonCompliant(
      `${looked}: no inbound TCP 443 from the VPC (${blocks.ipv4.map((c) => c.text).join(', ')})`
    );
  },
});

export { rule };
