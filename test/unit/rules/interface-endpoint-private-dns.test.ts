import { describe, expect, it } from '@jest/globals';
import type { Ec2ServiceDetail } from '../../../functions/shared/formats/snapshot-schema.js';
import { InvalidParameterError } from '../../../rules/model/errors.js';
import {
  endpoint,
  evaluate,
  serviceDetail,
  verdictOf,
  vpc,
  vpcDns,
} from '../../helpers/factories.js';

const RULE = 'interface-endpoint-private-dns';
const CUSTOMER = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';

/** Detail fields that remove every private DNS name. */
const NO_DNS_NAME = {
  PrivateDnsName: undefined,
  PrivateDnsNames: undefined,
  PrivateDnsNameVerificationState: undefined,
};

/**
 * One endpoint `vpce-1` of `service` with private DNS off (NON_COMPLIANT when
 * evaluated), and an Interface detail with a verified private DNS name.
 */
const privateDnsOff = (
  options: { service?: string; type?: string; state?: string } = {},
  details?: readonly Ec2ServiceDetail[]
) => ({
  VpcEndpoints: [endpoint('vpce-1', { ...options, privateDns: false })],
  ServiceDetails: [
    ...(details ?? [
      serviceDetail(options.service ?? 'ssm', [options.type ?? 'Interface']),
    ]),
  ],
});

describe('interface-endpoint-private-dns scope', () => {
  it.each([
    ...['Gateway', 'GatewayLoadBalancer', 'Resource', 'ServiceNetwork'].map(
      (type) => ({
        name: `a ${type} endpoint`,
        options: { type },
        reason: type,
      })
    ),
    ...['deleting', 'deleted', 'rejected', 'failed', 'expired', 'partial'].map(
      (state) => ({
        name: `an interface endpoint in state ${state}`,
        options: { state },
        reason: state,
      })
    ),
  ])('reports $name as NOT_APPLICABLE', ({ options, reason }) => {
    // Arrange
    const parts = privateDnsOff(options);

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NOT_APPLICABLE');
    expect(verdict.annotation).toContain(reason);
  });

  it.each(['available', 'pending', 'pendingAcceptance', 'PendingAcceptance'])(
    'evaluates an interface endpoint in state %s',
    (state) => {
      // Arrange
      const parts = privateDnsOff({ state });

      // Act
      const verdict = verdictOf(RULE, parts, 'vpce-1');

      // Assert
      expect(verdict.complianceType).toBe('NON_COMPLIANT');
    }
  );
});

describe('interface-endpoint-private-dns usable private DNS name', () => {
  it.each([
    ['a PrivateDnsName, verified', 'ssm', {}],
    [
      'a PrivateDnsName without a verification state',
      'ssm',
      { PrivateDnsNameVerificationState: undefined },
    ],
    [
      'only a PrivateDnsNames list',
      'ssm',
      {
        ...NO_DNS_NAME,
        PrivateDnsNames: [{ PrivateDnsName: 'ssm.us-east-1.amazonaws.com' }],
      },
    ],
    [
      'a customer name that is verified',
      CUSTOMER,
      {
        PrivateDnsName: 'api.example.com',
        PrivateDnsNameVerificationState: 'verified',
      },
    ],
  ])(
    'evaluates an endpoint whose service offers %s',
    (_label, service, extra) => {
      // Arrange
      const parts = privateDnsOff({ service }, [
        serviceDetail(service, ['Interface'], extra),
      ]);

      // Act
      const verdict = verdictOf(RULE, parts, 'vpce-1');

      // Assert
      expect(verdict.complianceType).toBe('NON_COMPLIANT');
    }
  );

  it.each([
    [
      'a DynamoDB-style interface detail without a name',
      'dynamodb',
      [
        serviceDetail('dynamodb', ['Interface'], NO_DNS_NAME),
        serviceDetail('dynamodb', ['Gateway'], NO_DNS_NAME),
      ],
      /offers no private DNS name/,
    ],
    [
      'an empty PrivateDnsName',
      'ssm',
      [
        serviceDetail('ssm', ['Interface'], {
          ...NO_DNS_NAME,
          PrivateDnsName: '',
        }),
      ],
      /offers no private DNS name/,
    ],
    [
      'an empty PrivateDnsNames list',
      'ssm',
      [
        serviceDetail('ssm', ['Interface'], {
          ...NO_DNS_NAME,
          PrivateDnsNames: [],
        }),
      ],
      /offers no private DNS name/,
    ],
    [
      'a customer service with a pendingVerification name',
      CUSTOMER,
      [
        serviceDetail(CUSTOMER, ['Interface'], {
          PrivateDnsName: 'api.example.com',
          PrivateDnsNameVerificationState: 'pendingVerification',
        }),
      ],
      /not verified \(pendingVerification\)/,
    ],
    [
      'a customer service whose name failed verification',
      CUSTOMER,
      [
        serviceDetail(CUSTOMER, ['Interface'], {
          PrivateDnsName: 'api.example.com',
          PrivateDnsNameVerificationState: 'failed',
        }),
      ],
      /not verified \(failed\)/,
    ],
    ['a missing service detail', 'ssm', [], /no service detail/],
    [
      'only a Gateway detail of the service',
      's3',
      [serviceDetail('s3', ['Gateway'])],
      /no service detail/,
    ],
  ])(
    'reports an endpoint as NOT_APPLICABLE, saying why, given %s',
    (_label, service, details, why) => {
      // Arrange
      const parts = privateDnsOff({ service }, details);

      // Act
      const verdict = verdictOf(RULE, parts, 'vpce-1');

      // Assert
      expect(verdict.complianceType).toBe('NOT_APPLICABLE');
      expect(verdict.annotation).toMatch(why);
    }
  );

  it('evaluates an S3 interface endpoint by its Interface detail', () => {
    // Arrange
    const parts = privateDnsOff({ service: 's3' }, [
      serviceDetail('s3', ['Gateway'], NO_DNS_NAME),
      serviceDetail('s3', ['Interface']),
    ]);

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
  });
});

