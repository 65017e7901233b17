import { rule as endpointPolicyRestrictive } from './endpoint-policy-restrictive/rule.js';
import { rule as interfaceEndpointHttpsIngress } from './interface-endpoint-https-ingress/rule.js';
import { rule as interfaceEndpointMultiAz } from './interface-endpoint-multi-az/rule.js';
import { rule as interfaceEndpointPrivateDns } from './interface-endpoint-private-dns/rule.js';
import type { Rule } from './model/rule.js';
import { rule as privateSubnetGatewayEndpoints } from './private-subnet-gateway-endpoints/rule.js';
import { rule as vpcRequiredEndpoints } from './vpc-required-endpoints/rule.js';

/**
 * Every rule, in the order reports list them. Adding a rule here adds its
 * Lambda function, Config rule, IAM and runbook to the infrastructure.
 */
const rules: readonly Rule[] = Object.freeze([
  privateSubnetGatewayEndpoints,
  interfaceEndpointMultiAz,
  interfaceEndpointPrivateDns,
  endpointPolicyRestrictive,
  interfaceEndpointHttpsIngress,
  vpcRequiredEndpoints,
]);

/** The rule with this id, or `undefined`. */
const findRule = (id: string): Rule | undefined =>
  rules.find((r) => r.metadata.id === id);

export { findRule, rules };
