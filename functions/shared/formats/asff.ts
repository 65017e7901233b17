import type {
  AwsEc2SubnetDetails,
  AwsEc2VpcDetails,
  AwsSecurityFinding,
  ComplianceStatus,
  Partition,
  Recommendation,
  RecordState,
  Resource,
  SeverityLabel,
} from '@aws-sdk/client-securityhub';
import { ruleFilePath } from '../../../rules/files.js';
import type { Inventory } from '../../../rules/model/inventory.js';
import {
  RESOURCE_KINDS,
  type ResourceKind,
  unhandledKind,
} from '../../../rules/model/resource-kinds.js';
import {
  type ComplianceType,
  type Evaluation,
  type RuleMetadata,
  sliceWhole,
} from '../../../rules/model/rule.js';
import { automationDocumentConsoleUrl } from './console-links.js';

/** Where and when findings are built. */
interface FindingContext {
  /** Partition of the importing account (`aws`, `aws-cn`, `aws-us-gov`…). */
  readonly partition: string;
  /** Region the findings are imported into. */
  readonly region: string;
  /** Account that imports the findings (owner of the default product ARN). */
  readonly accountId: string;
  /**
   * Where the repository's runbooks are published: findings link to
   * `<base>/rules/<rule-id>/runbook.md`. Without it they link to the
   * console page of the rule's SSM Automation document in `region`.
   */
  readonly runbookBaseUrl?: string | undefined;
  /** Stamped on CreatedAt, UpdatedAt, FirstObservedAt and LastObservedAt. */
  readonly now: Date;
  /** When given, resource details are filled in from it. */
  readonly inventory?: Inventory;
}

/** ASFF `SchemaVersion`. */
const SCHEMA_VERSION = '2018-10-08';

/** The finding type of every vpce-guard finding (ASFF type taxonomy). */
const FINDING_TYPES: readonly string[] = [
  'Software and Configuration Checks/AWS Security Best Practices',
];

/** Documented ASFF limits, in characters (or pairs for maps). */
const LIMITS = {
  id: 512,
  title: 256,
  description: 1024,
  severityOriginal: 64,
  recommendationText: 512,
  productFieldsValue: 2048,
  otherKey: 127,
  otherValue: 1023,
  otherPairs: 50,
} as const;

const ELLIPSIS = '…';

/**
 * Trims `text` to at most `max` characters, ending a cut text with `…`.
 * Blank text becomes `-` so it still satisfies the model's non-empty pattern.
 */
const truncate = (text: string, max: number): string => {
  const trimmed = text.trim();
  if (trimmed === '') return '-';
  if (trimmed.length <= max) return trimmed;
  return `${sliceWhole(trimmed, Math.max(0, max - ELLIPSIS.length))}${ELLIPSIS}`;
};

/**
 * The deterministic finding id: `vpce-guard/<rule-id>/<region>/<resource-id>`.
 * The same rule and resource always update the same finding.
 */
const findingId = (
  ruleId: string,
  region: string,
  resourceId: string
): string =>
  truncate(`vpce-guard/${ruleId}/${region}/${resourceId}`, LIMITS.id);

const MODEL_PARTITIONS: ReadonlyMap<string, Partition> = new Map<
  string,
  Partition
>([
  ['aws', 'aws'],
  ['aws-cn', 'aws-cn'],
  ['aws-us-gov', 'aws-us-gov'],
  ['aws-iso', 'aws-us-iso'],
  ['aws-iso-b', 'aws-us-iso-b'],
]);

/**
 * The `Resources[].Partition` enum value of a partition id, or `undefined`
 * when the model has none for it (`aws-iso` is `aws-us-iso` there).
 */
const modelPartition = (partition: string): Partition | undefined =>
  MODEL_PARTITIONS.get(partition);

const COMPLIANCE_STATUS: Readonly<Record<ComplianceType, ComplianceStatus>> = {
  COMPLIANT: 'PASSED',
  NON_COMPLIANT: 'FAILED',
  NOT_APPLICABLE: 'NOT_AVAILABLE',
};

/** Only failures stay on dashboards; resolved and N/A findings are archived. */
const recordStateOf = (complianceType: ComplianceType): RecordState =>
  complianceType === 'NON_COMPLIANT' ? 'ACTIVE' : 'ARCHIVED';

const severityOf = (
  complianceType: ComplianceType,
  rule: RuleMetadata
): SeverityLabel =>
  complianceType === 'NON_COMPLIANT' ? rule.severity : 'INFORMATIONAL';

