import { locate, outOfScope } from '../model/endpoint-scope.js';
import { InputError } from '../model/errors.js';
import {
  type Inventory,
  type ServiceDetail,
  serviceDetailOf,
  type VpcDns,
  type VpcEndpoint,
} from '../model/inventory.js';
import {
  compliant,
  defineRule,
  nonCompliant,
  notApplicable,
  type Verdict,
} from '../model/rule.js';
import { metadata, parameters } from './metadata.js';

/**
 * Why the service offers no usable private DNS name, or `undefined` when it
 * does: a name (or names), verified when a verification state is present.
 */
const noUsablePrivateDns = (
  detail: ServiceDetail | undefined,
  name: string
): string | undefined => {
  if (!detail)
    return `no service detail for ${name}: cannot tell whether it offers private DNS`;
  if (detail.privateDnsNames.length === 0)
    return `${name} offers no private DNS name`;
  const state = detail.privateDnsNameVerificationState;
  if (state !== undefined && state.toLowerCase() !== 'verified') {
    return `the private DNS name of ${name} is not verified (${state})`;
  }
  return undefined;
};

const dnsOf = (inventory: Inventory, endpoint: VpcEndpoint): VpcDns => {
  const dns = inventory.vpcDns.get(endpoint.vpcId);
  if (!dns) {
    throw new InputError(
      `${locate(inventory)}: the DNS attributes of ${endpoint.vpcId} (endpoint ${endpoint.id}) ` +
        'are not in the inventory (VpcAttributes, from DescribeVpcAttribute)'
    );
  }
  return dns;
};

const judgeDns = (endpoint: VpcEndpoint, dns: VpcDns): Verdict => {
  const off = [
    ...(endpoint.privateDnsEnabled
      ? []
      : ['private DNS is off on the endpoint']),
    ...(dns.enableDnsSupport
      ? []
      : [`enableDnsSupport is false on ${endpoint.vpcId}`]),
    ...(dns.enableDnsHostnames
      ? []
      : [`enableDnsHostnames is false on ${endpoint.vpcId}`]),
  ];
  if (off.length > 0) return nonCompliant(off.join('; '));
  // Inbound-only still answers on-premises clients privately and keeps VPC
  // clients on the gateway endpoint: both modes count as private DNS on.
  const mode = endpoint.privateDnsOnlyForInboundResolverEndpoint
    ? ' (inbound resolver endpoints only)'
    : '';
  return compliant(`private DNS on${mode}; VPC DNS support and hostnames on`);
};

/** `interface-endpoint-private-dns`: see DESIGN.md §2.3. */
const rule = defineRule({
  metadata,
  parameters,
  resources: (inventory) => inventory.endpoints.values(),
  judge:
    (inventory, { exemptServices }) =>
    (endpoint) => {
      const skip = outOfScope(endpoint, ['Interface']);
      if (skip) return skip;
      if (exemptServices.includes(endpoint.service.label.toLowerCase())) {
        return notApplicable('exempt service');
      }
      const reason = noUsablePrivateDns(
        serviceDetailOf(inventory, endpoint),
        endpoint.service.name
      );
      if (reason) return notApplicable(reason);
      return judgeDns(endpoint, dnsOf(inventory, endpoint));
    },
});

export { rule };
