import { readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { AccountRegionSnapshot } from '../../../functions/shared/formats/snapshot-schema.js';
import { rules } from '../../../rules/index.js';
import { InvalidParameterError } from '../../../rules/model/errors.js';
import type { RuleMetadata } from '../../../rules/model/rule.js';
import {
  ACCOUNT,
  endpoint,
  evaluate,
  inventoryOf,
  REGION,
  route,
  routeTable,
  ruleNamed,
  securityGroup,
  serviceDetail,
  subnet,
  verdictOf,
  vpc,
} from '../../helpers/factories.js';

/** The rules README.md documents, in the order of its table. */
const README_RULE_IDS = [
  'private-subnet-gateway-endpoints',
  'interface-endpoint-multi-az',
  'interface-endpoint-private-dns',
  'endpoint-policy-restrictive',
  'interface-endpoint-https-ingress',
  'vpc-required-endpoints',
];

const ENDPOINT_RULE_IDS = README_RULE_IDS.filter(
  (id) =>
    id !== 'private-subnet-gateway-endpoints' && id !== 'vpc-required-endpoints'
);

/** Returns what `run` throws, so assertions stay outside any catch. */
const thrownBy = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, none was thrown');
};

/**
 * An interface endpoint `vpce-1` that fails every endpoint rule (one AZ,
 * private DNS off, no HTTPS ingress, default full-access policy), with
 * `tags`, and a private subnet `subnet-1` whose S3 traffic leaves through
 * NAT, with `subnetTags`, in VPC `vpc-1` (tagged `tags` too) that lacks
 * the endpoints vpc-required-endpoints requires.
 */
const failingEverything = (
  tags?: Record<string, string>,
  subnetTags?: Record<string, string>
): Partial<AccountRegionSnapshot> => ({
  Vpcs: [
    vpc('vpc-1', ['10.0.0.0/16'], {
      Tags: Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    }),
  ],
  VpcHostedZones: [{ VpcId: 'vpc-1', HostedZoneSummaries: [] }],
  Subnets: [subnet('subnet-1', { az: 'az1', tags: subnetTags })],
  RouteTables: [
    routeTable('rtb-1', {
      main: true,
      routes: [route.cidr('0.0.0.0/0', { NatGatewayId: 'nat-1' })],
    }),
  ],
  VpcEndpoints: [
    endpoint('vpce-1', {
      subnets: ['subnet-1'],
      groups: ['sg-1'],
      privateDns: false,
      tags,
    }),
  ],
  ServiceDetails: [serviceDetail('ssm', ['Interface'])],
  SecurityGroups: [securityGroup('sg-1')],
});

const RESOURCE_OF: Readonly<Record<string, string>> = {
  'private-subnet-gateway-endpoints': 'subnet-1',
  'vpc-required-endpoints': 'vpc-1',
};

const resourceOf = (ruleId: string): string => RESOURCE_OF[ruleId] ?? 'vpce-1';

