import { describe, expect, it } from '@jest/globals';
import { rules } from '../../rules/index.js';
import { resourcesOf, synthesize } from './synth.js';

const trustOf = (context: Record<string, unknown> = {}) => {
  const { memberRole } = synthesize({ context });
  const [role] = Object.values(resourcesOf(memberRole, 'AWS::IAM::Role'));
  if (!role) throw new Error('the member-role stack has no role');
  return {
    memberRole,
    role,
    statement: (
      role.Properties.AssumeRolePolicyDocument as {
        Statement: {
          Condition: { ArnLike: { 'aws:PrincipalArn': unknown[] } };
          Principal: unknown;
        }[];
      }
    ).Statement,
  };
};

/** The commercial Regions of December 2026. */
const COMMERCIAL_REGIONS = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];

/** IAM's default limit on a role trust policy's length, in characters. */
const TRUST_POLICY_LIMIT = 2048;

/** The template value with each `Ref` and `Fn::Join` resolved, as deployed. */
const resolveRefs = (
  value: unknown,
  refs: Readonly<Record<string, string>>
): unknown => {
  if (Array.isArray(value)) return value.map((item) => resolveRefs(item, refs));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if (typeof object.Ref === 'string') {
    const resolved = refs[object.Ref];
    if (resolved === undefined)
      throw new Error(`no value for Ref ${object.Ref}`);
    return resolved;
  }
  if (Array.isArray(object['Fn::Join'])) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolveRefs(part, refs)).join(separator);
  }
  return Object.fromEntries(
    Object.entries(object).map(([key, item]) => [key, resolveRefs(item, refs)])
  );
};

describe('MemberRoleStack', () => {
  it('is one named role and a CentralAccountId parameter, for a StackSet', () => {
    // Arrange
    const { memberRole, role } = trustOf({ memberRoleName: 'AuditVpce' });

    // Assert
    memberRole.resourceCountIs('AWS::IAM::Role', 1);
    expect(role.Properties.RoleName).toBe('AuditVpce');
    expect(memberRole.toJSON().Parameters).toEqual({
      CentralAccountId: expect.objectContaining({
        Type: 'String',
        AllowedPattern: '^\\d{12}$',
      }) as unknown,
    });
    expect(memberRole.toJSON().Rules).toBeUndefined();
  });

  it("trusts each rule's function role, in any Region, in the central account", () => {
    // Arrange
    const regions = ['us-east-1', 'eu-west-1'];

    // Act
    const { statement } = trustOf({ organizationRegions: regions });

    // Assert
    expect(statement).toHaveLength(1);
    expect(statement[0]?.Principal).toEqual({
      AWS: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':iam::',
            { Ref: 'CentralAccountId' },
            ':root',
          ],
        ],
      },
    });
    expect(statement[0]?.Condition.ArnLike['aws:PrincipalArn']).toEqual(
      rules.map((rule) => ({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':iam::',
            { Ref: 'CentralAccountId' },
            `:role/vpce-guard-${rule.metadata.id}-*`,
          ],
        ],
      }))
    );
  });

  it.each([
    ['one Region', ['us-east-1']],
    [
      'four Regions',
      ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'],
    ],
    ['every commercial Region of 2026', COMMERCIAL_REGIONS],
  ])(
    "keeps the trust policy within IAM's 2,048 characters with %s",
    (_case, regions) => {
      // Arrange: the longest partition name IAM knows, a 12-digit account
      const { role } = trustOf({ organizationRegions: regions });

      // Act
      const deployed = resolveRefs(role.Properties.AssumeRolePolicyDocument, {
        'AWS::Partition': 'aws-us-gov',
        CentralAccountId: '123456789012',
      });

      // Assert: IAM counts the policy without whitespace
      expect(JSON.stringify(deployed).length).toBeLessThanOrEqual(
        TRUST_POLICY_LIMIT
      );
    }
  );
});
