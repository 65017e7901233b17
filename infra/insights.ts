import { CfnInsight } from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';
import { ASFF_RESOURCE_TYPES } from '../functions/shared/formats/asff.js';
import {
  RESOURCE_KIND_ORDER,
  RESOURCE_KINDS,
  type ResourceKind,
} from '../rules/model/resource-kinds.js';
import type { Rule } from '../rules/model/rule.js';
import { pascalCase } from './names.js';

type Filters = CfnInsight.AwsSecurityFindingFiltersProperty;

/** What every vpce-guard insight counts: its active, failed findings. */
const failedFindings = (): Filters => ({
  generatorId: [{ comparison: 'PREFIX', value: 'vpce-guard/' }],
  complianceStatus: [{ comparison: 'EQUALS', value: 'FAILED' }],
  recordState: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
});

/** One dashboard: a name, what it groups by, and any narrowing filter. */
interface InsightDefinition {
  readonly id: string;
  readonly name: string;
  readonly groupBy: string;
  readonly filters?: Filters;
}

/** The dashboards every deployment gets. */
const COMMON_INSIGHTS: readonly InsightDefinition[] = [
  {
    id: 'ByRule',
    name: 'vpce-guard: failures by rule',
    groupBy: 'GeneratorId',
  },
  {
    id: 'ByAccount',
    name: 'vpce-guard: failures by account',
    groupBy: 'AwsAccountId',
  },
];

/**
 * One dashboard per kind of resource the rules report on: failures grouped
 * by resource, filtered on the kind's ASFF resource type. Insight filters
 * cannot match inside an ARN, so the type is what tells kinds apart.
 */
const kindInsight = (kind: ResourceKind): InsightDefinition => ({
  id: `By${pascalCase(kind)}`,
  name: `vpce-guard: failures by ${RESOURCE_KINDS[kind].name}`,
  groupBy: 'ResourceId',
  filters: {
    resourceType: [{ comparison: 'EQUALS', value: ASFF_RESOURCE_TYPES[kind] }],
  },
});

/** The dashboards of a deployment of `rules`: common ones and one per kind. */
const insightsFor = (rules: readonly Rule[]): InsightDefinition[] => [
  ...COMMON_INSIGHTS,
  ...RESOURCE_KIND_ORDER.filter((kind) =>
    rules.some((rule) => rule.metadata.resourceKind === kind)
  ).map(kindInsight),
];

/**
 * Security Hub insights over vpce-guard's findings. Deploy them where the
 * findings are aggregated (the Security Hub administrator account) to see
 * the whole organization.
 */
class FindingInsights extends Construct {
  public constructor(scope: Construct, id: string, rules: readonly Rule[]) {
    super(scope, id);
    for (const insight of insightsFor(rules)) {
      new CfnInsight(this, insight.id, {
        name: insight.name,
        groupByAttribute: insight.groupBy,
        filters: { ...failedFindings(), ...insight.filters },
      });
    }
  }
}

export type { InsightDefinition };
export { FindingInsights };