/** Drops undefined and blank values, truncating the rest. */
const fieldMap = (
  entries: readonly (readonly [string, string | undefined])[],
  maxValue: number
): Record<string, string> =>
  Object.fromEntries(
    entries.flatMap(([key, value]) =>
      value === undefined || value.trim() === ''
        ? []
        : [[truncate(key, LIMITS.otherKey), truncate(value, maxValue)]]
    )
  );

const subnetDetails = (
  subnetId: string,
  inventory: Inventory | undefined
): AwsEc2SubnetDetails => {
  const subnet = inventory?.subnets.get(subnetId);
  if (subnet === undefined) return { SubnetId: subnetId };
  const details: AwsEc2SubnetDetails = {
    SubnetId: subnet.id,
    VpcId: subnet.vpcId,
    AvailabilityZone: subnet.availabilityZone,
    AvailabilityZoneId: subnet.availabilityZoneId,
    CidrBlock: subnet.cidrBlock,
    SubnetArn: subnet.arn,
    OwnerId: subnet.ownerId,
  };
  return Object.fromEntries(
    Object.entries(details).filter(
      ([, value]) => typeof value === 'string' && value.trim() !== ''
    )
  ) as AwsEc2SubnetDetails;
};

const endpointOther = (
  evaluation: Evaluation,
  inventory: Inventory | undefined
): Record<string, string> => {
  const endpoint = inventory?.endpoints.get(evaluation.resourceId);
  const zoneIds = endpoint
    ? [
        ...new Set(
          (endpoint.subnetIds ?? []).flatMap((id) => {
            const zone = inventory?.subnets.get(id)?.availabilityZoneId;
            return zone === undefined ? [] : [zone];
          })
        ),
      ].sort()
    : [];
  const pairs: (readonly [string, string | undefined])[] = [
    ['vpcEndpointId', evaluation.resourceId],
    ['vpcEndpointType', endpoint?.type],
    ['serviceName', endpoint?.service?.name],
    ['vpcId', endpoint?.vpcId],
    ['state', endpoint?.state],
    ['availabilityZoneIds', zoneIds.join(',')],
    [
      'privateDnsEnabled',
      endpoint?.privateDnsEnabled === undefined
        ? undefined
        : String(endpoint.privateDnsEnabled),
    ],
    ['complianceType', evaluation.complianceType],
    ['annotation', evaluation.annotation],
  ];
  return fieldMap(pairs.slice(0, LIMITS.otherPairs), LIMITS.otherValue);
};

/** The ASFF `Details.AwsEc2Vpc` of a VPC, from the inventory when it holds it. */
const vpcDetails = (
  vpcId: string,
  inventory: Inventory | undefined
): AwsEc2VpcDetails => {
  const vpc = inventory?.vpcs.get(vpcId);
  const ipv4 = vpc?.ipv4Cidrs ?? [];
  const ipv6 = vpc?.ipv6Cidrs ?? [];
  return {
    ...(ipv4.length === 0
      ? {}
      : {
          CidrBlockAssociationSet: ipv4.map((cidr) => ({
            CidrBlock: cidr.text,
          })),
        }),
    ...(ipv6.length === 0
      ? {}
      : {
          Ipv6CidrBlockAssociationSet: ipv6.map((cidr) => ({
            Ipv6CidrBlock: cidr.text,
          })),
        }),
  };
};

/**
 * The ASFF `Resources[].Type` of each kind. ASFF has no VPC-endpoint type:
 * endpoints are `Other`, their details in `Details.Other`.
 */
const ASFF_RESOURCE_TYPES: Readonly<Record<ResourceKind, string>> = {
  vpc: 'AwsEc2Vpc',
  subnet: 'AwsEc2Subnet',
  'vpc-endpoint': 'Other',
};

/** ASFF `Type` and `Details` of a resource, by kind. */
const typedDetails = (
  kind: ResourceKind,
  evaluation: Evaluation,
  inventory: Inventory | undefined
): Pick<Resource, 'Type' | 'Details'> => {
  switch (kind) {
    case 'vpc':
      return {
        Type: ASFF_RESOURCE_TYPES.vpc,
        Details: { AwsEc2Vpc: vpcDetails(evaluation.resourceId, inventory) },
      };
    case 'subnet':
      return {
        Type: ASFF_RESOURCE_TYPES.subnet,
        Details: {
          AwsEc2Subnet: subnetDetails(evaluation.resourceId, inventory),
        },
      };
    case 'vpc-endpoint':
      return {
        Type: ASFF_RESOURCE_TYPES['vpc-endpoint'],
        Details: { Other: endpointOther(evaluation, inventory) },
      };
    default:
      return unhandledKind(kind);
  }
};

/**
 * The ARN of an evaluated resource,
 * `arn:<partition>:ec2:<region>:<account>:<arnType>/<id>`: the finding's
 * `Resources[].Id`, and the OCSF event's `resources[].uid`
 * (cli/report/ocsf.ts), so both name the resource alike.
 */
