/**
 * Links into the AWS Management Console: where a reader of a finding can
 * open the rule's SSM Automation document on day one, before anyone has
 * published the Markdown runbooks anywhere. The CDK app deploys each rule's
 * document under {@link automationDocumentName} (infra/automation-documents.ts).
 */

/** Every vpce-guard SSM Automation document name starts with it. */
const AUTOMATION_DOCUMENT_PREFIX = 'VpceGuard-';

/**
 * The name a rule's SSM Automation document is deployed under:
 * `VpceGuard-` and the rule id in PascalCase.
 *
 * @example automationDocumentName('interface-endpoint-multi-az')
 * // 'VpceGuard-InterfaceEndpointMultiAz'
 */
const automationDocumentName = (ruleId: string): string =>
  AUTOMATION_DOCUMENT_PREFIX +
  ruleId
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/**
 * The Regional console host suffix of each partition whose console AWS
 * documents publicly (`https://<region>.<suffix>`). The isolated partitions
 * (`aws-iso*`) and `aws-eusc` are left out on purpose: a link to a guessed
 * host would be the dead link this module exists to avoid.
 */
const CONSOLE_DOMAINS: ReadonlyMap<string, string> = new Map([
  ['aws', 'console.aws.amazon.com'],
  ['aws-cn', 'console.amazonaws.cn'],
  ['aws-us-gov', 'console.amazonaws-us-gov.com'],
]);

/**
 * A Region id as AWS writes them (`us-east-1`, `us-gov-west-1`); it becomes
 * part of a host name, so nothing else may.
 */
const REGION_ID = /^[a-z]{2,}(?:-[a-z]+)+-\d+$/u;

/** The console host suffix of `partition`, or `undefined` when unknown. */
const consoleDomainOf = (partition: string): string | undefined =>
  CONSOLE_DOMAINS.get(partition);

/** Where a rule's deployed document lives. */
interface DocumentLocation {
  /** Partition of the account (`aws`, `aws-cn`, `aws-us-gov`…). */
  readonly partition: string;
  /** Region the document was deployed in: the finding's Region. */
  readonly region: string;
  /** The rule whose document to open. */
  readonly ruleId: string;
}

/**
 * The console page of a rule's SSM Automation document in one Region, e.g.
 * `https://eu-west-1.console.aws.amazon.com/systems-manager/documents/VpceGuard-InterfaceEndpointMultiAz/description?region=eu-west-1`,
 * or `undefined` in a partition whose console host is not known, or for a
 * Region that is not a Region id (no link rather than a dead one).
 */
const automationDocumentConsoleUrl = (
  location: DocumentLocation
): string | undefined => {
  const domain = consoleDomainOf(location.partition);
  if (domain === undefined || !REGION_ID.test(location.region)) {
    return undefined;
  }
  const { region } = location;
  const name = encodeURIComponent(automationDocumentName(location.ruleId));
  return `https://${region}.${domain}/systems-manager/documents/${name}/description?region=${region}`;
};

export type { DocumentLocation };
export {
  AUTOMATION_DOCUMENT_PREFIX,
  automationDocumentConsoleUrl,
  automationDocumentName,
  consoleDomainOf,
};
