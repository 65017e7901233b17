import { describe, expect, it } from '@jest/globals';
import type {
  AccountRegionSnapshot,
  Ec2ServiceDetail,
} from '../../../functions/shared/formats/snapshot-schema.js';
import { InvalidParameterError } from '../../../rules/model/errors.js';
import {
  ACCOUNT,
  endpoint,
  evaluate,
  inventoryOf,
  ruleNamed,
  serviceDetail,
  snapshot,
  verdictOf,
} from '../../helpers/factories.js';

const RULE = 'endpoint-policy-restrictive';
const ORG = 'o-abcdefghij';
const OTHER_ORG = 'o-klmnopqrst';
const PARTNER = '444455556666';

type Json = Record<string, unknown>;

/** A one-statement policy whose Allow statement has Sid `Open`. */
const allowPolicy = (overrides: Json = {}): Json => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Open',
      Effect: 'Allow',
      Principal: '*',
      Action: '*',
      Resource: '*',
      ...overrides,
    },
  ],
});

const FULL_ACCESS = allowPolicy();
/** Limited to principals of `org`. */
const orgPolicy = (org: string): Json =>
  allowPolicy({ Condition: { StringEquals: { 'aws:PrincipalOrgID': org } } });
/** Limited on resources only: anyone may reach one bucket. */
const BUCKET_POLICY = allowPolicy({ Resource: 'arn:aws:s3:::my-bucket/*' });
/** Limited to principals of one account. */
const accountPolicy = (account: string): Json =>
  allowPolicy({ Principal: { AWS: account } });

/** One endpoint `vpce-1` (an SSM interface endpoint unless told otherwise). */
const oneEndpoint = (
  options: Parameters<typeof endpoint>[1] = {},
  details: readonly Ec2ServiceDetail[] = []
): Partial<AccountRegionSnapshot> => ({
  VpcEndpoints: [endpoint('vpce-1', options)],
  ServiceDetails: [...details],
});

/** `detail` without its `VpcEndpointPolicySupported` key. */
const withoutPolicyKey = (detail: Ec2ServiceDetail): Ec2ServiceDetail =>
  Object.fromEntries(
    Object.entries(detail).filter(
      ([key]) => key !== 'VpcEndpointPolicySupported'
    )
  ) as Ec2ServiceDetail;

