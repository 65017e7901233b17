import { describe, expect, it } from '@jest/globals';
import type {
  Ec2ServiceDetail,
  Ec2Subnet,
} from '../../../functions/shared/formats/snapshot-schema.js';
import { InvalidParameterError } from '../../../rules/model/errors.js';
import {
  endpoint,
  evaluate,
  serviceDetail,
  snapshot,
  subnet,
  verdictOf,
} from '../../helpers/factories.js';

const RULE = 'interface-endpoint-multi-az';

/** Subnets `subnet-1` … in the given AZ ID suffixes (`az1` → `use1-az1`). */
const subnetsIn = (...azs: readonly string[]): Ec2Subnet[] =>
  azs.map((az, index) => subnet(`subnet-${index + 1}`, { az }));

/** One interface endpoint `vpce-1` of `service` in the given AZs. */
const endpointIn = (
  azs: readonly string[],
  options: { service?: string; type?: string; state?: string } = {}
) => ({
  Subnets: subnetsIn(...azs),
  VpcEndpoints: [
    endpoint('vpce-1', {
      ...options,
      subnets: azs.map((_, index) => `subnet-${index + 1}`),
    }),
  ],
});

/** A service detail offered only in the given AZ IDs. */
const offeredIn = (
  service: string,
  types: readonly string[],
  zoneIds: readonly string[]
): Ec2ServiceDetail =>
  serviceDetail(service, types, { AvailabilityZoneIds: [...zoneIds] });

describe('interface-endpoint-multi-az scope', () => {
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
    // Arrange: one AZ, which would fail an interface endpoint.
    const parts = endpointIn(['az1'], options);

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NOT_APPLICABLE');
    expect(verdict.annotation).toContain(reason);
  });

  it.each([
    'available',
    'pending',
    'pendingAcceptance',
    'Available',
    'PENDING',
    'PendingAcceptance',
  ])('evaluates an interface endpoint in state %s', (state) => {
    // Arrange
    const parts = endpointIn(['az1'], { state });

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
  });
});

describe('interface-endpoint-multi-az AZ counting', () => {
  it.each([
    {
      name: 'counts two subnets with different AZ names but one AZ ID once',
      subnets: [
        subnet('subnet-1', { az: 'az1', azName: 'us-east-1a' }),
        subnet('subnet-2', { az: 'az1', azName: 'us-east-1b' }),
      ],
      expected: 'NON_COMPLIANT',
      named: 'subnets in 1 AZ (use1-az1)',
    },
    {
      name: 'counts two subnets with one AZ name but different AZ IDs twice',
      subnets: [
        subnet('subnet-1', { az: 'az1', azName: 'us-east-1a' }),
        subnet('subnet-2', { az: 'az2', azName: 'us-east-1a' }),
      ],
      expected: 'COMPLIANT',
      named: 'use1-az1, use1-az2',
    },
  ])('$name', ({ subnets, expected, named }) => {
    // Arrange
    const parts = {
      Subnets: subnets,
      VpcEndpoints: [endpoint('vpce-1', { subnets: ['subnet-1', 'subnet-2'] })],
    };

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe(expected);
    expect(verdict.annotation).toContain(named);
  });

  it('cannot evaluate an endpoint whose subnet is not in the inventory', () => {
    // Arrange
    const parts = {
      Subnets: subnetsIn('az1'),
      VpcEndpoints: [
        endpoint('vpce-1', { subnets: ['subnet-1', 'subnet-gone'] }),
      ],
    };

    // Act
    const [evaluation] = evaluate(RULE, parts);

    // Assert: deleted a moment ago, or another account's
    expect(evaluation).toMatchObject({
      complianceType: 'NON_COMPLIANT',
      annotation:
        'cannot evaluate: endpoint vpce-1 lists subnet subnet-gone, not in the inventory (deleted, or owned by another account)',
      problem:
        'endpoint vpce-1 lists subnet subnet-gone, not in the inventory (deleted, or owned by another account)',
    });
  });
});

