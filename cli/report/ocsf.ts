import {
  findingId,
  recommendationUrl,
  resourceArn,
} from '../../functions/shared/formats/asff.js';
import {
  RESOURCE_KINDS,
  type ResourceKind,
  type ResourceType,
  unhandledKind,
} from '../../rules/model/resource-kinds.js';
import type {
  ComplianceType,
  Evaluation,
  RuleMetadata,
  Severity,
} from '../../rules/model/rule.js';
import type { SourcedInventory } from '../evaluate.js';

/**
 * The OCSF schema version the events follow (README "--format ocsf" says
 * why this one); test/fixtures/ocsf/ holds the JSON Schema of its
 * Compliance Finding class that the tests validate every event against.
 */
const OCSF_VERSION = '1.6.0';

/** OCSF Findings category and its Compliance Finding class. */
const CATEGORY = { uid: 2, name: 'Findings' } as const;
const CLASS = { uid: 2003, name: 'Compliance Finding' } as const;

/** The OCSF profiles the events use: `cloud` adds `cloud`, and the resources' region and partition. */
const PROFILES: readonly string[] = ['cloud'];

/** `metadata.product.name` and `vendor_name`: vpce-guard is its own vendor. */
const PRODUCT_NAME = 'vpce-guard';

/** An OCSF enum value with its caption, which OCSF puts in the sibling attribute. */
interface Enumerated {
  readonly id: number;
  readonly name: string;
}

/**
 * The finding activity of a verdict. A failure is reported (Create); a
 * resource that passes or is not applicable closes its finding, as the ASFF
 * findings of those verdicts are archived. A scan keeps no state, so it
 * cannot tell a new failure from a repeated one: consumers key on
 * `finding_info.uid` and keep the newest `finding_info.modified_time`.
 */
const activityOf = (complianceType: ComplianceType): Enumerated =>
  complianceType === 'NON_COMPLIANT'
    ? { id: 1, name: 'Create' }
    : { id: 3, name: 'Close' };

/**
 * OCSF `compliance.status_id`. NOT_APPLICABLE is a verdict of its own, not
 * an unknown one or a check that lacked information (Warning): OCSF's Other
 * (99) with the source's own caption.
 */
const COMPLIANCE_STATUS: Readonly<Record<ComplianceType, Enumerated>> = {
  COMPLIANT: { id: 1, name: 'Pass' },
  NON_COMPLIANT: { id: 3, name: 'Fail' },
  NOT_APPLICABLE: { id: 99, name: 'Not Applicable' },
};

/** OCSF `severity_id` of each rule severity. */
const SEVERITY: Readonly<Record<Severity, Enumerated>> = {
  LOW: { id: 2, name: 'Low' },
  MEDIUM: { id: 3, name: 'Medium' },
  HIGH: { id: 4, name: 'High' },
  CRITICAL: { id: 5, name: 'Critical' },
};

const INFORMATIONAL: Enumerated = { id: 1, name: 'Informational' };

/**
 * Only failures carry the rule's severity; passing and not-applicable
 * resources are informational, as in the ASFF findings
 * (functions/shared/formats/asff.ts).
 */
const severityOf = (
  complianceType: ComplianceType,
  rule: RuleMetadata
): Enumerated =>
  complianceType === 'NON_COMPLIANT' ? SEVERITY[rule.severity] : INFORMATIONAL;

/** OCSF `cloud.account.type_id` of an AWS account. */
const AWS_ACCOUNT: Enumerated = { id: 10, name: 'AWS Account' };

/** OCSF `resources[].role_id`: the evaluated resource is the finding's subject. */
const TARGET: Enumerated = { id: 1, name: 'Target' };

/**
 * `resources[].type` of each kind: the AWS CloudFormation type, which is
 * how AWS's own OCSF findings name resource types.
 */
const resourceTypeOf = (kind: ResourceKind): ResourceType => {
  switch (kind) {
    case 'vpc':
      return RESOURCE_KINDS.vpc.configType;
    case 'subnet':
      return RESOURCE_KINDS.subnet.configType;
    case 'vpc-endpoint':
      return RESOURCE_KINDS['vpc-endpoint'].configType;
    default:
      return unhandledKind(kind);
  }
};

/** One OCSF Compliance Finding event, as `--format ocsf` writes it. */
interface OcsfComplianceFinding {
  readonly activity_id: number;
  readonly activity_name: string;
  readonly category_uid: number;
  readonly category_name: string;
  readonly class_uid: number;
  readonly class_name: string;
  readonly type_uid: number;
  readonly type_name: string;
  readonly severity_id: number;
  readonly severity: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly message: string;
  readonly metadata: {
    readonly version: string;
    readonly product: {
      readonly name: string;
      readonly vendor_name: string;
      readonly version: string;
    };
    readonly profiles: readonly string[];
  };
  readonly cloud: {
    readonly provider: string;
    readonly region: string;
    readonly cloud_partition: string;
    readonly account: {
      readonly uid: string;
      readonly type_id: number;
      readonly type: string;
    };
  };
  readonly finding_info: {
    readonly uid: string;
    readonly title: string;
    readonly desc: string;
    readonly modified_time: number;
  };
  readonly compliance: {
    readonly control: string;
    readonly status_id: number;
    readonly status: string;
    readonly status_details: readonly string[];
  };
  readonly resources: readonly {
    readonly type: ResourceType;
    readonly uid: string;
    readonly uid_alt: string;
    readonly region: string;
    readonly cloud_partition: string;
    readonly role_id: number;
    readonly role: string;
  }[];
  readonly remediation: {
    readonly desc: string;
    readonly references: readonly string[];
  };
}

