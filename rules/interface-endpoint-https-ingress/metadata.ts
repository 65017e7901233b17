import type { DeclaredMetadata } from '../model/rule.js';

/** Parameters of `interface-endpoint-https-ingress` (only the common ones). */
const parameters = {};

/** Metadata of `interface-endpoint-https-ingress`. */
const metadata: DeclaredMetadata = {
  id: 'interface-endpoint-https-ingress',
  title: 'Interface endpoints admit HTTPS from their VPC',
  description:
    'Requires a security group of the interface endpoint to admit TCP 443 from ' +
    'a source that can hold clients in the VPC (an overlapping VPC CIDR, a ' +
    'security group or a prefix list); otherwise clients time out on it.',
  severity: 'MEDIUM',
  resourceKind: 'vpc-endpoint',
  triggerResourceTypes: ['AWS::EC2::VPCEndpoint', 'AWS::EC2::SecurityGroup'],
  inventory: ['ec2'],
  remediation: {
    text:
      'Add an inbound rule for TCP 443 from the VPC CIDR (or from the clients\u2019 ' +
      'security group) to a security group of the endpoint.',
    actions: [
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeVpcEndpoints',
      'ec2:DescribeVpcs',
    ],
  },
};

export { metadata, parameters };