describe('interface-endpoint-multi-az service detail', () => {
  const all3 = ['use1-az1', 'use1-az2', 'use1-az4'];
  const interfaceIn3 = offeredIn('s3', ['Interface'], all3);
  const interfaceIn1 = offeredIn('s3', ['Interface'], ['use1-az1']);
  const gatewayIn3 = offeredIn('s3', ['Gateway'], all3);
  const gatewayIn1 = offeredIn('s3', ['Gateway'], ['use1-az1']);

  it.each([
    [
      'a wide Interface and a narrow Gateway detail',
      [interfaceIn3, gatewayIn1],
      'NON_COMPLIANT',
    ],
    [
      'a narrow Gateway and a wide Interface detail',
      [gatewayIn1, interfaceIn3],
      'NON_COMPLIANT',
    ],
    [
      'a narrow Interface and a wide Gateway detail',
      [interfaceIn1, gatewayIn3],
      'COMPLIANT',
    ],
    [
      'a wide Gateway and a narrow Interface detail',
      [gatewayIn3, interfaceIn1],
      'COMPLIANT',
    ],
  ])(
    'sizes a one-AZ S3 interface endpoint by the Interface detail, given %s',
    (_label, details, expected) => {
      // Arrange
      const parts = {
        ...endpointIn(['az1'], { service: 's3' }),
        ServiceDetails: details,
      };

      // Act
      const verdict = verdictOf(RULE, parts, 'vpce-1');

      // Assert
      expect(verdict.complianceType).toBe(expected);
    }
  );

  it('ignores the detail of another service whose name is a prefix', () => {
    // Arrange
    const parts = {
      ...endpointIn(['az1'], { service: 'ssmmessages' }),
      ServiceDetails: [offeredIn('ssm', ['Interface'], ['use1-az1'])],
    };

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
    expect(verdict.annotation).toContain('needs 2');
  });
});

describe('interface-endpoint-multi-az required count', () => {
  const noIds = { AvailabilityZoneIds: undefined };

  it.each([
    {
      name: 'fails one AZ without a service detail (default minAzs 2)',
      azs: ['az1'],
      details: [],
      params: {},
      expected: 'NON_COMPLIANT',
      annotation: ['subnets in 1 AZ (use1-az1)', 'needs 2'],
    },
    {
      name: 'passes two AZs without a service detail (default minAzs 2)',
      azs: ['az1', 'az2'],
      details: [],
      params: {},
      expected: 'COMPLIANT',
      annotation: ['subnets in 2 AZs (use1-az1, use1-az2)'],
    },
    {
      name: 'requires minAzs without a service detail',
      azs: ['az1', 'az2'],
      details: [],
      params: { minAzs: '3' },
      expected: 'NON_COMPLIANT',
      annotation: ['needs 3'],
    },
    {
      name: 'passes one AZ with minAzs 1',
      azs: ['az1'],
      details: [],
      params: { minAzs: '1' },
      expected: 'COMPLIANT',
      annotation: ['use1-az1'],
    },
    {
      name: 'caps minAzs 3 at the 2 AZs the service is offered in',
      azs: ['az1', 'az2'],
      details: [offeredIn('ssm', ['Interface'], ['use1-az1', 'use1-az2'])],
      params: { minAzs: '3' },
      expected: 'COMPLIANT',
      annotation: ['use1-az1, use1-az2', 'offered in only 2'],
    },
    {
      name: 'passes one AZ when the service is offered in one AZ',
      azs: ['az1'],
      details: [offeredIn('ssm', ['Interface'], ['use1-az1'])],
      params: {},
      expected: 'COMPLIANT',
      annotation: ['use1-az1'],
    },
    {
      name: 'names the AZ IDs offered but not used when short',
      azs: ['az1', 'az2'],
      details: [
        offeredIn('ssm', ['Interface'], ['use1-az1', 'use1-az2', 'use1-az4']),
      ],
      params: { minAzs: 3 },
      expected: 'NON_COMPLIANT',
      annotation: [
        'subnets in 2 AZs (use1-az1, use1-az2)',
        'needs 3',
        'also offered in use1-az4',
      ],
    },
    {
      name: 'falls back to AvailabilityZones when AvailabilityZoneIds are absent',
      azs: ['az1'],
      details: [
        serviceDetail('ssm', ['Interface'], {
          ...noIds,
          AvailabilityZones: ['us-east-1a'],
        }),
      ],
      params: {},
      expected: 'COMPLIANT',
      annotation: ['use1-az1'],
    },
    {
      name: 'names the AZ names offered but not used when only names are known',
      azs: ['az1', 'az2'],
      details: [
        serviceDetail('ssm', ['Interface'], {
          ...noIds,
          AvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1d'],
        }),
      ],
      params: { minAzs: '3' },
      expected: 'NON_COMPLIANT',
      annotation: ['needs 3', 'also offered in us-east-1d'],
    },
    {
      name: 'prefers AvailabilityZoneIds over AvailabilityZones',
      azs: ['az1'],
      details: [
        serviceDetail('ssm', ['Interface'], {
          AvailabilityZoneIds: ['use1-az1'],
          AvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1d'],
        }),
      ],
      params: {},
      expected: 'COMPLIANT',
      annotation: ['use1-az1'],
    },
  ])('$name', ({ azs, details, params, expected, annotation }) => {
    // Arrange
    const parts = { ...endpointIn(azs), ServiceDetails: details };

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1', params);

    // Assert
    expect(verdict.complianceType).toBe(expected);
    for (const text of annotation) expect(verdict.annotation).toContain(text);
  });

  it('does not name offered AZs when the endpoint is not short', () => {
    // Arrange
    const parts = {
      ...endpointIn(['az1', 'az2']),
      ServiceDetails: [
        offeredIn('ssm', ['Interface'], ['use1-az1', 'use1-az2', 'use1-az4']),
      ],
    };

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('COMPLIANT');
    expect(verdict.annotation).not.toContain('use1-az4');
  });
});

