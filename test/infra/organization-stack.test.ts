import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import { pascalCase } from '../../infra/names.js';
import { InvalidContextError } from '../../infra/settings.js';
import { rules } from '../../rules/index.js';
import { RULE_SOURCE_DETAILS } from './source-details.js';
import { resourcesOf, synthesize } from './synth.js';
import { packTemplateOf } from './template-body.js';

const ruleCases = rules.map((rule) => [rule.metadata.id, rule] as const);

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** The logical ids of the rule functions' roles (`vpce-guard-<rule>-<region>`). */
const ruleRoleIds = (template: Template): string[] =>
  Object.entries(resourcesOf(template, 'AWS::IAM::Role'))
    .filter(([, role]) =>
      JSON.stringify(role.Properties.RoleName ?? '').includes('vpce-guard-')
    )
    .map(([id]) => id);

/** The statements of the policies attached to the rule functions' roles. */
const statementsOf = (template: Template) => {
  const roles = ruleRoleIds(template);
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties.Roles as { Ref: string }[]).some((role) =>
        roles.includes(role.Ref)
      )
    )
    .flatMap(
      (policy) =>
        (policy.Properties.PolicyDocument as { Statement: Statement[] })
          .Statement
    );
};

/** The rule functions (not the CDK custom-resource provider). */
const ruleFunctionsOf = (template: Template) =>
  Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).filter(
    ([, fn]) =>
      (fn.Properties.Environment as { Variables?: Record<string, string> })
        ?.Variables?.RULE_ID !== undefined
  );

