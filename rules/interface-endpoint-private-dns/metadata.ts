import { listParameter } from '../model/parameters.js';
import type { DeclaredMetadata } from '../model/rule.js';

/** Parameters of `interface-endpoint-private-dns`. */
const parameters = {
  exemptServices: listParameter(
    'exemptServices',
    'Service labels (s3, execute-api…) whose endpoints are exempt, for hub-and-spoke designs that serve DNS from a central VPC.',
    [],
    {
      item: {
        // A service name with a Region (com.amazonaws.us-east-1.s3) never
        // equals an endpoint's label, so it would exempt nothing without a
        // word: reject it. Names without one are their own label.
        pattern:
          /^(?!(?:cn\.)?com\.amazonaws\.(?:vpce\.)?[a-z]{2}(?:-[a-z]+)+-\d+\.|aws\.sagemaker\.[a-z]{2}(?:-[a-z]+)+-\d+\.)[a-z][a-z0-9.-]*$/,
        description: 'service labels such as s3 (not full service names)',
      },
      lowerCase: true,
    }
  ),
};

/** Metadata of `interface-endpoint-private-dns`. */
const metadata: DeclaredMetadata = {
  id: 'interface-endpoint-private-dns',
  title:
    'Interface endpoints have private DNS on, and their VPC the DNS attributes it needs',
  description:
    'For interface endpoints whose service offers a verified private DNS name, ' +
    'requires PrivateDnsEnabled and the VPC attributes enableDnsSupport and ' +
    'enableDnsHostnames; without them clients resolve the public endpoint and ' +
    'their traffic leaves through NAT or the internet.',
  severity: 'MEDIUM',
  resourceKind: 'vpc-endpoint',
  triggerResourceTypes: ['AWS::EC2::VPCEndpoint', 'AWS::EC2::VPC'],
  inventory: ['ec2'],
  remediation: {
    text:
      'Turn on enableDnsSupport and enableDnsHostnames on the VPC ' +
      '(ModifyVpcAttribute), then private DNS on the endpoint ' +
      '(ModifyVpcEndpoint --private-dns-enabled).',
    actions: [
      'ec2:DescribeVpcAttribute',
      'ec2:DescribeVpcEndpoints',
      'ec2:ModifyVpcAttribute',
      'ec2:ModifyVpcEndpoint',
    ],
  },
};

export { metadata, parameters };