describe('exempt tag', () => {
  it.each(README_RULE_IDS)('fails the untagged resource under %s', (ruleId) => {
    // Act
    const verdict = verdictOf(ruleId, failingEverything(), resourceOf(ruleId));

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
  });

  it.each(
    README_RULE_IDS.flatMap((ruleId) =>
      ['true', 'TRUE', ruleId, ruleId.toUpperCase(), `a, ${ruleId}`].map(
        (value) => [ruleId, value] as const
      )
    )
  )(
    'exempts the resource of %s tagged vpce-guard:exempt=%s',
    (ruleId, value) => {
      // Arrange
      const tags = { 'vpce-guard:exempt': value };
      const parts = failingEverything(tags, tags);

      // Act
      const verdict = verdictOf(ruleId, parts, resourceOf(ruleId));

      // Assert
      expect(verdict).toEqual({
        complianceType: 'NOT_APPLICABLE',
        annotation: 'exempt by tag',
      });
    }
  );

  it.each([
    ['other'],
    ['false'],
    ['interface-endpoint-private-dns'],
    ['interface-endpoint-multi-az-old'],
    ['truex'],
  ])(
    'does not exempt an endpoint tagged vpce-guard:exempt=%s from interface-endpoint-multi-az',
    (value) => {
      // Arrange
      const parts = failingEverything({ 'vpce-guard:exempt': value });

      // Act
      const verdict = verdictOf('interface-endpoint-multi-az', parts, 'vpce-1');

      // Assert
      expect(verdict.complianceType).toBe('NON_COMPLIANT');
    }
  );

  it.each([
    ['the custom key', { 'team:skip': 'true' }, 'NOT_APPLICABLE'],
    ['the default key', { 'vpce-guard:exempt': 'true' }, 'NON_COMPLIANT'],
  ])(
    'with exemptTagKey team:skip, judges a resource tagged with %s',
    (_label, tags, expected) => {
      // Arrange
      const parts = failingEverything(tags, tags);

      // Act
      const endpointVerdict = verdictOf(
        'interface-endpoint-multi-az',
        parts,
        'vpce-1',
        { exemptTagKey: 'team:skip' }
      );
      const subnetVerdict = verdictOf(
        'private-subnet-gateway-endpoints',
        parts,
        'subnet-1',
        { exemptTagKey: 'team:skip' }
      );

      // Assert
      expect(endpointVerdict.complianceType).toBe(expected);
      expect(subnetVerdict.complianceType).toBe(expected);
    }
  );

  it('rejects an exemptTagKey longer than 128 characters', () => {
    // Act
    const run = () =>
      ruleNamed('interface-endpoint-multi-az').prepare({
        exemptTagKey: 'k'.repeat(129),
      });

    // Assert
    expect(run).toThrow(InvalidParameterError);
    expect(run).toThrow(/exemptTagKey/);
  });
});

