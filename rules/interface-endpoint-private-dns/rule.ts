import { required } from '../model/cannot-evaluate.js';
import { outOfScope } from '../model/endpoint-scope.js';
import type { ServiceDetail, VpcDns, VpcEndpoint } from '../model/inventory.js';
import { serviceDetailOf, serviceOf, vpcDnsOf } from '../model/lookups.js';
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

const judgeDns = (endpoint: VpcEndpoint, dns: VpcDns): Verdict => {
  const privateDns = required(
    endpoint.privateDnsEnabled,
    endpoint,
    'PrivateDnsEnabled'
  );
  const support = required(dns.enableDnsSupport, dns, 'EnableDnsSupport');
  const hostnames = required(dns.enableDnsHostnames, dns, 'EnableDnsHostnames');
  const off = [
    ...(privateDns ? [] : ['private DNS is off on the endpoint']),
    ...(support ? [] : [`enableDnsSupport is false on ${dns.vpcId}`]),
    ...(hostnames ? [] : [`enableDnsHostnames is false on ${dns.vpcId}`]),
  ];
  if (off.length > 0) return nonCompliant(off.join('; '));
  // Inbound-only still answers on-premises clients privately and keeps VPC
  // clients on the gateway endpoint: both modes count as private DNS on.
  const mode = required(
    endpoint.privateDnsOnlyForInboundResolverEndpoint,
    endpoint,
    'DnsOptions'
  )
    ? ' (inbound resolver endpoints only)'
    : '';
  return compliant(`private DNS on${mode}; VPC DNS support and hostnames on`);
};

/** `interface-endpoint-private-dns`: see `rules/interface-endpoint-private-dns/README.md`. */
const rule = defineRule({
  metadata,
  parameters,
  resources: (inventory) => inventory.endpoints.values(),
  judge:
    (inventory, { exemptServices }) =>
    (endpoint) => {
      const skip = outOfScope(endpoint, ['Interface']);
      if (skip) return skip;
      const service = serviceOf(endpoint);
      if (exemptServices.includes(service.label.toLowerCase())) {
        return notApplicable('exempt service');
      }
      const reason = noUsablePrivateDns(
        serviceDetailOf(inventory, endpoint),
        service.name
      );
      if (reason) return notApplicable(reason);
      return judgeDns(endpoint, vpcDnsOf(inventory, endpoint));
    },
});

export { rule };