describe('endpoint-policy-restrictive scope', () => {
  it.each([['Interface'], ['Gateway']])('evaluates a %s endpoint', (type) => {
    // Arrange
    const parts = oneEndpoint({ type, service: 's3', policy: FULL_ACCESS });

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
    expect(verdict.annotation).toContain('Open grants full access');
  });

  it.each([['GatewayLoadBalancer'], ['Resource'], ['ServiceNetwork']])(
    'reports a %s endpoint as NOT_APPLICABLE',
    (type) => {
      // Arrange
      const parts = oneEndpoint({ type, policy: FULL_ACCESS });

      // Act
      const verdict = verdictOf(RULE, parts, 'vpce-1');

      // Assert
      expect(verdict.complianceType).toBe('NOT_APPLICABLE');
      expect(verdict.annotation).toContain(type);
    }
  );

  it.each([
    ['deleting'],
    ['deleted'],
    ['rejected'],
    ['failed'],
    ['expired'],
    ['partial'],
  ])('reports an endpoint in state %s as NOT_APPLICABLE', (state) => {
    // Arrange
    const parts = oneEndpoint({ state, policy: FULL_ACCESS });

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NOT_APPLICABLE');
    expect(verdict.annotation).toContain(state);
  });

  it.each([
    ['available'],
    ['pending'],
    ['pendingAcceptance'],
    ['Available'],
    ['PENDING'],
    ['PendingAcceptance'],
  ])('evaluates an endpoint in state %s', (state) => {
    // Arrange
    const parts = oneEndpoint({ state, policy: FULL_ACCESS });

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
  });

  it('reports an endpoint whose service does not support policies as NOT_APPLICABLE', () => {
    // Arrange
    const parts = oneEndpoint({ service: 'email-smtp', policy: FULL_ACCESS }, [
      serviceDetail('email-smtp', ['Interface'], {
        VpcEndpointPolicySupported: false,
      }),
    ]);

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NOT_APPLICABLE');
    expect(verdict.annotation).toContain('does not support endpoint policies');
  });

  it.each<[string, readonly Ec2ServiceDetail[]]>([
    ['no service detail', []],
    [
      'a detail without VpcEndpointPolicySupported',
      [withoutPolicyKey(serviceDetail('ssm', ['Interface']))],
    ],
    [
      'a detail with VpcEndpointPolicySupported true',
      [serviceDetail('ssm', ['Interface'])],
    ],
    [
      'a policy-less detail of another service',
      [
        serviceDetail('ssmmessages', ['Interface'], {
          VpcEndpointPolicySupported: false,
        }),
      ],
    ],
  ])('evaluates an endpoint given %s', (_label, details) => {
    // Arrange
    const parts = oneEndpoint({ policy: FULL_ACCESS }, details);

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
    expect(verdict.annotation).toContain('Open grants full access');
  });

  /** A Gateway and an Interface detail under one name, in both orders. */
  const splitDetails = (
    service: string,
    gatewaySupports: boolean,
    interfaceSupports: boolean
  ): Ec2ServiceDetail[] => [
    serviceDetail(service, ['Gateway'], {
      VpcEndpointPolicySupported: gatewaySupports,
    }),
    serviceDetail(service, ['Interface'], {
      VpcEndpointPolicySupported: interfaceSupports,
    }),
  ];

  it.each([
    ['s3', 'Gateway', true, false, 'NON_COMPLIANT'],
    ['s3', 'Interface', true, false, 'NOT_APPLICABLE'],
    ['s3', 'Gateway', false, true, 'NOT_APPLICABLE'],
    ['s3', 'Interface', false, true, 'NON_COMPLIANT'],
    ['dynamodb', 'Gateway', true, false, 'NON_COMPLIANT'],
    ['dynamodb', 'Interface', true, false, 'NOT_APPLICABLE'],
    ['dynamodb', 'Gateway', false, true, 'NOT_APPLICABLE'],
    ['dynamodb', 'Interface', false, true, 'NON_COMPLIANT'],
  ] as const)(
    'picks the %s %s detail by endpoint type (Gateway supports: %s, Interface supports: %s)',
    (service, type, gatewaySupports, interfaceSupports, expected) => {
      // Arrange
      const details = splitDetails(service, gatewaySupports, interfaceSupports);
      const forward = oneEndpoint(
        { type, service, policy: FULL_ACCESS },
        details
      );
      const backward = oneEndpoint(
        { type, service, policy: FULL_ACCESS },
        [...details].reverse()
      );

      // Act
      const verdicts = [
        verdictOf(RULE, forward, 'vpce-1'),
        verdictOf(RULE, backward, 'vpce-1'),
      ];

      // Assert
      expect(verdicts.map((v) => v.complianceType)).toEqual([
        expected,
        expected,
      ]);
    }
  );

  it.each([
    ['true', 'true'],
    [
      'the rule id in another case, in a list',
      'other-rule, Endpoint-Policy-Restrictive',
    ],
  ])(
    'reports an endpoint exempt by tag (%s) as NOT_APPLICABLE',
    (_label, value) => {
      // Arrange
      const parts = oneEndpoint({
        policy: FULL_ACCESS,
        tags: { 'vpce-guard:exempt': value },
      });

      // Act
      const verdict = verdictOf(RULE, parts, 'vpce-1');

      // Assert
      expect(verdict).toEqual({
        complianceType: 'NOT_APPLICABLE',
        annotation: 'exempt by tag',
      });
    }
  );

  it('evaluates an endpoint whose exempt tag names another rule', () => {
    // Arrange
    const parts = oneEndpoint({
      policy: FULL_ACCESS,
      tags: { 'vpce-guard:exempt': 'interface-endpoint-multi-az' },
    });

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
  });

  it('reads the exempt tag key from exemptTagKey', () => {
    // Arrange
    const parts = oneEndpoint({
      policy: FULL_ACCESS,
      tags: { 'security:skip': 'true' },
    });

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1', {
      exemptTagKey: 'security:skip',
    });

    // Assert
    expect(verdict.complianceType).toBe('NOT_APPLICABLE');
    expect(verdict.annotation).toBe('exempt by tag');
  });

  it('evaluates every endpoint once, in id order', () => {
    // Arrange
    const parts = {
      VpcEndpoints: [
        endpoint('vpce-2', { policy: orgPolicy(ORG) }),
        endpoint('vpce-3', { type: 'GatewayLoadBalancer' }),
        endpoint('vpce-1'),
      ],
    };

    // Act
    const evaluations = evaluate(RULE, parts);

    // Assert
    expect(
      evaluations.map((e) => [e.resourceId, e.complianceType, e.resourceType])
    ).toEqual([
      ['vpce-1', 'NON_COMPLIANT', 'AWS::EC2::VPCEndpoint'],
      ['vpce-2', 'COMPLIANT', 'AWS::EC2::VPCEndpoint'],
      ['vpce-3', 'NOT_APPLICABLE', 'AWS::EC2::VPCEndpoint'],
    ]);
  });
});

