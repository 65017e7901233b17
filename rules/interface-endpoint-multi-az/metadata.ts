import { integerParameter } from '../model/parameters.js';
import type { RuleMetadata } from '../model/rule.js';

/** Parameters of `interface-endpoint-multi-az`. */
const parameters = {
  minAzs: integerParameter(
    'minAzs',
    'Distinct Availability Zones (by AZ ID) an interface endpoint must have subnets in.',
    2,
    { min: 1 }
  ),
};

/** Metadata of `interface-endpoint-multi-az`. */
const metadata: Omit<RuleMetadata, 'parameters'> = {
  id: 'interface-endpoint-multi-az',
  title: 'Interface endpoints have subnets in several Availability Zones',
  description:
    'Counts the distinct AZ IDs of an interface endpoint\u2019s subnets and ' +
    'requires min(minAzs, AZs where the service is offered), so that one AZ ' +
    'outage does not take the endpoint down.',
  severity: 'LOW',
  resourceType: 'AWS::EC2::VPCEndpoint',
  triggerResourceTypes: ['AWS::EC2::VPCEndpoint'],
  remediation:
    'Add a subnet in another Availability Zone to the interface endpoint ' +
    '(ModifyVpcEndpoint --add-subnet-ids), one per AZ where the service is offered.',
  runbook: 'docs/runbooks/interface-endpoint-multi-az.md',
};

export { metadata, parameters };
