import { describe, expect, it } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { inventoryActionsOf } from '../../functions/shared/aws/aws-actions.js';
import { pascalCase } from '../../infra/names.js';
import { readFromCheckout } from '../../infra/remediation.js';
import { ruleFilePath } from '../../rules/files.js';
import { rules } from '../../rules/index.js';
import { RULE_SOURCE_DETAILS } from './source-details.js';
import { resourcesOf, synthesize } from './synth.js';
import { packTemplateOf } from './template-body.js';

const ruleIds = rules.map((rule) => rule.metadata.id);
const ruleCases = rules.map((rule) => [rule.metadata.id, rule] as const);

describe('AccountStack', () => {
  it('has one function per rule, ESM on nodejs24.x arm64 with source maps on, selected by RULE_ID', () => {
    // Arrange
    const { account } = synthesize();

    // Act
    const functions = Object.values(
      resourcesOf(account, 'AWS::Lambda::Function')
    );

    // Assert
    expect(
      functions
        .map(
          (fn) =>
            (fn.Properties.Environment as { Variables: Record<string, string> })
              .Variables.RULE_ID
        )
        .sort()
    ).toEqual([...ruleIds].sort());
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: {
          Variables: { NODE_OPTIONS: '--enable-source-maps' },
        },
      });
    }
  });

  it('runs every Lambda function of every stack on nodejs24.x', () => {
    // Arrange
    const { account, organization, memberRole } = synthesize();

    // Act
    const runtimes = [account, organization, memberRole].flatMap((template) =>
      Object.values(resourcesOf(template, 'AWS::Lambda::Function')).map(
        (fn) => fn.Properties.Runtime
      )
    );

    // Assert
    expect(runtimes.length).toBeGreaterThan(0);
    expect(new Set(runtimes)).toEqual(new Set(['nodejs24.x']));
  });

  it.each(ruleCases)(
    'gives %s a Config rule triggered by changes to its resource types and periodically',
    (ruleId, rule) => {
      // Arrange
      const { account } = synthesize();

      // Assert
      account.hasResourceProperties('AWS::Config::ConfigRule', {
        ConfigRuleName: `vpce-guard-${ruleId}`,
        Scope: {
          ComplianceResourceTypes: [...rule.metadata.triggerResourceTypes],
        },
        Source: {
          Owner: 'CUSTOM_LAMBDA',
          SourceDetails: RULE_SOURCE_DETAILS,
        },
      });
    }
  );

  it('takes the periodic frequency and the rule parameters from context', () => {
    // Arrange
    const context = {
      periodicFrequency: 'Six_Hours',
      ruleParameters: {
        'interface-endpoint-multi-az': { minAzs: '3' },
      },
    };

    // Act
    const { account } = synthesize({ context });

    // Assert
    account.hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: 'vpce-guard-interface-endpoint-multi-az',
      InputParameters: { minAzs: '3' },
      Source: {
        SourceDetails: Match.arrayWith([
          Match.objectLike({ MaximumExecutionFrequency: 'Six_Hours' }),
        ]),
      },
    });
  });

  it('lets Config invoke each function only from this account, before the rule exists', () => {
    // Arrange
    const { account } = synthesize();
    const permissions = resourcesOf(account, 'AWS::Lambda::Permission');
    const configRules = account.findResources('AWS::Config::ConfigRule');

    // Assert
    expect(Object.keys(permissions)).toHaveLength(rules.length);
    for (const permission of Object.values(permissions)) {
      expect(permission.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'config.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
      });
    }
    for (const configRule of Object.values(configRules)) {
      expect(configRule.DependsOn).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/ConfigInvoke/u),
        ]) as unknown
      );
    }
  });

  it('sends events that fail every retry to an encrypted queue, and alarms', () => {
    // Arrange
    const { account } = synthesize();

    // Assert
    account.resourceCountIs('AWS::Lambda::EventInvokeConfig', rules.length);
    account.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Destination: Match.anyValue() },
      },
    });
    account.resourceCountIs('AWS::SQS::Queue', rules.length);
    account.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
    });
    account.resourceCountIs('AWS::CloudWatch::Alarm', rules.length * 2);
    account.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 1,
    });
  });

  it('keeps each function’s logs for the retention the context sets', () => {
    // Arrange
    const { account } = synthesize({ context: { logRetentionDays: 30 } });

    // Assert
    account.resourceCountIs('AWS::Logs::LogGroup', rules.length);
    account.allResourcesProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 30,
    });
  });

  it.each([
    ['failures by rule', 'GeneratorId', undefined],
    ['failures by account', 'AwsAccountId', undefined],
    ['failures by VPC endpoint', 'ResourceId', 'Other'],
    ['failures by subnet', 'ResourceId', 'AwsEc2Subnet'],
    ['failures by VPC', 'ResourceId', 'AwsEc2Vpc'],
  ])('has the Security Hub insight of %s', (name, groupBy, resourceType) => {
    // Arrange
    const { account } = synthesize();

    // Assert
    account.hasResourceProperties('AWS::SecurityHub::Insight', {
      Name: `vpce-guard: ${name}`,
      GroupByAttribute: groupBy,
      Filters: {
        GeneratorId: [{ Comparison: 'PREFIX', Value: 'vpce-guard/' }],
        ComplianceStatus: [{ Comparison: 'EQUALS', Value: 'FAILED' }],
        RecordState: [{ Comparison: 'EQUALS', Value: 'ACTIVE' }],
        ...(resourceType === undefined
          ? {}
          : {
              ResourceType: [{ Comparison: 'EQUALS', Value: resourceType }],
            }),
      },
    });
  });

  it.each(ruleCases)(
    'deploys the remediation document of %s, with a DryRun parameter',
    (ruleId) => {
      // Arrange
      const { account } = synthesize();

      // Assert
      account.hasResourceProperties('AWS::SSM::Document', {
        DocumentType: 'Automation',
        Content: Match.objectLike({
          schemaVersion: '0.3',
          parameters: Match.objectLike({
            DryRun: Match.objectLike({ type: 'Boolean' }),
          }),
        }),
        Name: `VpceGuard-${pascalCase(ruleId)}`,
      });
    }
  );

  it.each(ruleCases)(
    'lets the function of %s call exactly the inventory its metadata names',
    (ruleId, rule) => {
      // Arrange
      const { account } = synthesize();
      const [policy] = Object.entries(resourcesOf(account, 'AWS::IAM::Policy'))
        .filter(([logicalId]) =>
          logicalId.startsWith(`${pascalCase(ruleId)}Evaluation`)
        )
        .map(([, resource]) => resource);
      if (policy === undefined) throw new Error(`no policy for ${ruleId}`);

      if (!policy) throw new Error(`no evaluation policy for ${ruleId}`);

      // Act
      if (!policy) throw new Error(`no evaluation policy for ${ruleId}`);
      const statements = (
        policy.Properties.PolicyDocument as {
          Statement: { Sid?: string; Action: string | string[] }[];
        }
      ).Statement;
      const read = statements.find((s) => s.Sid === 'ReadInventory');

      // Assert
      expect([read?.Action].flat().sort()).toEqual([
        ...inventoryActionsOf(rule.metadata.inventory),
      ]);
    }
  );

  it('declares no remediation configuration unless asked', () => {
    // Arrange
    const { account } = synthesize();

    // Assert
    account.resourceCountIs('AWS::Config::RemediationConfiguration', 0);
  });

  it('declares a manual remediation configuration per rule when asked', () => {
    // Arrange
    const { account } = synthesize({ context: { remediation: true } });

    // Assert
    account.resourceCountIs(
      'AWS::Config::RemediationConfiguration',
      rules.length
    );
    account.allResourcesProperties('AWS::Config::RemediationConfiguration', {
      Automatic: false,
      TargetType: 'SSM_DOCUMENT',
      Parameters: Match.objectLike({
        AutomationAssumeRole: { StaticValue: { Values: [Match.anyValue()] } },
      }),
    });
  });

  it('passes fixed document parameters from context to the remediation configuration', () => {
    // Arrange
    const context = {
      remediation: true,
      remediationParameters: {
        'endpoint-policy-restrictive': { OrganizationId: 'o-abcdefghij' },
      },
    };

    // Act
    const { account } = synthesize({ context });

    // Assert
    account.hasResourceProperties('AWS::Config::RemediationConfiguration', {
      TargetId: 'VpceGuard-EndpointPolicyRestrictive',
      Parameters: Match.objectLike({
        OrganizationId: { StaticValue: { Values: ['o-abcdefghij'] } },
        ResourceId: { ResourceValue: { Value: 'RESOURCE_ID' } },
        DryRun: { StaticValue: { Values: ['false'] } },
      }),
    });
  });

  it('stops the synth on a fixed value the document does not take', () => {
    // Arrange
    const context = {
      remediation: true,
      remediationParameters: {
        'interface-endpoint-multi-az': { OrganizationId: 'o-abcdefghij' },
      },
    };

    // Act and Assert
    expect(() => synthesize({ context })).toThrow(
      /remediationParameters\.interface-endpoint-multi-az\.OrganizationId: VpceGuard-InterfaceEndpointMultiAz has no such parameter/u
    );
  });

  it('adds a rule’s function, Config rule, IAM and runbook when the registry grows', () => {
    // Arrange
    const [first] = rules;
    if (!first) throw new Error('the registry is empty');
    const added = {
      ...first,
      metadata: { ...first.metadata, id: 'extra-rule' },
    };
    const base = synthesize();

    // Act
    const grown = synthesize({
      rules: [...rules, added],
      // The added rule has no folder; it borrows the first rule's document.
      readRepoFile: (path) =>
        readFromCheckout(
          path === ruleFilePath('extra-rule', 'remediation')
            ? ruleFilePath(first.metadata.id, 'remediation')
            : path
        ),
    });

    // Assert
    for (const type of [
      'AWS::Lambda::Function',
      'AWS::Config::ConfigRule',
      'AWS::IAM::Policy',
      'AWS::SSM::Document',
    ]) {
      expect(Object.keys(grown.account.findResources(type))).toHaveLength(
        Object.keys(base.account.findResources(type)).length +
          (type === 'AWS::IAM::Policy' ? 2 : 1)
      );
    }
    grown.account.hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: 'vpce-guard-extra-rule',
    });
  });
});