describe('interface-endpoint-multi-az minAzs parameter', () => {
  const twoAzsOfThree = {
    ...endpointIn(['az1', 'az2']),
    ServiceDetails: [serviceDetail('ssm', ['Interface'])],
  };

  it.each([
    ['"3"', '3', 'NON_COMPLIANT'],
    ['3', 3, 'NON_COMPLIANT'],
    ['"" (default 2)', '', 'COMPLIANT'],
    ['" 3 "', ' 3 ', 'NON_COMPLIANT'],
    ['"2"', '2', 'COMPLIANT'],
  ])('reads minAzs %s', (_label, minAzs, expected) => {
    // Act
    const verdict = verdictOf(RULE, twoAzsOfThree, 'vpce-1', { minAzs });

    // Assert
    expect(verdict.complianceType).toBe(expected);
  });

  it.each([
    ['"0"', '0'],
    ['"abc"', 'abc'],
    ['"2.5"', '2.5'],
    ['-1', -1],
    ['2.5', 2.5],
    ['0', 0],
    ['true', true],
  ])('rejects minAzs %s', (_label, minAzs) => {
    // Act
    const run = () => evaluate(RULE, twoAzsOfThree, { minAzs });

    // Assert
    expect(run).toThrow(InvalidParameterError);
    expect(run).toThrow(/minAzs/);
  });
});

describe('interface-endpoint-multi-az evaluations', () => {
  it('reports every endpoint, in id order', () => {
    // Arrange
    const parts = snapshot({
      Subnets: subnetsIn('az1', 'az2'),
      VpcEndpoints: [
        endpoint('vpce-c', { subnets: ['subnet-1'] }),
        endpoint('vpce-a', { subnets: ['subnet-1', 'subnet-2'] }),
        endpoint('vpce-b', { type: 'Gateway', service: 's3' }),
      ],
    });

    // Act
    const evaluations = evaluate(RULE, parts);

    // Assert
    expect(evaluations.map((e) => [e.resourceId, e.complianceType])).toEqual([
      ['vpce-a', 'COMPLIANT'],
      ['vpce-b', 'NOT_APPLICABLE'],
      ['vpce-c', 'NON_COMPLIANT'],
    ]);
  });
});
