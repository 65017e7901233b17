import { CfnInsight } from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';

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

/**
 * The dashboards. Endpoint findings are ASFF type `Other` with the endpoint
 * ARN as resource id; subnet findings are `AwsEc2Subnet`.
 */
const INSIGHTS: readonly InsightDefinition[] = [
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
  {
    id: 'ByEndpoint',
    name: 'vpce-guard: failures by VPC endpoint',
    groupBy: 'ResourceId',
    filters: {
      // Insight filters cannot match inside an ARN; vpce-guard files only
      // endpoints under `Other`.
      resourceType: [{ comparison: 'EQUALS', value: 'Other' }],
    },
  },
  {
    id: 'BySubnet',
    name: 'vpce-guard: failures by subnet',
    groupBy: 'ResourceId',
    filters: {
      resourceType: [{ comparison: 'EQUALS', value: 'AwsEc2Subnet' }],
    },
  },
];

/**
 * Security Hub insights over vpce-guard's findings. Deploy them where the
 * findings are aggregated (the Security Hub administrator account) to see
 * the whole organization.
 */
class FindingInsights extends Construct {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const insight of INSIGHTS) {
      new CfnInsight(this, insight.id, {
        name: insight.name,
        groupByAttribute: insight.groupBy,
        filters: { ...failedFindings(), ...insight.filters },
      });
    }
  }
}

export type { InsightDefinition };
export { FindingInsights, INSIGHTS };