describe('AccountStack: the remediation documents’ role', () => {
  it('may be assumed only by this account’s automations', () => {
    // Arrange
    const { account } = synthesize();

    // Act
    const roles = Object.values(resourcesOf(account, 'AWS::IAM::Role')).filter(
      (role) =>
        JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes(
          'ssm.amazonaws.com'
        )
    );

    // Assert
    expect(roles).toHaveLength(1);
    expect(roles[0]?.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Principal: { Service: 'ssm.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: {
              'aws:SourceArn': {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':ssm:*:',
                    { Ref: 'AWS::AccountId' },
                    ':automation-execution/*',
                  ],
                ],
              },
            },
          },
        },
      ],
    });
  });
});

describe('AccountStack: remediationDocuments', () => {
  it('leaves the SSM documents and their role out in a member whose organization deploys them', () => {
    // Act
    const { account } = synthesize({
      context: { remediationDocuments: false },
    });

    // Assert
    account.resourceCountIs('AWS::SSM::Document', 0);
    expect(account.toJSON().Outputs ?? {}).not.toHaveProperty(
      'AutomationRoleArn'
    );
    expect(
      Object.keys(resourcesOf(account, 'AWS::Lambda::Function')).length
    ).toBeGreaterThan(0);
  });

  it('refuses remediation configurations without the documents they run', () => {
    // Act and Assert
    expect(() =>
      synthesize({
        context: { remediationDocuments: false, remediation: true },
      })
    ).toThrow(
      "context remediation: a remediation configuration runs the stack's SSM documents, which remediationDocuments=false leaves out"
    );
  });
});