/** Where and when events are built. */
interface OcsfContext {
  /** Partition of the account that owns the resource (`aws`, `aws-cn`…). */
  readonly partition: string;
  /**
   * Base URL the rule runbook paths are appended to; without it the link
   * is the console page of the rule's SSM Automation document, as in ASFF.
   */
  readonly runbookBaseUrl: string | undefined;
  /** Stamped on `time` and `finding_info.modified_time`. */
  readonly now: Date;
  /** `metadata.product.version`: vpce-guard's own (cli/version.ts). */
  readonly productVersion: string;
}

/** The rule's remediation text and, when there is one, the same link as its ASFF finding. */
const remediationOf = (
  rule: RuleMetadata,
  region: string,
  context: OcsfContext
): OcsfComplianceFinding['remediation'] => {
  const url = recommendationUrl(rule.id, {
    partition: context.partition,
    region,
    runbookBaseUrl: context.runbookBaseUrl,
  });
  return {
    desc: rule.remediation.text,
    references: url === undefined ? [] : [url],
  };
};

/**
 * Builds the OCSF Compliance Finding of one evaluation: the same finding
 * id, resource ARN and runbook link as its ASFF finding, the rule id as
 * the control, and the verdict as the compliance status.
 */
const buildComplianceFinding = (
  evaluation: Evaluation,
  rule: RuleMetadata,
  context: OcsfContext
): OcsfComplianceFinding => {
  const { complianceType, region, accountId, annotation } = evaluation;
  const activity = activityOf(complianceType);
  const severity = severityOf(complianceType, rule);
  const status = COMPLIANCE_STATUS[complianceType];
  const time = context.now.getTime();
  return {
    activity_id: activity.id,
    activity_name: activity.name,
    category_uid: CATEGORY.uid,
    category_name: CATEGORY.name,
    class_uid: CLASS.uid,
    class_name: CLASS.name,
    type_uid: CLASS.uid * 100 + activity.id,
    type_name: `${CLASS.name}: ${activity.name}`,
    severity_id: severity.id,
    severity: severity.name,
    time,
    message: annotation,
    metadata: {
      version: OCSF_VERSION,
      product: {
        name: PRODUCT_NAME,
        vendor_name: PRODUCT_NAME,
        version: context.productVersion,
      },
      profiles: [...PROFILES],
    },
    cloud: {
      provider: 'AWS',
      region,
      cloud_partition: context.partition,
      account: {
        uid: accountId,
        type_id: AWS_ACCOUNT.id,
        type: AWS_ACCOUNT.name,
      },
    },
    finding_info: {
      uid: findingId(rule.id, region, evaluation.resourceId),
      title: rule.title,
      desc: rule.description,
      modified_time: time,
    },
    compliance: {
      control: rule.id,
      status_id: status.id,
      status: status.name,
      status_details: [annotation],
    },
    resources: [
      {
        type: resourceTypeOf(rule.resourceKind),
        uid: resourceArn(context.partition, evaluation, rule.resourceKind),
        uid_alt: evaluation.resourceId,
        region,
        cloud_partition: context.partition,
        role_id: TARGET.id,
        role: TARGET.name,
      },
    ],
    remediation: remediationOf(rule, region, context),
  };
};

/**
 * The `--format ocsf` output: one OCSF Compliance Finding per evaluation,
 * one JSON object per line (JSON Lines), each in the partition of the
 * account-region it was evaluated in.
 */
const renderOcsf = (
  evaluations: readonly Evaluation[],
  rules: readonly RuleMetadata[],
  inventories: readonly SourcedInventory[],
  context: Omit<OcsfContext, 'partition'>
): string => {
  const partitionOf = new Map(
    inventories.map(({ inventory }) => [
      `${inventory.accountId}/${inventory.region}`,
      inventory.partition,
    ])
  );
  const ruleOf = new Map(rules.map((rule) => [rule.id, rule]));
  const lines = evaluations.flatMap((evaluation) => {
    const partition = partitionOf.get(
      `${evaluation.accountId}/${evaluation.region}`
    );
    const rule = ruleOf.get(evaluation.ruleId);
    if (partition === undefined || rule === undefined) return [];
    const event = buildComplianceFinding(evaluation, rule, {
      ...context,
      partition,
    });
    return [JSON.stringify(event)];
  });
  return lines.map((line) => `${line}\n`).join('');
};

export type { OcsfComplianceFinding, OcsfContext };
export { buildComplianceFinding, OCSF_VERSION, renderOcsf };
