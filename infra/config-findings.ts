import { CfnAutomationRule } from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';
import type { Rule } from '../rules/model/rule.js';
import { configRuleName, fitText } from './config-rules.js';
import {
  suppressedRules,
  suppressionCriteria,
  suppressionNote,
} from './findings-source.js';
import { pascalCase } from './names.js';
import type { DeploymentSettings } from './settings.js';

/**
 * Where the suppression runs among the account's automation rules: last
 * (rules with lower numbers run first), so a team's own rules see the
 * finding first and this one has the last word on its workflow status.
 */
const RULE_ORDER = 1000;

/** Security Hub's limit on a note's text. */
const MAX_NOTE = 512;

/**
 * One Security Hub CSPM automation rule per rule vpce-guard imports
 * findings for: the AWS Config integration's finding of the same rule and
 * resource gets workflow status `SUPPRESSED` and a note naming the
 * vpce-guard finding to look at, so each resource shows once. Automation
 * rules act in the Region they are created in, on the findings of the
 * account that creates them and, in the Security Hub CSPM administrator
 * account, of all its members; only that account may create them.
 */
class ConfigFindingsSuppression extends Construct {
  public constructor(
    scope: Construct,
    id: string,
    rules: readonly Rule[],
    settings: DeploymentSettings
  ) {
    super(scope, id);
    for (const rule of suppressedRules(rules, settings)) {
      new CfnAutomationRule(this, pascalCase(rule.metadata.id), {
        ruleName: `vpce-guard: ${configRuleName(rule)} from Config`,
        description: fitText(
          `Suppresses the AWS Config integration's findings of the Config rule ${configRuleName(rule)} (and its OrgConfigRule copies in member accounts): vpce-guard imports its own finding for each resource.`,
          256
        ),
        ruleOrder: RULE_ORDER,
        ruleStatus: 'ENABLED',
        isTerminal: false,
        criteria: suppressionCriteria(rule),
        actions: [
          {
            type: 'FINDING_FIELDS_UPDATE',
            findingFieldsUpdate: {
              workflow: { status: 'SUPPRESSED' },
              note: {
                text: fitText(suppressionNote(rule), MAX_NOTE),
                updatedBy: 'vpce-guard',
              },
            },
          },
        ],
      });
    }
  }
}

export { ConfigFindingsSuppression };
