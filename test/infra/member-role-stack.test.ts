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
          Condition: { ArnEquals: { 'aws:PrincipalArn': unknown[] } };
          Principal: unknown;
        }[];
      }
    ).Statement,
  };
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

  it('trusts exactly the central function role of each rule in each Region', () => {
    // Arrange
    const regions = ['us-east-1', 'eu-west-1'];

    // Act
    const { statement } = trustOf({ organizationRegions: regions });

    // Assert
    expect(statement).toHaveLength(1);
    const trusted = statement[0]?.Condition.ArnEquals['aws:PrincipalArn'];
    expect(trusted).toHaveLength(rules.length * regions.length);
    for (const rule of rules) {
      for (const region of regions) {
        expect(trusted).toContainEqual({
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':iam::',
              { Ref: 'CentralAccountId' },
              `:role/vpce-guard-${rule.metadata.id}-${region}`,
            ],
          ],
        });
      }
    }
  });
});
