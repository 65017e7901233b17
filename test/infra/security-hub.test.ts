/**
 * What the stacks deploy in Security Hub CSPM, per `findingsSource`: the
 * automation rules that suppress the AWS Config integration's findings of
 * the rules (judged against fixtures of such findings in AWS's documented
 * shape, and against vpce-guard's own findings of the bundled example),
 * and insights only where the findings they filter on will exist.
 */
import { readFileSync } from 'node:fs';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import { buildFinding } from '../../functions/shared/formats/asff.js';
import { InvalidContextError } from '../../infra/settings.js';
import { rules } from '../../rules/index.js';
import { RESOURCE_KINDS } from '../../rules/model/resource-kinds.js';
import { loadInventories } from '../helpers/example.js';
import {
  matchesFilters,
  type TemplateFilters,
} from '../helpers/finding-filters.js';
import { resourcesOf, synthesize } from './synth.js';

type Finding = Record<string, unknown>;

interface ConfigFindingFixtures {
  readonly ruleName: string;
  readonly accountRule: Finding;
  readonly organizationRule: Finding;
  readonly conformancePackRule: Finding;
  readonly otherRules: readonly Finding[];
}

const fixtures = JSON.parse(
  readFileSync(
    'test/fixtures/security-hub/config-integration-findings.json',
    'utf8'
  )
) as ConfigFindingFixtures;

/** A fixture finding re-targeted at another Config rule name. */
const retarget = (finding: Finding, ruleName: string): Finding =>
  JSON.parse(
    JSON.stringify(finding).replaceAll(fixtures.ruleName, ruleName)
  ) as Finding;

/** The Config integration's findings of one rule, in both name forms. */
const configFindingsOf = (ruleId: string): Finding[] => [
  retarget(fixtures.accountRule, `vpce-guard-${ruleId}`),
  retarget(fixtures.organizationRule, `vpce-guard-${ruleId}`),
  retarget(fixtures.conformancePackRule, `vpce-guard-${ruleId}`),
];

const ruleIds = rules.map((rule) => rule.metadata.id);

interface AutomationRule {
  readonly RuleName: string;
  readonly RuleOrder: number;
  readonly RuleStatus: string;
  readonly IsTerminal: boolean;
  readonly Criteria: TemplateFilters;
  readonly Actions: {
    readonly Type: string;
    readonly FindingFieldsUpdate: {
      readonly Workflow: { readonly Status: string };
      readonly Note: { readonly Text: string; readonly UpdatedBy: string };
    };
  }[];
}

const automationRulesOf = (template: Template): AutomationRule[] =>
  Object.values(resourcesOf(template, 'AWS::SecurityHub::AutomationRule')).map(
    (resource) => resource.Properties as unknown as AutomationRule
  );

interface Insight {
  readonly Name: string;
  readonly GroupByAttribute: string;
  readonly Filters: TemplateFilters;
}

const insightsOf = (template: Template): Insight[] =>
  Object.values(resourcesOf(template, 'AWS::SecurityHub::Insight')).map(
    (resource) => resource.Properties as unknown as Insight
  );

/** The automation rule whose criteria name `ruleId`'s account rule. */
const suppressionOf = (
  template: Template,
  ruleId: string
): AutomationRule | undefined =>
  automationRulesOf(template).find((rule) =>
    (rule.Criteria.Title ?? []).some(
      (filter) => filter.Value === `vpce-guard-${ruleId}`
    )
  );

/**
 * vpce-guard's own findings of the bundled example, as the functions build
 * them, one per evaluation of every rule.
 */
const vpceGuardFindings = async (): Promise<Finding[]> => {
  const loaded = await loadInventories();
  const findings: AwsSecurityFinding[] = loaded.flatMap(({ inventory }) =>
    rules.flatMap((rule) =>
      rule
        .prepare({})
        .evaluate(inventory)
        .map((evaluation) =>
          buildFinding(evaluation, rule.metadata, {
            partition: inventory.partition,
            region: inventory.region,
            accountId: inventory.accountId,
            now: new Date('2026-04-19T21:20:15.056Z'),
            inventory,
          })
        )
    )
  );
  return findings as unknown as Finding[];
};

