/**
 * The SSM Automation document of each rule (`remediation.yaml` in its
 * folder, rules/files.ts), and reading which AWS actions a document calls.
 * The CDK app creates one `AWS::SSM::Document` (DocumentType `Automation`)
 * per rule and one role allowed the rules' declared remediation actions;
 * test/unit/docs/runbooks.test.ts reads the actions off each document and
 * checks them against the rule's metadata both ways. Pure on purpose: no
 * aws-cdk-lib and no file reads at import time.
 */
import { automationDocumentName } from '../functions/shared/formats/console-links.js';
import { ruleFilePath } from '../rules/files.js';
import type { IamAction, Rule } from '../rules/model/rule.js';

/** A rule's remediation document. */
interface AutomationDocument {
  /** The rule whose findings the document fixes. */
  readonly ruleId: string;
  /** The SSM document name: `VpceGuard-` and the rule id in PascalCase. */
  readonly documentName: string;
  /** The YAML file, relative to the repository root. */
  readonly path: string;
  /**
   * The document parameter AWS Config fills with the non-compliant
   * resource id (`RESOURCE_ID` in a remediation configuration).
   */
  readonly resourceIdParameter: string;
  /** Every action the document calls: the least its role must be allowed. */
  readonly actions: readonly IamAction[];
}

/** The resource-id parameter every document takes. */
const RESOURCE_ID_PARAMETER = 'ResourceId';

/**
 * The document name of a rule: `VpceGuard-` and the rule id in PascalCase.
 * Findings link to the deployed document by the same name
 * (functions/shared/formats/console-links.ts), so the name is made there.
 *
 * @example documentNameOf('interface-endpoint-multi-az')
 * // 'VpceGuard-InterfaceEndpointMultiAz'
 */
const documentNameOf = (ruleId: string): string =>
  automationDocumentName(ruleId);

/** The remediation document of a rule, from its folder and metadata. */
const automationDocumentOf = ({ metadata }: Rule): AutomationDocument => ({
  ruleId: metadata.id,
  documentName: documentNameOf(metadata.id),
  path: ruleFilePath(metadata.id, 'remediation'),
  resourceIdParameter: RESOURCE_ID_PARAMETER,
  actions: [...metadata.remediation.actions].sort(),
});

/** Step actions that name the AWS API they call in `Service` and `Api`. */
const API_STEP_ACTIONS: ReadonlySet<string> = new Set([
  'aws:executeAwsApi',
  'aws:assertAwsResourceProperty',
  'aws:waitForAwsResourceProperty',
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The steps of a parsed document; none when it has no `mainSteps` list. */
const stepsOf = (document: unknown): Record<string, unknown>[] => {
  const steps = isRecord(document) ? document.mainSteps : undefined;
  return Array.isArray(steps) ? steps.filter(isRecord) : [];
};

const inputsOf = (step: Record<string, unknown>): Record<string, unknown> =>
  isRecord(step.inputs) ? step.inputs : {};

const uniqueSorted = (actions: Iterable<IamAction>): IamAction[] =>
  [...new Set(actions)].sort();

/**
 * The IAM action of one API step (`Service: ec2`, `Api: DescribeVpcs` →
 * `ec2:DescribeVpcs`), or `undefined` for a step that names no API. The
 * Automation service namespace is the IAM prefix for every service these
 * documents call.
 */
const apiActionOf = (step: Record<string, unknown>): IamAction | undefined => {
  if (typeof step.action !== 'string' || !API_STEP_ACTIONS.has(step.action)) {
    return undefined;
  }
  const { Service: service, Api: api } = inputsOf(step);
  return typeof service === 'string' && typeof api === 'string'
    ? `${service.toLowerCase()}:${api}`
    : undefined;
};

/**
 * The `service:Api` actions of a parsed document's API steps
 * (`aws:executeAwsApi`, `aws:assertAwsResourceProperty`,
 * `aws:waitForAwsResourceProperty`), unique and sorted.
 *
 * @param document - the document as parsed from YAML
 */
const apiActionsOf = (document: unknown): IamAction[] =>
  uniqueSorted(
    stepsOf(document).flatMap((step) => {
      const action = apiActionOf(step);
      return action === undefined ? [] : [action];
    })
  );

/** `describe_vpc_endpoints` → `DescribeVpcEndpoints`. */
const operationName = (method: string): string =>
  method
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

// Client helpers that are not API operations.
const CLIENT_HELPERS = new Set(['get_paginator', 'can_paginate', 'get_waiter']);

/**
 * The boto3 calls of one Python script: `ec2 = boto3.client('ec2')`, then
 * `ec2.describe_subnets(…)` or `ec2.get_paginator('describe_subnets')`.
 * Scripts follow that convention so their actions can be read off them.
 */
const scriptCalls = (script: string): IamAction[] =>
  [...script.matchAll(/(\w+)\s*=\s*boto3\.client\(\s*['"]([\w-]+)['"]/g)]
    .flatMap(([, client, service]) => {
      const calls = [
        ...script.matchAll(new RegExp(`\\b${client}\\.(\\w+)\\(`, 'g')),
      ]
        .map(([, method]) => method ?? '')
        .filter((method) => !CLIENT_HELPERS.has(method));
      const paginated = [
        ...script.matchAll(
          new RegExp(`\\b${client}\\.get_paginator\\(\\s*['"](\\w+)['"]`, 'g')
        ),
      ].map(([, method]) => method ?? '');
      return [...calls, ...paginated].map(
        (method): IamAction => `${service}:${operationName(method)}`
      );
    })
    .filter((action) => !action.endsWith(':'));

/**
 * The `service:Api` actions the `aws:executeScript` steps of a parsed
 * document call through boto3, unique and sorted.
 *
 * @param document - the document as parsed from YAML
 */
const scriptActionsOf = (document: unknown): IamAction[] =>
  uniqueSorted(
    stepsOf(document)
      .filter((step) => step.action === 'aws:executeScript')
      .flatMap((step) => {
        const script = inputsOf(step).Script;
        return typeof script === 'string' ? scriptCalls(script) : [];
      })
  );

/**
 * Every action a parsed document calls, in API steps and in scripts: what
 * its automation role needs.
 *
 * @param document - the document as parsed from YAML
 */
const documentActionsOf = (document: unknown): IamAction[] =>
  uniqueSorted([...apiActionsOf(document), ...scriptActionsOf(document)]);

export type { AutomationDocument };
export {
  API_STEP_ACTIONS,
  apiActionsOf,
  automationDocumentOf,
  documentActionsOf,
  documentNameOf,
  RESOURCE_ID_PARAMETER,
  scriptActionsOf,
};