describe('parameter values', () => {
  it.each([
    ['interface-endpoint-multi-az', 'minAzs', '3', 3],
    ['interface-endpoint-multi-az', 'minAzs', 3, 3],
    ['interface-endpoint-multi-az', 'minAzs', '', 2],
    ['interface-endpoint-multi-az', 'minAzs', null, 2],
    ['interface-endpoint-multi-az', 'refreshDays', '', 30],
    ['interface-endpoint-multi-az', 'refreshDays', '0', 0],
    ['interface-endpoint-multi-az', 'refreshDays', 80, 80],
    ['private-subnet-gateway-endpoints', 'requireGatewayRoute', 'true', true],
    ['private-subnet-gateway-endpoints', 'requireGatewayRoute', 'True', true],
    ['private-subnet-gateway-endpoints', 'requireGatewayRoute', 'FALSE', false],
    ['private-subnet-gateway-endpoints', 'requireGatewayRoute', true, true],
    ['private-subnet-gateway-endpoints', 'requireGatewayRoute', '', false],
    [
      'private-subnet-gateway-endpoints',
      'services',
      's3,dynamodb',
      ['s3', 'dynamodb'],
    ],
    ['private-subnet-gateway-endpoints', 'services', ' S3 ', ['s3']],
    [
      'private-subnet-gateway-endpoints',
      'services',
      ['dynamodb'],
      ['dynamodb'],
    ],
    ['private-subnet-gateway-endpoints', 'services', '', ['s3', 'dynamodb']],
    [
      'interface-endpoint-private-dns',
      'exemptServices',
      's3,execute-api',
      ['s3', 'execute-api'],
    ],
    ['interface-endpoint-private-dns', 'exemptServices', ['s3'], ['s3']],
    ['interface-endpoint-private-dns', 'exemptServices', '', []],
    [
      'endpoint-policy-restrictive',
      'trustedAccountIds',
      '444455556666',
      ['444455556666'],
    ],
    [
      'endpoint-policy-restrictive',
      'trustedOrgIds',
      ['o-abcdefghij'],
      ['o-abcdefghij'],
    ],
    [
      'interface-endpoint-https-ingress',
      'exemptTagKey',
      '',
      'vpce-guard:exempt',
    ],
    [
      'interface-endpoint-https-ingress',
      'exemptTagKey',
      'team:skip',
      'team:skip',
    ],
  ])('%s reads %s %j as %j', (ruleId, name, raw, expected) => {
    // Act
    const prepared = ruleNamed(ruleId).prepare({ [name]: raw });

    // Assert
    expect(prepared.parameters[name]).toEqual(expected);
  });

  it.each([
    ['"true"', 'true', 'NON_COMPLIANT'],
    ['"True"', 'True', 'NON_COMPLIANT'],
    ['true', true, 'NON_COMPLIANT'],
    ['"" (default false)', '', 'COMPLIANT'],
    ['"false"', 'false', 'COMPLIANT'],
  ])(
    'applies requireGatewayRoute %s to a subnet without a route to S3',
    (_label, requireGatewayRoute, expected) => {
      // Arrange
      const parts = {
        Subnets: [subnet('subnet-1')],
        RouteTables: [routeTable('rtb-1', { main: true })],
      };

      // Act
      const verdict = verdictOf(
        'private-subnet-gateway-endpoints',
        parts,
        'subnet-1',
        { requireGatewayRoute }
      );

      // Assert
      expect(verdict.complianceType).toBe(expected);
    }
  );

  it.each(README_RULE_IDS)(
    '%s ignores unknown parameter names such as ExecutionRoleName',
    (ruleId) => {
      // Arrange
      const rule = ruleNamed(ruleId);
      const defaults = rule.prepare({}).parameters;

      // Act
      const prepared = rule.prepare({
        ExecutionRoleName: 'vpce-guard-member',
        AssumeRoleMode: 'true',
      });

      // Assert
      expect(prepared.parameters).toEqual(defaults);
    }
  );

  it.each([
    ['undefined', undefined],
    ['null', null],
  ])('reads %s parameters as all defaults', (_label, raw) => {
    // Act
    const prepared = ruleNamed('interface-endpoint-multi-az').prepare(raw);

    // Assert
    expect(prepared.parameters).toEqual({
      minAzs: 2,
      exemptTagKey: 'vpce-guard:exempt',
      securityHub: true,
      refreshDays: 30,
    });
  });

  it.each([
    ['a string', 'minAzs=3'],
    ['a JSON string', '{"minAzs":"3"}'],
    ['an array', ['3']],
    ['a number', 3],
    ['a boolean', true],
  ])('rejects parameters that are %s', (_label, raw) => {
    // Act
    const run = () => ruleNamed('interface-endpoint-multi-az').prepare(raw);

    // Assert
    expect(run).toThrow(InvalidParameterError);
    expect(run).toThrow(/interface-endpoint-multi-az.*JSON object/);
  });

  it.each([
    ['interface-endpoint-multi-az', 'minAzs', 'abc', 'an integer ≥ 1'],
    [
      'interface-endpoint-multi-az',
      'refreshDays',
      '81',
      'an integer from 0 to 80',
    ],
    [
      'private-subnet-gateway-endpoints',
      'refreshDays',
      '-1',
      'an integer from 0 to 80',
    ],
    [
      'private-subnet-gateway-endpoints',
      'requireGatewayRoute',
      'yes',
      'true or false',
    ],
    ['private-subnet-gateway-endpoints', 'services', 's3,ec2', 's3, dynamodb'],
    ['private-subnet-gateway-endpoints', 'services', ',', 's3, dynamodb'],
    [
      'endpoint-policy-restrictive',
      'trustedAccountIds',
      '1234',
      '12-digit account ids',
    ],
    [
      'endpoint-policy-restrictive',
      'trustedOrgIds',
      'org-1',
      'organization ids',
    ],
  ])(
    '%s names the rule, %s and the expected form when given %j',
    (ruleId, name, raw, expected) => {
      // Act
      const error = thrownBy(() => ruleNamed(ruleId).prepare({ [name]: raw }));

      // Assert
      expect(error).toBeInstanceOf(InvalidParameterError);
      expect(error).toMatchObject({ parameter: name });
      const message = (error as Error).message;
      expect(message).toContain(ruleId);
      expect(message).toContain(name);
      expect(message).toContain(expected);
      expect(message).toContain(JSON.stringify(raw));
    }
  );
});

