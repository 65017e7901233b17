import { integerParameter } from '../model/parameters.js';
import type { DeclaredMetadata } from '../model/rule.js';

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
const metadata: DeclaredMetadata = {
  id: 'interface-endpoint-multi-az',
  title: 'Interface endpoints have subnets in several Availability Zones',
  description:
    'Counts the distinct AZ IDs of an interface endpoint\u2019s subnets and ' +
    'requires min(minAzs, AZs where the service is offered), so that one AZ ' +
    'outage does not take the endpoint down.',
  severity: 'LOW',
  resourceKind: 'vpc-endpoint',
  triggerResourceTypes: ['AWS::EC2::VPCEndpoint'],
  inventory: ['ec2'],
  remediation: {
    text:
      'Add a subnet in another Availability Zone to the interface endpoint ' +
      '(ModifyVpcEndpoint --add-subnet-ids), one per AZ where the service is offered.',
    actions: [
      'ec2:DescribeRouteTables',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcEndpointServices',
      'ec2:DescribeVpcEndpoints',
      'ec2:ModifyVpcEndpoint',
    ],
  },
};

export { metadata, parameters };