const environmentOf = (fn: { Properties: Record<string, unknown> }) =>
  (fn.Properties.Environment as { Variables: Record<string, string> })
    .Variables;

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

  it('requires every event to name the member role, with the organization unpinned by default', () => {
    // Arrange
    const { organization } = synthesize();

    // Act
    const functions = ruleFunctionsOf(organization);

    // Assert
    expect(functions).toHaveLength(rules.length);
    for (const [, fn] of functions) {
      expect(environmentOf(fn).MEMBER_ROLE_NAME).toBe('VpceGuardMemberRole');
      expect(environmentOf(fn).ORGANIZATION_ID).toBeUndefined();
    }
  });

  it('pins the functions to the organization the context names', () => {
    // Arrange
    const { organization } = synthesize({
      context: { organizationId: 'o-abcdefghij' },
    });

    // Assert
    for (const [, fn] of ruleFunctionsOf(organization)) {
      expect(environmentOf(fn).ORGANIZATION_ID).toBe('o-abcdefghij');
    }
  });

  it('lets the functions read the organization, assume the member role and touch nothing else in AWS but their own verdict table', () => {
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
      'organizations:DescribeOrganization',
      'organizations:ListAccounts',
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

describe('OrganizationStack: the organization guard', () => {
  it('lets each function read the organization it checks events against', () => {
    // Arrange
    const { organization } = synthesize();

    // Act
    const reads = statementsOf(organization).filter((statement) =>
      actionsOf(statement).includes('organizations:ListAccounts')
    );

    // Assert
    expect(reads).toHaveLength(rules.length);
    for (const statement of reads) {
      expect(statement).toMatchObject({
        Action: [
          'organizations:DescribeOrganization',
          'organizations:ListAccounts',
        ],
        Resource: '*',
      });
    }
  });

  it('counts each function’s refused outsider events into one metric', () => {
    // Arrange
    const { organization } = synthesize();

    // Act
    const filters = Object.values(
      resourcesOf(organization, 'AWS::Logs::MetricFilter')
    );
    const logGroups = Object.keys(
      resourcesOf(organization, 'AWS::Logs::LogGroup')
    );

    // Assert
    expect(filters).toHaveLength(rules.length);
    expect(
      filters
        .map(
          (filter) => (filter.Properties.LogGroupName as { Ref: string }).Ref
        )
        .sort()
    ).toEqual([...logGroups].sort());
    for (const filter of filters) {
      expect(filter.Properties).toMatchObject({
        FilterPattern: '{ $.refusal = "account-outside-organization" }',
        MetricTransformations: [
          {
            MetricNamespace: 'vpce-guard',
            MetricName: 'OutsideOrganizationEvents',
            MetricValue: '1',
          },
        ],
      });
    }
  });

  it('alarms on any refused outsider event', () => {
    // Arrange
    const { organization } = synthesize();

    // Assert
    organization.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'vpce-guard',
      MetricName: 'OutsideOrganizationEvents',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it.each(
    rules.map((rule) => [
      rule.metadata.id,
      `${pascalCase(rule.metadata.id)}FunctionArn`,
    ])
  )('outputs the ARN of the %s function as %s', (_ruleId, output) => {
    // Arrange
    const { organization } = synthesize();

    // Assert
    expect(organization.toJSON().Outputs[output]).toEqual(
      expect.objectContaining({
        Value: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
      })
    );
  });
});

/** A StackSet of the organization stack by name, with its condition. */
const stackSetOf = (template: Template, name = 'vpce-guard-member-role') => {
  const stackSets = (
    Object.values(template.findResources('AWS::CloudFormation::StackSet')) as {
      Condition?: string;
      Properties: Record<string, unknown>;
    }[]
  ).filter((stackSet) => stackSet.Properties.StackSetName === name);
  const [stackSet] = stackSets;
  if (stackSets.length !== 1 || !stackSet) {
    throw new Error(`expected one StackSet ${name}, found ${stackSets.length}`);
  }
  return stackSet;
};

describe('OrganizationStack: the member-role StackSet', () => {
  it('deploys the member role through a service-managed StackSet with automatic deployment', () => {
    // Arrange
    const { organization } = synthesize();

    // Act
    const stackSet = stackSetOf(organization);

    // Assert
    expect(stackSet.Properties).toMatchObject({
      StackSetName: 'vpce-guard-member-role',
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'SELF',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Parameters: [
        {
          ParameterKey: 'CentralAccountId',
          ParameterValue: { Ref: 'AWS::AccountId' },
        },
      ],
    });
  });

  it('deploys exactly the template of MemberRoleStack', () => {
    // Arrange
    const context = {
      organizationRegions: 'eu-west-1,us-east-1',
      memberRoleName: 'AuditVpce',
    };
    const { organization, memberRole } = synthesize({ context });

    // Act
    const body = JSON.parse(
      String(stackSetOf(organization).Properties.TemplateBody)
    );

    // Assert
    expect(body).toEqual(memberRole.toJSON());
  });

  it('targets the organization root, looked up at deployment, in the first organization Region by default', () => {
    // Arrange
    const { organization } = synthesize({
      context: { organizationRegions: 'eu-west-1,us-east-1' },
    });

    // Act
    const [group] = stackSetOf(organization).Properties.StackInstancesGroup as {
      DeploymentTargets: { OrganizationalUnitIds: unknown[] };
      Regions: string[];
    }[];
    const lookups = organization.findResources('Custom::AWS');

    // Assert
    expect(group?.Regions).toEqual(['eu-west-1']);
    const [lookupId, lookup] = Object.entries(lookups)[0] ?? [];
    expect(Object.keys(lookups)).toHaveLength(1);
    expect(group?.DeploymentTargets.OrganizationalUnitIds).toEqual([
      { 'Fn::GetAtt': [lookupId, 'Roots.0.Id'] },
    ]);
    expect(JSON.parse(String(lookup?.Properties.Create))).toMatchObject({
      service: 'Organizations',
      action: 'listRoots',
      outputPaths: ['Roots.0.Id'],
    });
  });

  it('targets the OUs and the Region the context names, with no lookup', () => {
    // Arrange
    const context = {
      memberRoleOrganizationalUnitIds: 'ou-ab12-cdefgh34,ou-ab12-ijklmn56',
      memberRoleRegion: 'eu-central-1',
      stackSetCallAs: 'DELEGATED_ADMIN',
    };

    // Act
    const { organization } = synthesize({ context });

    // Assert
    expect(stackSetOf(organization).Properties).toMatchObject({
      CallAs: 'DELEGATED_ADMIN',
      StackInstancesGroup: [
        {
          DeploymentTargets: {
            OrganizationalUnitIds: ['ou-ab12-cdefgh34', 'ou-ab12-ijklmn56'],
          },
          Regions: ['eu-central-1'],
        },
      ],
    });
    organization.resourceCountIs('Custom::AWS', 0);
  });

  it('creates the StackSet and the root lookup only in the stack of the first organization Region', () => {
    // Arrange
    const { organization } = synthesize({
      context: { organizationRegions: 'eu-west-1,us-east-1' },
    });
    const conditions = organization.toJSON().Conditions as Record<
      string,
      unknown
    >;

    // Act
    const conditional = Object.entries(
      organization.toJSON().Resources as Record<
        string,
        { Type: string; Condition?: string }
      >
    ).filter(([, resource]) => resource.Condition !== undefined);

    // Assert
    const [conditionId, condition] = Object.entries(conditions)[0] ?? [];
    expect(condition).toEqual({
      'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'],
    });
    expect(
      conditional
        .map(([, resource]) => [resource.Type, resource.Condition])
        .sort()
    ).toEqual(
      [
        ['AWS::CloudFormation::StackSet', conditionId],
        ['AWS::CloudFormation::StackSet', conditionId],
        ['Custom::AWS', conditionId],
        ['AWS::IAM::Policy', conditionId],
        ['AWS::IAM::Role', conditionId],
        ['AWS::Lambda::Function', conditionId],
      ].sort()
    );
  });

  it.each([
    [{ memberRoleStackSet: false }, ['vpce-guard-remediation'], 1],
    [{ memberRemediationStackSet: false }, ['vpce-guard-member-role'], 1],
    [{ memberRoleStackSet: false, memberRemediationStackSet: false }, [], 0],
  ])(
    'with context %j creates the StackSets %j and %i root lookups',
    (context, names, lookups) => {
      // Act
      const { organization } = synthesize({ context });

      // Assert
      expect(
        Object.values(
          resourcesOf(organization, 'AWS::CloudFormation::StackSet')
        ).map((stackSet) => stackSet.Properties.StackSetName)
      ).toEqual(names);
      organization.resourceCountIs('Custom::AWS', lookups);
    }
  );
});

describe('OrganizationStack: the remediation StackSet', () => {
  const organization = () => synthesize().organization;

  it('deploys the SSM documents to every account and organization Region, from a template uploaded as a file asset', () => {
    // Arrange
    const { organization } = synthesize({
      context: { organizationRegions: 'eu-west-1,us-east-1' },
    });

    // Act
    const stackSet = stackSetOf(organization, 'vpce-guard-remediation');

    // Assert
    expect(stackSet.Condition).toBe(
      stackSetOf(organization, 'vpce-guard-member-role').Condition
    );
    expect(stackSet.Properties).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_IAM'],
      StackInstancesGroup: [
        {
          DeploymentTargets: {
            OrganizationalUnitIds: (
              stackSetOf(organization).Properties.StackInstancesGroup as {
                DeploymentTargets: { OrganizationalUnitIds: unknown[] };
              }[]
            )[0]?.DeploymentTargets.OrganizationalUnitIds,
          },
          Regions: ['eu-west-1', 'us-east-1'],
        },
      ],
    });
    expect(stackSet.Properties.TemplateBody).toBeUndefined();
    expect(JSON.stringify(stackSet.Properties.TemplateURL)).toMatch(
      /cdk-hnb659fds-assets-.*\.json/u
    );
  });

  it('deploys the template of VpceGuardMemberRemediation: a document per rule and their role, no remediation configuration', () => {
    // Arrange
    const { stacks, memberRemediation } = synthesize();

    // Act
    const deployed = JSON.parse(
      readFileSync(stacks.memberRemediationTemplateFile, 'utf8')
    ) as {
      Resources: Record<
        string,
        { Type: string; Properties: { Name?: string } }
      >;
    };

    // Assert
    expect(deployed.Resources).toEqual(memberRemediation.toJSON().Resources);
    const documents = Object.values(deployed.Resources)
      .filter((resource) => resource.Type === 'AWS::SSM::Document')
      .map((resource) => resource.Properties.Name)
      .sort();
    expect(documents).toEqual(
      rules.map((rule) => `VpceGuard-${pascalCase(rule.metadata.id)}`).sort()
    );
    memberRemediation.resourceCountIs('AWS::IAM::Role', 1);
    memberRemediation.resourceCountIs(
      'AWS::Config::RemediationConfiguration',
      0
    );
    // StackSet targets are not CDK-bootstrapped.
    expect(memberRemediation.toJSON().Rules).toBeUndefined();
  });

  it('tolerates every account failing, so an account with documents of its own never rolls this stack back', () => {
    // Act
    const stackSet = stackSetOf(organization(), 'vpce-guard-remediation');

    // Assert
    expect(stackSet.Properties.OperationPreferences).toMatchObject({
      ConcurrencyMode: 'SOFT_FAILURE_TOLERANCE',
      FailureTolerancePercentage: 100,
    });
  });

  it('keeps the logical ids of earlier versions, so an update never creates a second StackSet of the same name', () => {
    // Act
    const ids = Object.keys(
      resourcesOf(organization(), 'AWS::CloudFormation::StackSet')
    ).sort();

    // Assert
    expect(ids).toEqual([
      'MemberRoleRemediationStackSet99B6819B',
      'MemberRoleStackSetA6972680',
    ]);
  });

  it('fits CloudFormation’s 1 MB limit on a StackSet template URL', () => {
    // Arrange
    const { stacks } = synthesize();

    // Act
    const bytes = readFileSync(stacks.memberRemediationTemplateFile).length;

    // Assert
    expect(bytes).toBeLessThan(1024 * 1024);
  });
});

describe('OrganizationStack: deployAs', () => {
  it('deploys every rule in one organization conformance pack instead of organization rules', () => {
    // Arrange
    const context = {
      deployAs: 'conformancePack',
      excludedAccounts: '111111111111',
      ruleParameters: { 'interface-endpoint-multi-az': { minAzs: '3' } },
    };

    // Act
    const { organization } = synthesize({ context });

    // Assert
    organization.resourceCountIs('AWS::Config::OrganizationConfigRule', 0);
    organization.resourceCountIs('AWS::Config::OrganizationConformancePack', 1);
    organization.hasResourceProperties(
      'AWS::Config::OrganizationConformancePack',
      {
        OrganizationConformancePackName: 'vpce-guard',
        ExcludedAccounts: ['111111111111'],
      }
    );
  });

  it.each(rules.map((rule) => [rule.metadata.id, rule] as const))(
    'puts %s in the pack as a custom Lambda rule on its central function, acting through the member role',
    (ruleId, rule) => {
      // Arrange
      const { organization } = synthesize({
        context: {
          deployAs: 'conformancePack',
          ruleParameters: { 'interface-endpoint-multi-az': { minAzs: '3' } },
        },
      });
      const [pack] = Object.values(
        resourcesOf(organization, 'AWS::Config::OrganizationConformancePack')
      );
      const [functionId] =
        ruleFunctionsOf(organization).find(
          ([, fn]) => environmentOf(fn).RULE_ID === ruleId
        ) ?? [];

      // Act
      const template = packTemplateOf(pack?.Properties.TemplateBody);

      // Assert
      expect(template.Resources[pascalCase(ruleId)]).toEqual({
        Type: 'AWS::Config::ConfigRule',
        Properties: {
          ConfigRuleName: `vpce-guard-${ruleId}`,
          Description: expect.any(String),
          InputParameters: {
            ...(ruleId === 'interface-endpoint-multi-az'
              ? { minAzs: '3' }
              : {}),
            ExecutionRoleName: 'VpceGuardMemberRole',
          },
          Scope: {
            ComplianceResourceTypes: [...rule.metadata.triggerResourceTypes],
          },
          Source: {
            Owner: 'CUSTOM_LAMBDA',
            SourceIdentifier: `<GetAtt:${functionId}.Arn>`,
            SourceDetails: RULE_SOURCE_DETAILS,
          },
        },
      });
    }
  );

  it('creates the pack only once Config may invoke every function', () => {
    // Arrange
    const { organization } = synthesize({
      context: { deployAs: 'conformancePack' },
    });
    const [pack] = Object.values(
      organization.findResources('AWS::Config::OrganizationConformancePack')
    ) as { DependsOn?: string[] }[];

    // Assert
    expect([...(pack?.DependsOn ?? [])].sort()).toEqual(
      Object.keys(resourcesOf(organization, 'AWS::Lambda::Permission')).sort()
    );
  });

  it('deploys only the functions, for a pack deployed another way', () => {
    // Act
    const { organization } = synthesize({ context: { deployAs: 'functions' } });

    // Assert
    organization.resourceCountIs('AWS::Config::OrganizationConfigRule', 0);
    organization.resourceCountIs('AWS::Config::OrganizationConformancePack', 0);
    expect(ruleFunctionsOf(organization)).toHaveLength(rules.length);
    organization.resourceCountIs('AWS::CloudFormation::StackSet', 2);
  });
});