describe('AccountStack: deployAs', () => {
  it('deploys every rule in one conformance pack instead of Config rules', () => {
    // Act
    const { account } = synthesize({
      context: { deployAs: 'conformancePack' },
    });

    // Assert
    account.resourceCountIs('AWS::Config::ConfigRule', 0);
    account.resourceCountIs('AWS::Config::ConformancePack', 1);
    account.hasResourceProperties('AWS::Config::ConformancePack', {
      ConformancePackName: 'vpce-guard',
    });
  });

  it.each(ruleCases)(
    'puts %s in the pack as a custom Lambda rule on its function, with its own parameters only',
    (ruleId, rule) => {
      // Arrange
      const { account } = synthesize({
        context: {
          deployAs: 'conformancePack',
          ruleParameters: { 'interface-endpoint-multi-az': { minAzs: '3' } },
        },
      });
      const [pack] = Object.values(
        resourcesOf(account, 'AWS::Config::ConformancePack')
      );
      const [functionId] =
        Object.entries(resourcesOf(account, 'AWS::Lambda::Function')).find(
          ([, fn]) =>
            (fn.Properties.Environment as { Variables: Record<string, string> })
              .Variables.RULE_ID === ruleId
        ) ?? [];

      // Act
      const packRule = packTemplateOf(pack?.Properties.TemplateBody).Resources[
        pascalCase(ruleId)
      ];

      // Assert
      expect(packRule?.Properties).toMatchObject({
        ConfigRuleName: `vpce-guard-${ruleId}`,
        Scope: {
          ComplianceResourceTypes: [...rule.metadata.triggerResourceTypes],
        },
        Source: {
          Owner: 'CUSTOM_LAMBDA',
          SourceIdentifier: `<GetAtt:${functionId}.Arn>`,
        },
      });
      expect(packRule?.Properties.InputParameters).toEqual(
        ruleId === 'interface-endpoint-multi-az' ? { minAzs: '3' } : undefined
      );
    }
  );

  it('lets the cleanup read the account’s rules, whose ARNs the pack generates', () => {
    // Arrange
    const { account } = synthesize({
      context: { deployAs: 'conformancePack' },
    });

    // Act
    const cleanups = Object.values(resourcesOf(account, 'AWS::IAM::Policy'))
      .flatMap(
        (policy) =>
          (
            policy.Properties.PolicyDocument as {
              Statement: { Sid?: string; Resource: unknown }[];
            }
          ).Statement
      )
      .filter((statement) => statement.Sid === 'FindStaleEvaluations');

    // Assert
    expect(cleanups).toHaveLength(rules.length);
    for (const statement of cleanups) {
      expect(statement.Resource).toEqual({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':config:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':config-rule/*',
          ],
        ],
      });
    }
  });

  it('deploys only the functions, each with its ARN as an output, for a pack deployed another way', () => {
    // Act
    const { account } = synthesize({ context: { deployAs: 'functions' } });

    // Assert
    account.resourceCountIs('AWS::Config::ConfigRule', 0);
    account.resourceCountIs('AWS::Config::ConformancePack', 0);
    account.resourceCountIs('AWS::Lambda::Function', rules.length);
    expect(Object.keys(account.toJSON().Outputs).sort()).toEqual(
      [
        'AutomationRoleArn',
        ...rules.map((rule) => `${pascalCase(rule.metadata.id)}FunctionArn`),
      ].sort()
    );
  });
});
