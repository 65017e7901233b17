import { CfnInsight } from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';
import { ASFF_RESOURCE_TYPES } from '../functions/shared/formats/asff.js';
import {
  RESOURCE_KIND_ORDER,
  RESOURCE_KINDS,
  type ResourceKind,
} from '../rules/model/resource-kinds.js';
import type { Rule } from '../rules/model/rule.js';
import {
  configFindingTitles,
  configProduct,
  importingRules,
} from './findings-source.js';
import { pascalCase } from './names.js';
import type { DeploymentSettings } from './settings.js';

type Filters = CfnInsight.AwsSecurityFindingFiltersProperty;

/** What every insight counts: active, failed findings. */
const ACTIVE_FAILURES: Filters = {
  complianceStatus: [{ comparison: 'EQUALS', value: 'FAILED' }],
  recordState: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
};

/** One dashboard: a name, what it groups by, and its filters. */
interface InsightDefinition {
  readonly id: string;
  readonly name: string;
  readonly groupBy: string;
  readonly filters: Filters;
}

/** The rules of each kind among `rules`, in the kinds' display order. */
const rulesByKind = (
  rules: readonly Rule[]
): (readonly [ResourceKind, Rule[]])[] =>
  RESOURCE_KIND_ORDER.map(
    (kind) =>
      [
        kind,
        rules.filter((rule) => rule.metadata.resourceKind === kind),
      ] as const
  ).filter(([, ofKind]) => ofKind.length > 0);

/**
 * The insights over vpce-guard's own findings (`GeneratorId` prefix
 * `vpce-guard/`) of the rules that import them: by rule, by account, and
 * per kind of resource those rules report on, filtered on the kind's ASFF
 * resource type (insight filters cannot match inside an ARN, so the type
 * is what tells kinds apart). None when no rule imports.
 */
const vpceGuardInsights = (rules: readonly Rule[]): InsightDefinition[] => {
  if (rules.length === 0) return [];
  const own: Filters = {
    generatorId: [{ comparison: 'PREFIX', value: 'vpce-guard/' }],
    ...ACTIVE_FAILURES,
  };
  return [
    {
      id: 'ByRule',
      name: 'vpce-guard: failures by rule',
      groupBy: 'GeneratorId',
      filters: own,
    },
    {
      id: 'ByAccount',
      name: 'vpce-guard: failures by account',
      groupBy: 'AwsAccountId',
      filters: own,
    },
    ...rulesByKind(rules).map(([kind]) => ({
      id: `By${pascalCase(kind)}`,
      name: `vpce-guard: failures by ${RESOURCE_KINDS[kind].name}`,
      groupBy: 'ResourceId',
      filters: {
        ...own,
        resourceType: [
          { comparison: 'EQUALS', value: ASFF_RESOURCE_TYPES[kind] },
        ],
      },
    })),
  ];
};

/**
 * The same dashboards over the AWS Config integration's findings of the
 * rules (`findingsSource` config): Config's product and the rules' names
 * in `Title`, per kind the names of that kind's rules (Config's finding
 * type for a VPC endpoint is not documented, so the names tell kinds
 * apart). By rule groups by `Title`: an organization rule's findings group
 * per member account, whose copy of the rule has its own name.
 */
const configInsights = (rules: readonly Rule[]): InsightDefinition[] => {
  const ofRules = (some: readonly Rule[]): Filters => ({
    ...configProduct(),
    title: some.flatMap(configFindingTitles),
    ...ACTIVE_FAILURES,
  });
  return [
    {
      id: 'ByRule',
      name: 'vpce-guard (Config findings): failures by rule',
      groupBy: 'Title',
      filters: ofRules(rules),
    },
    {
      id: 'ByAccount',
      name: 'vpce-guard (Config findings): failures by account',
      groupBy: 'AwsAccountId',
      filters: ofRules(rules),
    },
    ...rulesByKind(rules).map(([kind, ofKind]) => ({
      id: `By${pascalCase(kind)}`,
      name: `vpce-guard (Config findings): failures by ${RESOURCE_KINDS[kind].name}`,
      groupBy: 'ResourceId',
      filters: ofRules(ofKind),
    })),
  ];
};

/**
 * The dashboards of a deployment: only where the findings they filter on
 * will exist — over vpce-guard's findings of the rules that import them,
 * or, with `findingsSource` config, over the Config integration's.
 */
const insightsFor = (
  rules: readonly Rule[],
  settings: DeploymentSettings
): InsightDefinition[] =>
  settings.findingsSource === 'config'
    ? configInsights(rules)
    : vpceGuardInsights(importingRules(rules, settings));

/**
 * Security Hub insights over the rules' findings. Deploy them where the
 * findings are aggregated (the Security Hub administrator account) to see
 * the whole organization.
 */
class FindingInsights extends Construct {
  public constructor(
    scope: Construct,
    id: string,
    rules: readonly Rule[],
    settings: DeploymentSettings
  ) {
    super(scope, id);
    for (const insight of insightsFor(rules, settings)) {
      new CfnInsight(this, insight.id, {
        name: insight.name,
        groupByAttribute: insight.groupBy,
        filters: insight.filters,
      });
    }
  }
}

export type { InsightDefinition };
export { FindingInsights, insightsFor };
