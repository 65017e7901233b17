import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnConfigRule } from 'aws-cdk-lib/aws-config';
import { Policy } from 'aws-cdk-lib/aws-iam';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { Rule } from '../rules/model/rule.js';
import {
  configDescriptionOf,
  configRuleName,
  inputParametersOf,
  sourceDetailsOf,
} from './config-rules.js';
import { FindingInsights } from './insights.js';
import { pascalCase } from './names.js';
import {
  acknowledgeEvaluationWildcards,
  evaluationStatements,
} from './permissions.js';
import {
  RemediationRunbooks,
  type RemediationRunbooksProps,
} from './remediation.js';
import { RuleFunction } from './rule-function.js';
import type { DeploymentSettings } from './settings.js';
import { VerdictTable } from './verdict-table.js';

/** What the account and organization stacks are built from. */
interface VpceGuardStackProps extends StackProps {
  readonly rules: readonly Rule[];
  readonly settings: DeploymentSettings;
}

/** What the account stack adds: where the remediation documents are read. */
interface AccountStackProps extends VpceGuardStackProps {
  readonly readRepoFile: RemediationRunbooksProps['readRepoFile'];
}

/**
 * vpce-guard in one account-region: per rule a function and an
 * `AWS::Config::ConfigRule`, the table of last verdicts they share, the
 * insights, and the remediation documents.
 */
class AccountStack extends Stack {
  public constructor(scope: Construct, id: string, props: AccountStackProps) {
    super(scope, id, props);
    const verdicts = new VerdictTable(this, 'LastVerdicts');
    const configRules = props.rules.map((rule) => ({
      rule,
      configRule: this.addRule(rule, props.settings, verdicts),
    }));
    new FindingInsights(this, 'Insights', props.rules);
    new RemediationRunbooks(this, 'Remediation', {
      rules: configRules,
      readRepoFile: props.readRepoFile,
      remediationConfiguration: props.settings.remediation,
      staticParameters: props.settings.remediationParameters,
    });
  }

  private addRule(
    rule: Rule,
    settings: DeploymentSettings,
    verdicts: VerdictTable
  ): CfnConfigRule {
    const id = pascalCase(rule.metadata.id);
    const ruleFunction = new RuleFunction(this, id, { rule, settings });
    verdicts.serve(ruleFunction);
    // Config checks at creation that it may invoke the function, so the
    // permission cannot name the rule's ARN; SourceAccount is what fits.
    const permission = new CfnPermission(this, `${id}ConfigInvoke`, {
      action: 'lambda:InvokeFunction',
      functionName: ruleFunction.function.functionArn,
      principal: 'config.amazonaws.com',
      sourceAccount: this.account,
    });
    const configRule = new CfnConfigRule(this, `${id}ConfigRule`, {
      configRuleName: configRuleName(rule),
      description: configDescriptionOf(rule),
      inputParameters: inputParametersOf(rule, settings),
      scope: {
        complianceResourceTypes: [...rule.metadata.triggerResourceTypes],
      },
      source: {
        owner: 'CUSTOM_LAMBDA',
        sourceIdentifier: ruleFunction.function.functionArn,
        sourceDetails: sourceDetailsOf(settings),
      },
    });
    configRule.addResourceDependency(permission);
    // A policy of its own, not the role's default policy: the function
    // depends on that one, the rule on the function, and this on the rule.
    const policy = new Policy(this, `${id}Evaluation`, {
      roles: [ruleFunction.role],
      statements: evaluationStatements({
        account: this.account,
        region: this.region,
        configRuleArns: [configRule.attrArn],
        sources: rule.metadata.inventory,
      }),
    });
    acknowledgeEvaluationWildcards(policy, false);
    return configRule;
  }
}

export type { AccountStackProps, VpceGuardStackProps };
export { AccountStack };
