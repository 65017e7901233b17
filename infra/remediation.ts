import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, CfnOutput } from 'aws-cdk-lib';
import {
  type CfnConfigRule,
  CfnRemediationConfiguration,
} from 'aws-cdk-lib/aws-config';
import {
  PolicyDocument,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { CfnDocument } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import type { Rule } from '../rules/model/rule.js';
import {
  type AutomationDocument,
  automationDocumentOf,
} from './automation-documents.js';
import { acknowledgeNag } from './nag.js';
import { pascalCase } from './names.js';
import { repoRoot } from './rule-function.js';
import { InvalidContextError } from './settings.js';

/** What {@link RemediationRunbooks} is built from. */
interface RemediationRunbooksProps {
  /**
   * Each rule with its Config rule, for the remediation configuration;
   * none when the stack does not create the rule (a conformance pack does,
   * which context `remediation` does not combine with: infra/settings.ts).
   */
  readonly rules: readonly {
    rule: Rule;
    configRule: CfnConfigRule | undefined;
  }[];
  /** Declare a manual `AWS::Config::RemediationConfiguration` per rule. */
  readonly remediationConfiguration: boolean;
  /** Per rule id, fixed values of its document's other parameters. */
  readonly staticParameters: Readonly<Record<string, Record<string, string>>>;
  /** Reads a file of the repository (a rule's `remediation.yaml`) by its path. */
  readonly readRepoFile: (path: string) => string;
}

/** Reads a repository file from the checkout the app is synthesized from. */
const readFromCheckout = (path: string): string =>
  readFileSync(join(repoRoot(), path), 'utf8');

/** The parameter names an Automation document declares. */
const parameterNamesOf = (content: unknown): string[] => {
  const parameters = (content as { parameters?: unknown }).parameters;
  return parameters !== null && typeof parameters === 'object'
    ? Object.keys(parameters)
    : [];
};

/**
 * The `Parameters` of a rule's remediation configuration: the resource id
 * Config fills, the automation role, `DryRun` off (pressing "Remediate" is
 * the decision to change the resource), and the fixed values from context.
 *
 * @throws InvalidContextError for a fixed value the document does not take
 */
const remediationParametersOf = (
  rule: Rule,
  document: AutomationDocument,
  content: unknown,
  roleArn: string,
  staticValues: Readonly<Record<string, string>> = {}
): Record<string, unknown> => {
  const declared = parameterNamesOf(content);
  for (const name of Object.keys(staticValues)) {
    if (!declared.includes(name)) {
      throw new InvalidContextError(
        `context remediationParameters.${rule.metadata.id}.${name}: ${document.documentName} has no such parameter; it takes ${declared.join(', ')}`
      );
    }
  }
  return {
    ...Object.fromEntries(
      Object.entries(staticValues).map(([name, value]) => [
        name,
        { StaticValue: { Values: value.split(',').map((v) => v.trim()) } },
      ])
    ),
    [document.resourceIdParameter]: { ResourceValue: { Value: 'RESOURCE_ID' } },
    AutomationAssumeRole: { StaticValue: { Values: [roleArn] } },
    DryRun: { StaticValue: { Values: ['false'] } },
  };
};

/**
 * One SSM Automation document per rule, the role the automations run as
 * (exactly the documents' actions), and — when asked for — a manual
 * remediation configuration per Config rule: a person presses "Remediate",
 * Config never runs it on its own.
 */
class RemediationRunbooks extends Construct {
  /** The role the documents run as (their `AutomationAssumeRole`). */
  public readonly role: Role;

  public constructor(
    scope: Construct,
    id: string,
    props: RemediationRunbooksProps
  ) {
    super(scope, id);
    const documents = props.rules.map(({ rule, configRule }) => ({
      rule,
      configRule,
      document: automationDocumentOf(rule),
    }));
    const actions = [
      ...new Set(documents.flatMap(({ document }) => document.actions)),
    ].sort();
    this.role = new Role(this, 'AutomationRole', {
      // Only this account's automations may assume it (the confused-deputy
      // conditions AWS gives for Automation assume roles).
      assumedBy: new ServicePrincipal('ssm.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: {
          'aws:SourceArn': `arn:${Aws.PARTITION}:ssm:*:${Aws.ACCOUNT_ID}:automation-execution/*`,
        },
      }),
      description: 'Runs the vpce-guard remediation documents.',
      inlinePolicies: {
        Remediate: new PolicyDocument({
          statements: [
            // The documents act on the resource Config names at run time;
            // EC2's Describe* calls support no resource-level permissions.
            new PolicyStatement({ actions, resources: ['*'] }),
          ],
        }),
      },
    });
    new CfnOutput(this, 'AutomationRoleArn', {
      key: 'AutomationRoleArn',
      description: 'Pass as AutomationAssumeRole to the VpceGuard-* documents.',
      value: this.role.roleArn,
    });
    acknowledgeNag(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'A document fixes the resource Config names at run time (any endpoint, route table, VPC or security group of the account); the actions are exactly those the documents call.'
    );
    for (const { rule, configRule, document } of documents) {
      const name = pascalCase(rule.metadata.id);
      const content: unknown = parse(props.readRepoFile(document.path));
      const ssmDocument = new CfnDocument(this, `${name}Document`, {
        name: document.documentName,
        documentType: 'Automation',
        // CloudFormation renders the parsed YAML into the template as JSON.
        documentFormat: 'JSON',
        content,
        updateMethod: 'NewVersion',
      });
      if (props.remediationConfiguration && configRule !== undefined) {
        const remediation = new CfnRemediationConfiguration(
          this,
          `${name}RemediationConfiguration`,
          {
            configRuleName: configRule.ref,
            targetType: 'SSM_DOCUMENT',
            targetId: document.documentName,
            automatic: false,
            parameters: remediationParametersOf(
              rule,
              document,
              content,
              this.role.roleArn,
              props.staticParameters[rule.metadata.id]
            ),
            executionControls: {
              // ModifyVpcEndpoint has a bucket of 4 and refills 0.3/s.
              ssmControls: {
                concurrentExecutionRatePercentage: 5,
                errorPercentage: 20,
              },
            },
          }
        );
        remediation.addResourceDependency(ssmDocument);
      }
    }
  }
}

export type { RemediationRunbooksProps };
export { RemediationRunbooks, readFromCheckout };