const resourceArn = (
  partition: string,
  evaluation: Evaluation,
  kind: ResourceKind
): string =>
  `arn:${partition}:ec2:${evaluation.region}:${evaluation.accountId}:${RESOURCE_KINDS[kind].arnType}/${evaluation.resourceId}`;

const resourceOf = (
  evaluation: Evaluation,
  kind: ResourceKind,
  context: FindingContext
): Resource => {
  const { partition, inventory } = context;
  const partitionValue = modelPartition(partition);
  return {
    ...typedDetails(kind, evaluation, inventory),
    Id: resourceArn(partition, evaluation, kind),
    ...(partitionValue === undefined ? {} : { Partition: partitionValue }),
    Region: evaluation.region,
  };
};

/**
 * Builds the ASFF finding of one evaluation. FAILED findings (NON_COMPLIANT)
 * are ACTIVE with the rule's severity; PASSED (COMPLIANT) and NOT_AVAILABLE
 * (NOT_APPLICABLE) ones are ARCHIVED and INFORMATIONAL, so resolved resources
 * leave the dashboards. Every string is trimmed to its documented limit.
 * All four timestamps are `context.now`; the reporter adjusts `UpdatedAt`.
 */
const buildFinding = (
  evaluation: Evaluation,
  rule: RuleMetadata,
  context: FindingContext
): AwsSecurityFinding => {
  const { complianceType } = evaluation;
  const label = severityOf(complianceType, rule);
  const severity = {
    Label: label,
    Original: truncate(label, LIMITS.severityOriginal),
  };
  const timestamp = context.now.toISOString();
  return {
    SchemaVersion: SCHEMA_VERSION,
    Id: findingId(rule.id, evaluation.region, evaluation.resourceId),
    ProductArn: `arn:${context.partition}:securityhub:${context.region}:${context.accountId}:product/${context.accountId}/default`,
    GeneratorId: truncate(`vpce-guard/${rule.id}`, LIMITS.id),
    AwsAccountId: evaluation.accountId,
    Types: [...FINDING_TYPES],
    FirstObservedAt: timestamp,
    LastObservedAt: timestamp,
    CreatedAt: timestamp,
    UpdatedAt: timestamp,
    Severity: severity,
    Title: truncate(rule.title, LIMITS.title),
    Description: truncate(rule.description, LIMITS.description),
    Remediation: {
      Recommendation: recommendationOf(rule, context),
    },
    ProductFields: fieldMap(
      [
        ['vpce-guard/RuleId', rule.id],
        ['vpce-guard/Annotation', evaluation.annotation],
        ['vpce-guard/ComplianceType', complianceType],
      ],
      LIMITS.productFieldsValue
    ),
    Resources: [resourceOf(evaluation, rule.resourceKind, context)],
    Compliance: { Status: COMPLIANCE_STATUS[complianceType] },
    RecordState: recordStateOf(complianceType),
    FindingProviderFields: {
      Severity: severity,
      Types: [...FINDING_TYPES],
    },
  };
};

/** Where a rule's runbook is published under `baseUrl`. */
const runbookUrl = (baseUrl: string, ruleId: string): string =>
  `${baseUrl.replace(/\/+$/u, '')}/${ruleFilePath(ruleId, 'runbook')}`;

/**
 * Where a finding of `ruleId` sends its reader: the published runbook when
 * a base URL is configured, else the console page of the rule's SSM
 * Automation document in the finding's Region, which the stacks deploy
 * (README, "Runbooks and remediation"); `undefined` in a partition whose
 * console host is not known, so a finding carries no link rather than a
 * dead one.
 */
const recommendationUrl = (
  ruleId: string,
  context: Pick<FindingContext, 'partition' | 'region' | 'runbookBaseUrl'>
): string | undefined =>
  context.runbookBaseUrl === undefined
    ? automationDocumentConsoleUrl({
        partition: context.partition,
        region: context.region,
        ruleId,
      })
    : runbookUrl(context.runbookBaseUrl, ruleId);

/** `Remediation.Recommendation`: the rule's text and, when there is one, its link. */
const recommendationOf = (
  rule: RuleMetadata,
  context: FindingContext
): Recommendation => {
  const url = recommendationUrl(rule.id, context);
  return {
    Text: truncate(rule.remediation.text, LIMITS.recommendationText),
    ...(url === undefined ? {} : { Url: url }),
  };
};

export type { FindingContext };
export {
  ASFF_RESOURCE_TYPES,
  buildFinding,
  findingId,
  modelPartition,
  recommendationUrl,
  resourceArn,
  runbookUrl,
  truncate,
};