describe('endpoint-policy-restrictive policies', () => {
  it('reports an endpoint without PolicyDocument as the default full-access policy', () => {
    // Arrange
    const parts = oneEndpoint({ type: 'Gateway', service: 's3' });

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
    expect(verdict.annotation).toContain('default full-access policy');
  });

  it.each([
    ['Gateway', 's3'],
    ['Gateway', 'dynamodb'],
    ['Interface', 's3'],
  ])(
    'reports a %s %s endpoint limited by aws:PrincipalOrgID as COMPLIANT',
    (type, service) => {
      // Arrange
      const parts = oneEndpoint({ type, service, policy: orgPolicy(ORG) }, [
        serviceDetail(service, ['Gateway']),
        serviceDetail(service, ['Interface']),
      ]);

      // Act
      const verdict = verdictOf(RULE, parts, 'vpce-1');

      // Assert
      expect(verdict.complianceType).toBe('COMPLIANT');
      expect(verdict.annotation).toContain(
        'Open limits principals by aws:PrincipalOrgID'
      );
    }
  );

  it('reports an unreadable policy as NON_COMPLIANT', () => {
    // Arrange
    const parts = oneEndpoint({ policy: allowPolicy({ Effect: 'allow' }) });

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
    expect(verdict.annotation).toMatch(/^unreadable policy/);
  });

  it('names the first offending statement by its index', () => {
    // Arrange
    const parts = oneEndpoint({
      policy: {
        Version: '2008-10-17',
        Statement: [
          {
            Sid: 'Bucket',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:*',
            Resource: 'arn:aws:s3:::my-bucket/*',
          },
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['s3:GetObject'],
            Resource: ['arn:aws:s3:::*'],
          },
        ],
      },
    });

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
    expect(verdict.annotation).toContain(
      '#1 lets any principal reach any resource'
    );
  });

  // Counter-examples of the policy fuzzer (README "Policy fuzzing"), through
  // the rule: both were decided the other way before the fix.
  it.each<[string, Json, string, string]>([
    [
      'Resource on the queues of one account (a literal account in the ARN)',
      allowPolicy({ Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:*` }),
      'COMPLIANT',
      'Open names its resources',
    ],
    [
      'a Deny on aws:PrincipalOrgPaths without a set operator',
      {
        Version: '2012-10-17',
        Statement: [
          ...(FULL_ACCESS.Statement as Json[]),
          {
            Sid: 'Perimeter',
            Effect: 'Deny',
            Principal: '*',
            Action: '*',
            Resource: '*',
            Condition: {
              StringNotLike: { 'aws:PrincipalOrgPaths': `${ORG}/*` },
            },
          },
        ],
      },
      'NON_COMPLIANT',
      'Open grants full access',
    ],
  ])('reports a policy with %s as %s', (_name, policy, expected, why) => {
    // Arrange
    const parts = oneEndpoint({ type: 'Interface', service: 'sqs', policy });

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe(expected);
    expect(verdict.annotation).toContain(why);
  });
});

describe('endpoint-policy-restrictive parameters', () => {
  it.each<[string, Json, string, string]>([
    [
      'no trusted set',
      {},
      'COMPLIANT',
      'Open denied to outsiders by Perimeter',
    ],
    [
      'trustedOrgIds',
      { trustedOrgIds: ORG },
      'NON_COMPLIANT',
      'Open grants full access',
    ],
  ])(
    'judges a Deny on a principal key and a resource key with %s',
    (_label, parameters, expected, annotation) => {
      // Arrange
      const policy = {
        Version: '2012-10-17',
        Statement: [
          ...(FULL_ACCESS.Statement as Json[]),
          {
            Sid: 'Perimeter',
            Effect: 'Deny',
            Principal: '*',
            Action: '*',
            Resource: '*',
            Condition: {
              StringNotEquals: {
                'aws:PrincipalOrgID': ORG,
                'aws:ResourceOrgID': ORG,
              },
            },
          },
        ],
      };
      const parts = oneEndpoint({ policy });

      // Act
      const verdict = verdictOf(RULE, parts, 'vpce-1', parameters);

      // Assert
      expect(verdict.complianceType).toBe(expected);
      expect(verdict.annotation).toContain(annotation);
    }
  );

  it.each<[string, unknown]>([
    ['a CSV string', `${OTHER_ORG}, ${ORG}`],
    ['a CSV string with a trailing comma', `${ORG},`],
    ['a JSON array', [OTHER_ORG, ORG]],
  ])('reads trustedOrgIds from %s', (_label, trustedOrgIds) => {
    // Arrange
    const parts = {
      VpcEndpoints: [
        endpoint('vpce-org', { policy: orgPolicy(ORG) }),
        endpoint('vpce-bucket', { policy: BUCKET_POLICY }),
      ],
    };

    // Act
    const org = verdictOf(RULE, parts, 'vpce-org', { trustedOrgIds });
    const bucket = verdictOf(RULE, parts, 'vpce-bucket', { trustedOrgIds });

    // Assert
    expect(org.complianceType).toBe('COMPLIANT');
    expect(bucket.complianceType).toBe('NON_COMPLIANT');
    expect(bucket.annotation).toContain(
      'Open admits principals outside the trusted set'
    );
  });

  it('reports an org outside trustedOrgIds as NON_COMPLIANT', () => {
    // Arrange
    const parts = oneEndpoint({ policy: orgPolicy(OTHER_ORG) });

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1', { trustedOrgIds: ORG });

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
    expect(verdict.annotation).toContain(
      `aws:PrincipalOrgID ${OTHER_ORG} not trusted`
    );
  });

  it.each<[string, unknown]>([
    ['a CSV string', ` 555566667777 , ${PARTNER} `],
    ['a JSON array', [PARTNER]],
  ])('reads trustedAccountIds from %s', (_label, trustedAccountIds) => {
    // Arrange
    const parts = oneEndpoint({ policy: accountPolicy(PARTNER) });

    // Act
    const trusted = verdictOf(RULE, parts, 'vpce-1', { trustedAccountIds });
    const orgsOnly = verdictOf(RULE, parts, 'vpce-1', { trustedOrgIds: ORG });

    // Assert
    expect(trusted.complianceType).toBe('COMPLIANT');
    expect(orgsOnly.complianceType).toBe('NON_COMPLIANT');
    expect(orgsOnly.annotation).toContain(`principal ${PARTNER}`);
  });

  it.each<[string, Json]>([
    ['no parameters', {}],
    ['empty strings', { trustedOrgIds: '', trustedAccountIds: '' }],
    ['blank strings', { trustedOrgIds: '  ', trustedAccountIds: ' ' }],
    ['null values', { trustedOrgIds: null, trustedAccountIds: null }],
    ['an unknown ExecutionRoleName', { ExecutionRoleName: 'VpceGuardRole' }],
  ])('uses no trusted set given %s', (_label, parameters) => {
    // Arrange: resource limits count only without a trusted set.
    const parts = oneEndpoint({ policy: BUCKET_POLICY });

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1', parameters);

    // Assert
    expect(verdict.complianceType).toBe('COMPLIANT');
    expect(verdict.annotation).toContain('Open names its resources');
  });

  it.each<[string, Json, RegExp]>([
    ['an upper-case org id', { trustedOrgIds: 'o-BAD' }, /trustedOrgIds/],
    ['a short org id', { trustedOrgIds: `${ORG},o-abc` }, /trustedOrgIds/],
    ['an account id as org', { trustedOrgIds: ACCOUNT }, /trustedOrgIds/],
    ['an object', { trustedOrgIds: { ids: ORG } }, /trustedOrgIds/],
    ['a boolean', { trustedOrgIds: true }, /trustedOrgIds/],
    ['a list with a number', { trustedOrgIds: [ORG, 7] }, /trustedOrgIds/],
    ['a 5-digit account', { trustedAccountIds: '12345' }, /trustedAccountIds/],
    [
      'a 13-digit account',
      { trustedAccountIds: `${ACCOUNT}4` },
      /trustedAccountIds/,
    ],
    ['an org id as account', { trustedAccountIds: ORG }, /trustedAccountIds/],
    ['an object', { trustedAccountIds: {} }, /trustedAccountIds/],
    ['a boolean', { trustedAccountIds: false }, /trustedAccountIds/],
  ])(
    'rejects %s with an error naming the parameter',
    (_label, parameters, name) => {
      // Arrange
      const parts = oneEndpoint({ policy: orgPolicy(ORG) });

      // Act
      const run = () => verdictOf(RULE, parts, 'vpce-1', parameters);

      // Assert
      expect(run).toThrow(InvalidParameterError);
      expect(run).toThrow(name);
    }
  );

  it.each([
    [ACCOUNT, 'COMPLIANT'],
    [PARTNER, 'NON_COMPLIANT'],
  ])(
    'trusts the endpoint owner, given a principal %s of an endpoint owned by 111122223333',
    (principal, expected) => {
      // Arrange
      const parts = oneEndpoint({ policy: accountPolicy(principal) });

      // Act
      const verdict = verdictOf(RULE, parts, 'vpce-1', { trustedOrgIds: ORG });

      // Assert
      expect(verdict.complianceType).toBe(expected);
    }
  );

  it('leaves an endpoint another account owns to that account, which trusts itself', () => {
    // Arrange
    const parts = oneEndpoint({
      ownerId: PARTNER,
      policy: accountPolicy(PARTNER),
    });
    const rule = ruleNamed(RULE).prepare({ trustedOrgIds: ORG });

    // Act
    const here = rule.evaluate(inventoryOf(parts));
    const atOwner = rule.evaluate(
      inventoryOf({ ...snapshot(parts), AccountId: PARTNER })
    );

    // Assert
    expect(here).toEqual([]);
    expect(rule.notOwned(inventoryOf(parts))).toMatchObject([
      { resourceId: 'vpce-1', ownerId: PARTNER },
    ]);
    expect(atOwner[0]?.complianceType).toBe('COMPLIANT');
    expect(atOwner[0]?.annotation).toContain('Open names its principals');
  });
});

describe('endpoint-policy-restrictive account ids written as JSON numbers', () => {
  it('accepts trustedAccountIds as a JSON number and as an array of numbers', () => {
    // Arrange
    const parts = {
      VpcEndpoints: [
        endpoint('vpce-1', {
          policy: {
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: '444455556666' },
                Action: '*',
                Resource: '*',
              },
            ],
          },
        }),
      ],
    };

    // Act
    const single = verdictOf('endpoint-policy-restrictive', parts, 'vpce-1', {
      trustedAccountIds: 444455556666,
    });
    const list = verdictOf('endpoint-policy-restrictive', parts, 'vpce-1', {
      trustedAccountIds: [444455556666],
    });

    // Assert
    expect(single.complianceType).toBe('COMPLIANT');
    expect(list.complianceType).toBe('COMPLIANT');
  });

  it('rejects a number that lost its leading zero instead of guessing', () => {
    // Act and Assert
    expect(() =>
      evaluate(
        'endpoint-policy-restrictive',
        {},
        { trustedAccountIds: 12345678901 }
      )
    ).toThrow(
      'parameter trustedAccountIds: expected a comma-separated list of 12-digit account ids'
    );
  });
});