describe('interface-endpoint-private-dns verdict', () => {
  it.each([
    {
      name: 'passes private DNS on in a VPC with both attributes',
      privateDns: true,
      support: true,
      hostnames: true,
      expected: 'COMPLIANT',
      named: [],
    },
    {
      name: 'fails private DNS off on the endpoint',
      privateDns: false,
      support: true,
      hostnames: true,
      expected: 'NON_COMPLIANT',
      named: ['private DNS is off'],
    },
    {
      name: 'fails a VPC without enableDnsSupport',
      privateDns: true,
      support: false,
      hostnames: true,
      expected: 'NON_COMPLIANT',
      named: ['enableDnsSupport'],
    },
    {
      name: 'fails a VPC without enableDnsHostnames',
      privateDns: true,
      support: true,
      hostnames: false,
      expected: 'NON_COMPLIANT',
      named: ['enableDnsHostnames'],
    },
    {
      name: 'fails and names everything that is off',
      privateDns: false,
      support: false,
      hostnames: false,
      expected: 'NON_COMPLIANT',
      named: ['private DNS is off', 'enableDnsSupport', 'enableDnsHostnames'],
    },
  ])('$name', ({ privateDns, support, hostnames, expected, named }) => {
    // Arrange
    const parts = {
      VpcAttributes: [vpcDns('vpc-1', support, hostnames)],
      VpcEndpoints: [endpoint('vpce-1', { privateDns })],
      ServiceDetails: [serviceDetail('ssm', ['Interface'])],
    };
    const all = [
      'private DNS is off',
      'enableDnsSupport',
      'enableDnsHostnames',
    ];

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe(expected);
    for (const text of all) {
      if (named.includes(text)) expect(verdict.annotation).toContain(text);
      else expect(verdict.annotation).not.toContain(text);
    }
  });

  it.each([
    ['true', true],
    ['false', false],
    ['absent', undefined],
  ])(
    'counts PrivateDnsOnlyForInboundResolverEndpoint %s as private DNS on',
    (_label, inboundOnly) => {
      // Arrange
      const parts = {
        VpcEndpoints: [
          endpoint('vpce-1', { service: 's3', privateDns: true, inboundOnly }),
        ],
        ServiceDetails: [serviceDetail('s3', ['Interface'])],
      };

      // Act
      const verdict = verdictOf(RULE, parts, 'vpce-1');

      // Assert
      expect(verdict.complianceType).toBe('COMPLIANT');
    }
  );

  it.each([
    ['no VPC attributes at all', []],
    ['only the attributes of another VPC', [vpcDns('vpc-2')]],
  ])(
    'cannot evaluate an endpoint when the inventory has %s for its VPC',
    (_label, attrs) => {
      // Arrange
      const parts = {
        Vpcs: [vpc('vpc-1'), vpc('vpc-2', ['10.1.0.0/16'])],
        VpcAttributes: attrs,
        VpcEndpoints: [endpoint('vpce-1')],
        ServiceDetails: [serviceDetail('ssm', ['Interface'])],
      };

      // Act
      const [evaluation] = evaluate(RULE, parts);

      // Assert
      expect(evaluation).toMatchObject({
        complianceType: 'NON_COMPLIANT',
        annotation:
          'cannot evaluate: the DNS attributes of vpc-1 are not in the inventory (VpcAttributes, from DescribeVpcAttribute)',
      });
    }
  );
});

describe('interface-endpoint-private-dns exemptServices', () => {
  it.each([
    ['"s3,execute-api"', 's3', 's3,execute-api'],
    ['"s3,execute-api"', 'execute-api', 's3,execute-api'],
    ['a JSON array', 's3', ['s3', 'execute-api']],
    ['" S3 "', 's3', ' S3 '],
    ['a customer service label', CUSTOMER, 'vpce-svc-0123456789abcdef0'],
  ])(
    'exempts a %s-listed service (%s endpoint)',
    (_label, service, exemptServices) => {
      // Arrange
      const parts = privateDnsOff({ service });

      // Act
      const verdict = verdictOf(RULE, parts, 'vpce-1', { exemptServices });

      // Assert
      expect(verdict).toEqual({
        complianceType: 'NOT_APPLICABLE',
        annotation: 'exempt service',
      });
    }
  );

  it.each([
    ['ec2', 'ec2messages'],
    ['ec2messages', 'ec2'],
    ['s3', 's3express'],
    ['ecr', 'ecr.api'],
    ['execute-api', 's3'],
    ['', 's3'],
  ])(
    'does not let exemptServices %j exempt a %s endpoint',
    (exemptServices, service) => {
      // Arrange
      const parts = privateDnsOff({ service });

      // Act
      const verdict = verdictOf(RULE, parts, 'vpce-1', { exemptServices });

      // Assert
      expect(verdict.complianceType).toBe('NON_COMPLIANT');
    }
  );

  it.each([
    ['"s3;ec2"', 's3;ec2'],
    ['"s3 ec2"', 's3 ec2'],
    ['an array of numbers', [3]],
    ['a number', 3],
  ])('rejects exemptServices %s', (_label, exemptServices) => {
    // Arrange
    const parts = privateDnsOff();

    // Act
    const run = () => evaluate(RULE, parts, { exemptServices });

    // Assert
    expect(run).toThrow(InvalidParameterError);
    expect(run).toThrow(/exemptServices/);
  });
});
