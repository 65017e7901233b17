import { listParameter } from '../model/parameters.js';
import type { DeclaredMetadata } from '../model/rule.js';

/**
 * The services of Security Hub CSPM's VPC-endpoint existence controls:
 * EC2.10 (ec2) and EC2.55–EC2.60 (ecr.api, ecr.dkr, ssm, ssm-contacts,
 * ssm-incidents).
 */
const DEFAULT_REQUIRED_SERVICES = [
  'ec2',
  'ecr.api',
  'ecr.dkr',
  'ssm',
  'ssm-contacts',
  'ssm-incidents',
] as const;

/** Parameters of `vpc-required-endpoints`. */
const parameters = {
  requiredServices: listParameter(
    'requiredServices',
    'Services (endpoint service labels such as ssm or ecr.api) every VPC with private subnets must reach privately.',
    DEFAULT_REQUIRED_SERVICES,
    {
      item: {
        // A full service name (com.amazonaws.us-east-1.ssm) never equals a
        // label, so it would fail every VPC forever: reject it.
        pattern:
          /^(?!(?:cn\.)?com\.amazonaws\.|eu\.amazonaws\.|aws\.|.*(?:^|\.)[a-z]{2,}(?:-[a-z]+)+-\d+(?:\.|$))[a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)*$/,
        description:
          'service labels such as ssm or ecr.api (not full service names)',
      },
      lowerCase: true,
      nonEmpty: true,
    }
  ),
};

/** Metadata of `vpc-required-endpoints`. */
const metadata: DeclaredMetadata = {
  id: 'vpc-required-endpoints',
  title:
    'VPCs with private subnets reach the required AWS services through interface endpoints',
  description:
    'Checks every VPC that has a private subnet: each service in ' +
    'requiredServices must have an available interface endpoint in the VPC ' +
    '(S3 and DynamoDB: a gateway endpoint counts), or the VPC must be ' +
    'associated with a Route 53 private hosted zone for the service\u2019s ' +
    'DNS name, as hub-and-spoke designs with centralised endpoints do.',
  severity: 'MEDIUM',
  resourceKind: 'vpc',
  triggerResourceTypes: [
    'AWS::EC2::VPC',
    'AWS::EC2::Subnet',
    'AWS::EC2::RouteTable',
    'AWS::EC2::VPCEndpoint',
  ],
  inventory: ['ec2', 'vpc-hosted-zones'],
  remediation: {
    text:
      'Create an interface endpoint for each missing service in the VPC, in ' +
      'one private subnet per Availability Zone, with private DNS on; or ' +
      'associate the VPC with the private hosted zone of the centralised ' +
      'endpoint (Route 53 AssociateVPCWithHostedZone).',
    actions: [
      'ec2:CreateVpcEndpoint',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcAttribute',
      'ec2:DescribeVpcEndpointServices',
      'ec2:DescribeVpcEndpoints',
      'ec2:DescribeVpcs',
    ],
  },
};

export { metadata, parameters };