const templates = () => {
  const { account, organization } = synthesize();
  return [
    ['account', account],
    ['organization', organization],
  ] as const;
};

describe('the automation rules that suppress the Config integration’s findings (findingsSource vpce-guard, the default)', () => {
  it.each(templates())(
    'are in the %s stack, one per rule, suppressing with a note that names the vpce-guard finding',
    (_, template) => {
      // Act
      const automationRules = automationRulesOf(template);

      // Assert
      expect(automationRules).toHaveLength(rules.length);
      for (const ruleId of ruleIds) {
        const rule = suppressionOf(template, ruleId);
        expect(rule).toMatchObject({
          RuleStatus: 'ENABLED',
          IsTerminal: false,
          Actions: [
            {
              Type: 'FINDING_FIELDS_UPDATE',
              FindingFieldsUpdate: {
                Workflow: { Status: 'SUPPRESSED' },
                Note: { UpdatedBy: 'vpce-guard' },
              },
            },
          ],
        });
        const note = rule?.Actions[0]?.FindingFieldsUpdate.Note.Text ?? '';
        expect(note).toContain(`GeneratorId vpce-guard/${ruleId}`);
        expect(note.length).toBeLessThanOrEqual(512);
      }
    }
  );

  it.each(
    templates().flatMap(([stack, template]) =>
      ruleIds.map((ruleId) => [stack, ruleId, template] as const)
    )
  )(
    'in the %s stack, match the Config integration’s findings of %s, as an account rule, as an organization rule in a member and in a conformance pack, and no other rule’s',
    (_, ruleId, template) => {
      // Arrange
      const own = suppressionOf(template, ruleId);
      if (!own) throw new Error(`no automation rule names ${ruleId}`);
      const others = ruleIds
        .filter((other) => other !== ruleId)
        .flatMap(configFindingsOf);

      // Act
      const matched = configFindingsOf(ruleId).map((finding) =>
        matchesFilters(own.Criteria, finding)
      );
      const matchedOthers = [...others, ...fixtures.otherRules].filter(
        (finding) => matchesFilters(own.Criteria, finding)
      );

      // Assert
      expect(matched).toEqual([true, true, true]);
      expect(matchedOthers).toEqual([]);
    }
  );

  it.each(templates())(
    'in the %s stack, match none of vpce-guard’s own findings, even ones claiming Config’s product name',
    async (_, template) => {
      // Arrange
      const own = await vpceGuardFindings();
      const disguised = own.map((finding) => ({
        ...finding,
        ProductName: 'Config',
        CompanyName: 'AWS',
      }));

      // Act
      const matched = automationRulesOf(template).flatMap((rule) =>
        [...own, ...disguised].filter((finding) =>
          matchesFilters(rule.Criteria, finding)
        )
      );

      // Assert
      expect(own.length).toBeGreaterThan(0);
      expect(matched).toEqual([]);
    }
  );

  it('leaves out the rules whose import is off, and deploys none when no rule imports', () => {
    // Arrange
    const [first, ...rest] = ruleIds;
    const off = (ids: readonly string[]) =>
      Object.fromEntries(ids.map((id) => [id, { securityHub: 'false' }]));

    // Act
    const some = synthesize({
      context: { ruleParameters: off([first ?? '']) },
    }).account;
    const none = synthesize({ context: { ruleParameters: off(ruleIds) } });

    // Assert
    expect(suppressionOf(some, first ?? '')).toBeUndefined();
    for (const ruleId of rest) {
      expect(suppressionOf(some, ruleId)).toBeDefined();
    }
    none.account.resourceCountIs('AWS::SecurityHub::AutomationRule', 0);
    none.organization.resourceCountIs('AWS::SecurityHub::AutomationRule', 0);
  });

  it('are left to the administrator with suppressConfigFindings false, keeping the import and the insights', () => {
    // Act
    const { account, organization } = synthesize({
      context: { suppressConfigFindings: 'false' },
    });

    // Assert
    account.resourceCountIs('AWS::SecurityHub::AutomationRule', 0);
    organization.resourceCountIs('AWS::SecurityHub::AutomationRule', 0);
    expect(insightsOf(account).length).toBeGreaterThan(0);
  });
});

