import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
import { acknowledgeNag } from './nag.js';
import { pascalCase } from './names.js';
import { repoRoot } from './rule-function.js';
import { InvalidContextError } from './settings.js';

/** A rule's SSM Automation document, as infra/runbooks/ describes it. */
interface RunbookDocument {
  /** The SSM document name. */
  readonly documentName: string;
  /** The YAML file, relative to the repository root. */
  readonly path: string;
  /** The document parameter Config fills with the non-compliant resource id. */
  readonly resourceIdParameter: string;
  /** What the automation role must be allowed to call. */
  readonly actions: readonly string[];
}

/** What {@link RemediationRunbooks} is built from. */
interface RemediationRunbooksProps {
  /** Each rule with its Config rule, for the remediation configuration. */
  readonly rules: readonly { rule: Rule; configRule: CfnConfigRule }[];
  readonly documentFor: (ruleId: string) => RunbookDocument | undefined;
  /** Declare a manual `AWS::Config::RemediationConfiguration` per rule. */
  readonly remediationConfiguration: boolean;
}

const documentOf = (
  rule: Rule,
  documentFor: RemediationRunbooksProps['documentFor']
): RunbookDocument => {
  const document = documentFor(rule.metadata.id);
  if (!document) {
    throw new InvalidContextError(
      `rule ${rule.metadata.id} has no remediation document in infra/runbooks/`
    );
  }
  return document;
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
      document: documentOf(rule, props.documentFor),
    }));
    const actions = [
      ...new Set(documents.flatMap(({ document }) => document.actions)),
    ].sort();
    this.role = new Role(this, 'AutomationRole', {
      assumedBy: new ServicePrincipal('ssm.amazonaws.com'),
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
    acknowledgeNag(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'A document fixes the resource Config names at run time (any endpoint, route table, VPC or security group of the account); the actions are exactly those the documents call.'
    );
    for (const { rule, configRule, document } of documents) {
      const name = pascalCase(rule.metadata.id);
      const ssmDocument = new CfnDocument(this, `${name}Document`, {
        name: document.documentName,
        documentType: 'Automation',
        // CloudFormation renders the parsed YAML into the template as JSON.
        documentFormat: 'JSON',
        content: parse(readFileSync(join(repoRoot(), document.path), 'utf8')),
        updateMethod: 'NewVersion',
      });
      if (props.remediationConfiguration) {
        const remediation = new CfnRemediationConfiguration(
          this,
          `${name}RemediationConfiguration`,
          {
            configRuleName: configRule.ref,
            targetType: 'SSM_DOCUMENT',
            targetId: document.documentName,
            automatic: false,
            parameters: {
              [document.resourceIdParameter]: {
                ResourceValue: { Value: 'RESOURCE_ID' },
              },
              AutomationAssumeRole: {
                StaticValue: { Values: [this.role.roleArn] },
              },
              // Pressing "Remediate" is the decision to change the resource.
              DryRun: { StaticValue: { Values: ['false'] } },
            },
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

export type { RemediationRunbooksProps, RunbookDocument };
export { RemediationRunbooks };
