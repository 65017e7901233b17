import { booleanParameter, listParameter } from '../model/parameters.js';
import type { DeclaredMetadata } from '../model/rule.js';

/** Services that have gateway endpoints. */
const GATEWAY_SERVICES = ['s3', 'dynamodb'] as const;

/** Parameters of `private-subnet-gateway-endpoints`. */
const parameters = {
  services: listParameter(
    'services',
    'Services whose traffic from private subnets must use a gateway endpoint.',
    GATEWAY_SERVICES,
    {
      item: { pattern: /^(s3|dynamodb)$/, description: 's3, dynamodb' },
      lowerCase: true,
      nonEmpty: true,
    }
  ),
  requireGatewayRoute: booleanParameter(
    'requireGatewayRoute',
    'Also fail a private subnet that has no route at all to a service.',
    false
  ),
};

/** Metadata of `private-subnet-gateway-endpoints`. */
const metadata: DeclaredMetadata = {
  id: 'private-subnet-gateway-endpoints',
  title: 'Private subnets reach S3 and DynamoDB only through gateway endpoints',
  description:
    'Checks every private subnet (no default route to an internet gateway): ' +
    'for each CIDR of the S3 and DynamoDB prefix lists, the route that wins by ' +
    'AWS route priority must target an available gateway endpoint of that ' +
    'service in the same VPC, and no interface endpoint with private DNS may ' +
    'take the traffic instead.',
  severity: 'MEDIUM',
  resourceKind: 'subnet',
  triggerResourceTypes: [
    'AWS::EC2::Subnet',
    'AWS::EC2::RouteTable',
    'AWS::EC2::VPCEndpoint',
  ],
  inventory: ['ec2'],
  remediation: {
    text:
      'Associate the subnet\u2019s route table with an S3/DynamoDB gateway endpoint ' +
      'of its VPC, remove more specific routes that send the service\u2019s ' +
      'prefixes elsewhere, and turn on "private DNS only for inbound resolver ' +
      'endpoint" on interface endpoints of the same service.',
    actions: [
      'ec2:CreateVpcEndpoint',
      'ec2:DescribePrefixLists',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcEndpointServices',
      'ec2:DescribeVpcEndpoints',
      'ec2:ModifyVpcEndpoint',
    ],
  },
};

export { metadata, parameters };