describe('findingsSource config', () => {
  const config = () => synthesize({ context: { findingsSource: 'config' } });

  it('deploys no automation rule', () => {
    // Act
    const { account, organization } = config();

    // Assert
    account.resourceCountIs('AWS::SecurityHub::AutomationRule', 0);
    organization.resourceCountIs('AWS::SecurityHub::AutomationRule', 0);
  });

  it.each(rules.map((rule) => [rule.metadata.id, rule] as const))(
    'turns the import of %s off in the parameters Config passes, account and organization rules alike',
    (ruleId, rule) => {
      // Arrange
      const { account, organization } = config();
      const accountParameters = Object.values(
        resourcesOf(account, 'AWS::Config::ConfigRule')
      ).find((r) => r.Properties.ConfigRuleName === `vpce-guard-${ruleId}`)
        ?.Properties.InputParameters;
      const organizationRule = Object.values(
        resourcesOf(organization, 'AWS::Config::OrganizationConfigRule')
      ).find(
        (r) =>
          r.Properties.OrganizationConfigRuleName === `vpce-guard-${ruleId}`
      );
      if (!organizationRule) throw new Error(`no organization rule ${ruleId}`);
      const organizationParameters: unknown = JSON.parse(
        (
          organizationRule.Properties.OrganizationCustomRuleMetadata as {
            InputParameters: string;
          }
        ).InputParameters
      );

      // Act
      const imports = [accountParameters, organizationParameters].map(
        (parameters) => rule.prepare(parameters).parameters.securityHub
      );

      // Assert
      expect(imports).toEqual([false, false]);
    }
  );

  it.each(['account', 'organization'] as const)(
    'gives the %s stack insights that count failing Config-integration findings of the rules, and never vpce-guard’s',
    async (stack) => {
      // Arrange
      const template = config()[stack];
      const ownFindings = (await vpceGuardFindings()).filter(
        (f) =>
          (f.Compliance as { Status?: string } | undefined)?.Status === 'FAILED'
      );
      const passed = configFindingsOf(ruleIds[0] ?? '').map((f) => ({
        ...f,
        Compliance: { Status: 'PASSED' },
      }));

      // Act
      const insights = insightsOf(template);
      const byRule = insights.find((i) => i.GroupByAttribute === 'Title');

      // Assert
      expect(insights.map((i) => i.Name)).toEqual(
        expect.arrayContaining([
          'vpce-guard (Config findings): failures by rule',
          'vpce-guard (Config findings): failures by account',
        ])
      );
      if (!byRule) throw new Error('no insight by rule');
      for (const ruleId of ruleIds) {
        for (const finding of configFindingsOf(ruleId)) {
          expect(matchesFilters(byRule.Filters, finding)).toBe(true);
        }
      }
      for (const insight of insights) {
        const counted = [
          ...ownFindings,
          ...passed,
          ...fixtures.otherRules,
        ].filter((finding) => matchesFilters(insight.Filters, finding));
        expect(counted).toEqual([]);
      }
    }
  );

  it.each(rules.map((rule) => [rule.metadata.id, rule] as const))(
    'counts the Config-integration findings of %s in the insight of its kind only',
    (ruleId, rule) => {
      // Arrange
      const insights = insightsOf(config().account).filter(
        (i) => i.GroupByAttribute === 'ResourceId'
      );

      // Act
      const counting = insights
        .filter((insight) =>
          configFindingsOf(ruleId).every((finding) =>
            matchesFilters(insight.Filters, finding)
          )
        )
        .map((insight) => insight.Name);

      // Assert
      expect(counting).toEqual([
        `vpce-guard (Config findings): failures by ${RESOURCE_KINDS[rule.metadata.resourceKind].name}`,
      ]);
    }
  );

  it('refuses a rule told securityHub true, which it would not honour', () => {
    // Act
    const act = () =>
      synthesize({
        context: {
          findingsSource: 'config',
          ruleParameters: {
            'interface-endpoint-multi-az': { securityHub: 'true' },
          },
        },
      });

    // Assert
    expect(act).toThrow(InvalidContextError);
    expect(act).toThrow(
      /^context ruleParameters\.interface-endpoint-multi-az\.securityHub: true contradicts findingsSource config/u
    );
  });
});

