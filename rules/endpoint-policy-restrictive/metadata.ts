import { listParameter } from '../model/parameters.js';
import type { DeclaredMetadata } from '../model/rule.js';

/** Parameters of `endpoint-policy-restrictive`. */
const parameters = {
  trustedOrgIds: listParameter(
    'trustedOrgIds',
    'Organizations whose principals may use endpoints; when set, every Allow must be limited to trusted principals.',
    [],
    {
      item: {
        pattern: /^o-[a-z0-9]{10,32}$/,
        description: 'organization ids (o-…)',
      },
    }
  ),
  trustedAccountIds: listParameter(
    'trustedAccountIds',
    'Accounts whose principals may use endpoints (the endpoint\u2019s own account always may).',
    [],
    { item: { pattern: /^\d{12}$/, description: '12-digit account ids' } }
  ),
};

/** Metadata of `endpoint-policy-restrictive`. */
const metadata: DeclaredMetadata = {
  id: 'endpoint-policy-restrictive',
  title: 'Endpoint policies limit who may use the endpoint or what it reaches',
  description:
    'Reads interface and gateway endpoint policies by meaning: every Allow ' +
    'must be limited on principals or on resources (by naming them, by a ' +
    'pinned org/account condition, or by a data-perimeter Deny); with a ' +
    'trusted set, every Allow must be limited to trusted principals.',
  severity: 'HIGH',
  resourceKind: 'vpc-endpoint',
  triggerResourceTypes: ['AWS::EC2::VPCEndpoint'],
  inventory: ['ec2'],
  remediation: {
    text:
      'Replace the policy with one that limits principals to your organization ' +
      '(aws:PrincipalOrgID) and/or resources to your organization ' +
      '(aws:ResourceOrgID), keeping the AWS-service exemptions your workloads need.',
    actions: ['ec2:DescribeVpcEndpoints', 'ec2:ModifyVpcEndpoint'],
  },
};

export { metadata, parameters };