describe('evaluations', () => {
  const endpoints = [
    endpoint('vpce-0c', { subnets: ['subnet-1'] }),
    endpoint('vpce-0a', { type: 'Gateway', service: 's3' }),
    endpoint('vpce-0d', { state: 'deleted', subnets: ['subnet-1'] }),
    endpoint('vpce-0b', { subnets: ['subnet-1', 'subnet-2'] }),
  ];
  const parts = (order: readonly number[]): Partial<AccountRegionSnapshot> => ({
    Subnets: [subnet('subnet-2', { az: 'az2' }), subnet('subnet-1')],
    RouteTables: [routeTable('rtb-1', { main: true })],
    VpcEndpoints: order.map((i) => endpoints[i]).filter((e) => e !== undefined),
    SecurityGroups: [securityGroup('sg-1')],
  });

  it.each(ENDPOINT_RULE_IDS)(
    '%s evaluates every endpoint once, in id order',
    (ruleId) => {
      // Act
      const evaluations = evaluate(ruleId, parts([0, 1, 2, 3]));

      // Assert
      expect(evaluations.map((e) => e.resourceId)).toEqual([
        'vpce-0a',
        'vpce-0b',
        'vpce-0c',
        'vpce-0d',
      ]);
    }
  );

  it('evaluates every subnet once, in id order', () => {
    // Act
    const evaluations = evaluate(
      'private-subnet-gateway-endpoints',
      parts([0, 1, 2, 3])
    );

    // Assert
    expect(evaluations.map((e) => e.resourceId)).toEqual([
      'subnet-1',
      'subnet-2',
    ]);
  });

  it.each(README_RULE_IDS)(
    '%s returns the same evaluations whatever the input order',
    (ruleId) => {
      // Act
      const forward = evaluate(ruleId, parts([0, 1, 2, 3]));
      const backward = evaluate(ruleId, parts([3, 2, 1, 0]));

      // Assert
      expect(backward).toEqual(forward);
    }
  );

  it.each(README_RULE_IDS)(
    '%s stamps each evaluation with its rule, account, region and type',
    (ruleId) => {
      // Arrange
      const rule = ruleNamed(ruleId);

      // Act
      const evaluations = rule
        .prepare({})
        .evaluate(inventoryOf(parts([0, 1, 2, 3])));

      // Assert
      expect(evaluations.length).toBeGreaterThan(0);
      for (const evaluation of evaluations) {
        expect(evaluation).toMatchObject({
          ruleId,
          accountId: ACCOUNT,
          region: REGION,
          resourceType: rule.metadata.resourceType,
        });
      }
    }
  );

  it('reports NOT_APPLICABLE endpoints too', () => {
    // Act
    const evaluations = evaluate(
      'interface-endpoint-multi-az',
      parts([0, 1, 2, 3])
    );

    // Assert
    expect(evaluations.map((e) => [e.resourceId, e.complianceType])).toEqual([
      ['vpce-0a', 'NOT_APPLICABLE'],
      ['vpce-0b', 'COMPLIANT'],
      ['vpce-0c', 'NON_COMPLIANT'],
      ['vpce-0d', 'NOT_APPLICABLE'],
    ]);
  });
});

describe('annotation length', () => {
  // 30 groups of 40 characters: the list alone is far beyond 256.
  const groupIds = Array.from(
    { length: 30 },
    (_, i) => `sg-${String(i).padStart(2, '0')}${'0123456789abcdef'.repeat(3)}x`
  );
  const parts = {
    VpcEndpoints: [endpoint('vpce-1', { groups: groupIds })],
    SecurityGroups: groupIds.map((id) => securityGroup(id)),
  };

  it('clamps a long annotation to 256 characters ending with …', () => {
    // Act
    const verdict = verdictOf(
      'interface-endpoint-https-ingress',
      parts,
      'vpce-1'
    );

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
    expect(verdict.annotation).toHaveLength(256);
    expect(verdict.annotation.endsWith('…')).toBe(true);
    expect(verdict.annotation.slice(0, 255)).toBe(
      groupIds.join(', ').slice(0, 255)
    );
  });

  it('keeps a short annotation whole', () => {
    // Arrange
    const short = {
      VpcEndpoints: [endpoint('vpce-1', { groups: ['sg-1'] })],
      SecurityGroups: [securityGroup('sg-1')],
    };

    // Act
    const verdict = verdictOf(
      'interface-endpoint-https-ingress',
      short,
      'vpce-1'
    );

    // Assert
    expect(verdict.annotation.length).toBeLessThan(256);
    expect(verdict.annotation.endsWith('…')).toBe(false);
    expect(verdict.annotation).toContain('sg-1');
  });
});

