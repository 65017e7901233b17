import { Aws, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnConfigRule, CfnConformancePack } from 'aws-cdk-lib/aws-config';
import { Policy } from 'aws-cdk-lib/aws-iam';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { Rule } from '../rules/model/rule.js';
import { ConfigFindingsSuppression } from './config-findings.js';
import {
  configDescriptionOf,
  configRuleName,
  inputParametersOf,
  sourceDetailsOf,
} from './config-rules.js';
import {
  CONFORMANCE_PACK_NAME,
  conformancePackBody,
  functionArnParameterOf,
} from './conformance-pack.js';
import { FindingInsights } from './insights.js';
import { pascalCase } from './names.js';
import {
  acknowledgeEvaluationWildcards,
  acknowledgePackRuleWildcard,
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

/** One rule's function and Config's permission to invoke it. */
interface AccountFunction {
  readonly rule: Rule;
  readonly ruleFunction: RuleFunction;
  readonly permission: CfnPermission;
}

/**
 * vpce-guard in one account-region: per rule a function and an
 * `AWS::Config::ConfigRule` (or, with context `deployAs`, one
 * `AWS::Config::ConformancePack` holding them all, or none), the table of
 * last verdicts they share, the
 * insights, and the remediation documents.
 */
class AccountStack extends Stack {
  public constructor(scope: Construct, id: string, props: AccountStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const verdicts = new VerdictTable(this, 'LastVerdicts');
    const functions = props.rules.map((rule) =>
      this.addRuleFunction(rule, settings, verdicts)
    );
    const configRules = functions.map((deployed) => ({
      rule: deployed.rule,
      configRule:
        settings.deployAs === 'rules'
          ? this.addRule(deployed, settings)
          : this.addPackRulePermissions(deployed),
    }));
    if (settings.deployAs === 'conformancePack') {
      this.addConformancePack(functions, settings);
    }
    new FindingInsights(this, 'Insights', props.rules, settings);
    new ConfigFindingsSuppression(
      this,
      'ConfigFindings',
      props.rules,
      settings
    );
    if (settings.remediationDocuments) {
      new RemediationRunbooks(this, 'Remediation', {
        rules: configRules,
        readRepoFile: props.readRepoFile,
        remediationConfiguration: settings.remediation,
        staticParameters: settings.remediationParameters,
      });
    }
  }

  private addRuleFunction(
    rule: Rule,
    settings: DeploymentSettings,
    verdicts: VerdictTable
  ): AccountFunction {
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
    new CfnOutput(this, functionArnParameterOf(rule), {
      description: `The ${rule.metadata.id} function (conformance pack template parameter of the same name)`,
      value: ruleFunction.function.functionArn,
    });
    return { rule, ruleFunction, permission };
  }

  private addRule(
    { rule, ruleFunction, permission }: AccountFunction,
    settings: DeploymentSettings
  ): CfnConfigRule {
    const id = pascalCase(rule.metadata.id);
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

  /**
   * The evaluation policy of a function whose Config rule the stack does
   * not create (a conformance pack does, or someone else): the rule's ARN
   * is not known, so the cleanup may read any rule of this account-Region.
   */
  private addPackRulePermissions({
    rule,
    ruleFunction,
  }: AccountFunction): undefined {
    const policy = new Policy(
      this,
      `${pascalCase(rule.metadata.id)}Evaluation`,
      {
        roles: [ruleFunction.role],
        statements: evaluationStatements({
          account: this.account,
          region: this.region,
          configRuleArns: [
            `arn:${Aws.PARTITION}:config:${this.region}:${this.account}:config-rule/*`,
          ],
          sources: rule.metadata.inventory,
        }),
      }
    );
    acknowledgeEvaluationWildcards(policy, false);
    acknowledgePackRuleWildcard(policy);
    return undefined;
  }

  /** One conformance pack holding every rule, each pointing at its function. */
  private addConformancePack(
    functions: readonly AccountFunction[],
    settings: DeploymentSettings
  ): void {
    const pack = new CfnConformancePack(this, 'ConformancePack', {
      conformancePackName: CONFORMANCE_PACK_NAME,
      templateBody: conformancePackBody(functions, settings, 'account'),
    });
    for (const { permission } of functions) {
      pack.addResourceDependency(permission);
    }
  }
}

export type { AccountStackProps, VpceGuardStackProps };
export { AccountStack };
