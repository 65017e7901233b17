import { describe, expect, it } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { InvalidContextError } from '../../infra/settings.js';
import { rules } from '../../rules/index.js';
import { resourcesOf, synthesize } from './synth.js';

const ruleCases = rules.map((rule) => [rule.metadata.id, rule] as const);

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

const statementsOf = (template: ReturnType<typeof synthesize>['account']) =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(
    (policy) =>
      (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement
  );

const actionsOf = (statement: Statement): string[] =>
  typeof statement.Action === 'string' ? [statement.Action] : statement.Action;

describe('OrganizationStack', () => {
  it.each(ruleCases)(
    'deploys %s as an organization rule acting through the member role',
    (ruleId, rule) => {
      // Arrange
      const { organization } = synthesize();

      // Assert
      organization.hasResourceProperties(
        'AWS::Config::OrganizationConfigRule',
        {
          OrganizationConfigRuleName: `vpce-guard-${ruleId}`,
          OrganizationCustomRuleMetadata: {
            OrganizationConfigRuleTriggerTypes: [
              'ConfigurationItemChangeNotification',
              'OversizedConfigurationItemChangeNotification',
              'ScheduledNotification',
            ],
            InputParameters: JSON.stringify({
              ExecutionRoleName: 'VpceGuardMemberRole',
            }),
            MaximumExecutionFrequency: 'TwentyFour_Hours',
            ResourceTypesScope: [...rule.metadata.triggerResourceTypes],
          },
        }
      );
    }
  );

  it('skips the accounts the context excludes and passes rule parameters', () => {
    // Arrange
    const context = {
      excludedAccounts: '111111111111,222222222222',
      memberRoleName: 'AuditVpce',
      ruleParameters: { 'endpoint-policy-restrictive': { securityHub: false } },
    };

    // Act
    const { organization } = synthesize({ context });

    // Assert
    organization.hasResourceProperties('AWS::Config::OrganizationConfigRule', {
      OrganizationConfigRuleName: 'vpce-guard-endpoint-policy-restrictive',
      ExcludedAccounts: ['111111111111', '222222222222'],
      OrganizationCustomRuleMetadata: {
        InputParameters: JSON.stringify({
          securityHub: 'false',
          ExecutionRoleName: 'AuditVpce',
        }),
      },
    });
  });

  it('stops the synth when a rule’s InputParameters exceed 1024 characters', () => {
    // Arrange
    const context = {
      ruleParameters: {
        'private-subnet-gateway-endpoints': {
          exemptTagKey: 'k'.repeat(128),
          padding: 'x'.repeat(1000),
        },
      },
    };

    // Act and Assert
    expect(() => synthesize({ context })).toThrow(InvalidContextError);
    expect(() => synthesize({ context })).toThrow(
      /InputParameters are \d+ characters; Config accepts at most 1024/u
    );
  });

  it('lets Config invoke each function with no source condition by default', () => {
    // Arrange
    const { organization } = synthesize();

    // Act
    const permissions = Object.values(
      resourcesOf(organization, 'AWS::Lambda::Permission')
    );

    // Assert: no SourceAccount or SourceArn can name an organization.
    expect(permissions).toHaveLength(rules.length);
    for (const permission of permissions) {
      expect(permission.Properties).toEqual({
        Action: 'lambda:InvokeFunction',
        FunctionName: expect.anything() as unknown,
        Principal: 'config.amazonaws.com',
      });
    }
  });

  it('limits invocation to the listed member accounts, one statement each', () => {
    // Arrange
    const accounts = ['111111111111', '222222222222', '333333333333'];

    // Act
    const { organization } = synthesize({
      context: { memberAccountIds: accounts },
    });

    // Assert
    const sources = Object.values(
      resourcesOf(organization, 'AWS::Lambda::Permission')
    ).map((permission) => permission.Properties.SourceAccount);
    expect(sources).toHaveLength(rules.length * accounts.length);
    expect([...new Set(sources)].sort()).toEqual(accounts);
  });

  it('stops the synth when the listed accounts would not fit a 20 KB function policy', () => {
    // Arrange
    const accounts = Array.from({ length: 200 }, (_, index) =>
      String(100000000000 + index)
    );

    // Act and Assert
    expect(() =>
      synthesize({ context: { memberAccountIds: accounts } })
    ).toThrow(
      /200 accounts need about \d+ bytes of function policy; Lambda allows 20480/u
    );
  });

  it('requires every event to name the member role', () => {
    // Arrange
    const { organization } = synthesize();

    // Assert
    organization.allResourcesProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          MEMBER_ROLE_NAME: 'VpceGuardMemberRole',
        }),
      },
    });
  });

  it('lets the functions assume the member role and touch nothing else in AWS but their own verdict table', () => {
    // Arrange
    const { organization } = synthesize();

    // Act
    const actions = new Set(statementsOf(organization).flatMap(actionsOf));

    // Assert
    expect([...actions].sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:Query',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
      'sts:AssumeRole',
    ]);
    const assume = statementsOf(organization).filter((statement) =>
      actionsOf(statement).includes('sts:AssumeRole')
    );
    for (const statement of assume) {
      expect(statement.Resource).toEqual({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':iam::*:role/VpceGuardMemberRole',
          ],
        ],
      });
      expect(statement.Condition).toBeUndefined();
    }
  });

  it('confines role assumption to the organization when its id is given', () => {
    // Arrange
    const { organization } = synthesize({
      context: { organizationId: 'o-abcdefghij' },
    });

    // Act
    const assume = statementsOf(organization).filter((statement) =>
      actionsOf(statement).includes('sts:AssumeRole')
    );

    // Assert
    expect(assume).toHaveLength(rules.length);
    for (const statement of assume) {
      expect(statement.Condition).toEqual({
        StringEquals: { 'aws:ResourceOrgID': 'o-abcdefghij' },
      });
    }
  });

  it('names each function role so member roles can trust it', () => {
    // Arrange
    const { organization } = synthesize();

    // Assert
    for (const rule of rules) {
      organization.hasResourceProperties('AWS::IAM::Role', {
        RoleName: {
          'Fn::Join': [
            '',
            [`vpce-guard-${rule.metadata.id}-`, { Ref: 'AWS::Region' }],
          ],
        },
      });
    }
  });
});