describe('the functions’ runbook links', () => {
  /** The environments of the rule functions (the ones with a RULE_ID). */
  const environments = (template: Template) => {
    const found = Object.values(resourcesOf(template, 'AWS::Lambda::Function'))
      .map(
        (fn) =>
          (
            fn.Properties.Environment as
              | { Variables?: Record<string, string> }
              | undefined
          )?.Variables ?? {}
      )
      .filter((variables) => variables.RULE_ID !== undefined);
    expect(found).toHaveLength(rules.length);
    return found;
  };

  it('leave RUNBOOK_BASE_URL unset by default, so findings link to the SSM documents', () => {
    // Act
    const { account, organization } = synthesize();

    // Assert
    for (const variables of [account, organization].flatMap(environments)) {
      expect(variables).not.toHaveProperty('RUNBOOK_BASE_URL');
    }
  });

  it('pass runbookBaseUrl to every function when it is set', () => {
    // Act
    const { account, organization } = synthesize({
      context: {
        runbookBaseUrl: 'https://github.com/acme/vpce-guard/blob/main',
      },
    });

    // Assert
    for (const variables of [account, organization].flatMap(environments)) {
      expect(variables.RUNBOOK_BASE_URL).toBe(
        'https://github.com/acme/vpce-guard/blob/main'
      );
    }
  });
});

describe('insights with findingsSource vpce-guard', () => {
  it.each(templates())(
    'in the %s stack count vpce-guard’s failing findings of the bundled example and none of the Config integration’s',
    async (_, template) => {
      // Arrange
      const failing = (await vpceGuardFindings()).filter(
        (f) =>
          (f.Compliance as { Status?: string } | undefined)?.Status === 'FAILED'
      );
      const config = ruleIds.flatMap(configFindingsOf);

      // Act
      const insights = insightsOf(template);
      const byRule = insights.find((i) => i.GroupByAttribute === 'GeneratorId');

      // Assert
      if (!byRule) throw new Error('no insight by rule');
      expect(failing.filter((f) => !matchesFilters(byRule.Filters, f))).toEqual(
        []
      );
      for (const insight of insights) {
        expect(
          config.filter((finding) => matchesFilters(insight.Filters, finding))
        ).toEqual([]);
      }
    }
  );

  it('are not synthesized when securityHub is false for every rule', () => {
    // Arrange
    const ruleParameters = Object.fromEntries(
      ruleIds.map((id) => [id, { securityHub: false }])
    );

    // Act
    const { account, organization } = synthesize({
      context: { ruleParameters },
    });

    // Assert
    account.resourceCountIs('AWS::SecurityHub::Insight', 0);
    organization.resourceCountIs('AWS::SecurityHub::Insight', 0);
  });

  it('cover only the kinds of the rules that import', () => {
    // Arrange: only the subnet rule imports
    const ruleParameters = Object.fromEntries(
      rules
        .filter((rule) => rule.metadata.resourceKind !== 'subnet')
        .map((rule) => [rule.metadata.id, { securityHub: 'false' }])
    );

    // Act
    const { account } = synthesize({ context: { ruleParameters } });

    // Assert
    expect(
      insightsOf(account)
        .map((i) => i.Name)
        .sort()
    ).toEqual([
      'vpce-guard: failures by account',
      'vpce-guard: failures by rule',
      'vpce-guard: failures by subnet',
    ]);
  });
});