describe('registry', () => {
  const ruleFolders = readdirSync(new URL('../../../rules/', import.meta.url), {
    withFileTypes: true,
  })
    .filter((entry) => entry.isDirectory() && entry.name !== 'model')
    .map((entry) => entry.name)
    .sort();

  it('holds exactly the six rule ids README.md documents', () => {
    // Act
    const ids = rules.map((r) => r.metadata.id);

    // Assert
    expect([...ids].sort()).toEqual([...README_RULE_IDS].sort());
  });

  it('has one folder under rules/ per registered rule', () => {
    // Assert
    expect(ruleFolders).toEqual([...README_RULE_IDS].sort());
  });

  it.each(README_RULE_IDS)(
    'registers %s with the metadata of its own folder',
    async (folder) => {
      // Arrange
      const module = (await import(`../../../rules/${folder}/metadata.js`)) as {
        metadata: Omit<RuleMetadata, 'parameters'>;
      };

      // Act
      const registered = ruleNamed(folder).metadata;

      // Assert
      expect(module.metadata.id).toBe(folder);
      expect(registered).toMatchObject(module.metadata);
    }
  );

  it.each(README_RULE_IDS)(
    '%s has a title ≤ 150 and a remediation text ≤ 512 with the actions of its document',
    (id) => {
      // Act
      const { metadata } = ruleNamed(id);

      // Assert
      expect(metadata.title.length).toBeGreaterThan(0);
      expect(metadata.title.length).toBeLessThanOrEqual(150);
      expect(metadata.remediation.text.length).toBeGreaterThan(0);
      expect(metadata.remediation.text.length).toBeLessThanOrEqual(512);
      expect(metadata.remediation.actions.length).toBeGreaterThan(0);
    }
  );

  it.each([
    ['private-subnet-gateway-endpoints', 'AWS::EC2::Subnet'],
    ['interface-endpoint-multi-az', 'AWS::EC2::VPCEndpoint'],
    ['interface-endpoint-private-dns', 'AWS::EC2::VPCEndpoint'],
    ['endpoint-policy-restrictive', 'AWS::EC2::VPCEndpoint'],
    ['interface-endpoint-https-ingress', 'AWS::EC2::VPCEndpoint'],
  ])('reports %s on %s', (id, resourceType) => {
    // Assert
    expect(ruleNamed(id).metadata.resourceType).toBe(resourceType);
  });

  it.each(README_RULE_IDS)('%s takes exemptTagKey', (id) => {
    // Act
    const names = ruleNamed(id).metadata.parameters.map((p) => p.name);

    // Assert
    expect(names).toContain('exemptTagKey');
  });
});

describe('the securityHub parameter', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['true', true],
    ['False', false],
    [false, false],
  ])('reads %j as %s', (raw, expected) => {
    // Act
    const prepared = ruleNamed('interface-endpoint-multi-az').prepare(
      raw === undefined ? {} : { securityHub: raw }
    );

    // Assert
    expect(prepared.parameters.securityHub).toBe(expected);
  });

  it('rejects a value that is not a boolean, naming the parameter', () => {
    // Act and Assert
    expect(() =>
      ruleNamed('interface-endpoint-multi-az').prepare({
        securityHub: 'maybe',
      })
    ).toThrow(
      'interface-endpoint-multi-az: parameter securityHub: expected true or false, got "maybe"'
    );
  });
});
