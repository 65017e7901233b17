import { Document } from 'yaml';
import type { Rule } from '../rules/model/rule.js';
import {
  configDescriptionOf,
  configRuleName,
  inputParametersOf,
  organizationInputParametersOf,
  organizationRuleName,
  sourceDetailsOf,
} from './config-rules.js';
import { pascalCase } from './names.js';
import { type DeploymentSettings, InvalidContextError } from './settings.js';

/** The name of the conformance pack (and organization conformance pack). */
const CONFORMANCE_PACK_NAME = 'vpce-guard';

/** Config's limit on a conformance pack's `TemplateBody`, in bytes. */
const MAX_TEMPLATE_BODY_BYTES = 51_200;

/** Config's limit on a rule's `InputParameters` (a JSON string). */
const MAX_INPUT_PARAMETERS = 1024;

/**
 * The longest function ARN Lambda allows: a stack's pack names its
 * functions by CDK tokens, so its size is checked with this in their place.
 */
const LONGEST_FUNCTION_ARN = `arn:aws-us-gov:lambda:us-gov-west-1:111111111111:function:${'f'.repeat(64)}`;

/**
 * Which pack: `organization` for an organization conformance pack (each
 * rule's parameters plus `ExecutionRoleName`, the member role the central
 * functions assume), `account` for a pack in the functions' own account.
 */
type PackScope = 'organization' | 'account';

/** A rule's function ARN in the template: a string, or a reference to a template parameter. */
type FunctionArnValue = string | { readonly Ref: string };

/** How the pack template names each rule's function. */
type FunctionArnOf = (rule: Rule) => FunctionArnValue;

/**
 * The name of the template parameter that carries a rule's function ARN
 * in the template file, and of the stack output that holds its value.
 */
const functionArnParameterOf = (rule: Rule): string =>
  `${pascalCase(rule.metadata.id)}FunctionArn`;

const inputParametersFor = (
  rule: Rule,
  settings: DeploymentSettings,
  scope: PackScope
): Record<string, string> => {
  if (scope === 'organization') {
    return JSON.parse(organizationInputParametersOf(rule, settings)) as Record<
      string,
      string
    >;
  }
  const parameters = inputParametersOf(rule, settings);
  const length = JSON.stringify(parameters).length;
  if (length > MAX_INPUT_PARAMETERS) {
    throw new InvalidContextError(
      `context ruleParameters.${rule.metadata.id}: the rule's InputParameters are ${length} characters; Config accepts at most ${MAX_INPUT_PARAMETERS}`
    );
  }
  return parameters;
};

/** One `AWS::Config::ConfigRule` of the pack: a custom Lambda rule. */
const packRuleOf = (
  rule: Rule,
  settings: DeploymentSettings,
  scope: PackScope,
  functionArnOf: FunctionArnOf
) => {
  const parameters = inputParametersFor(rule, settings, scope);
  return {
    Type: 'AWS::Config::ConfigRule',
    Properties: {
      ConfigRuleName:
        scope === 'organization'
          ? organizationRuleName(rule)
          : configRuleName(rule),
      Description: configDescriptionOf(rule),
      // Config passes every value to the function as a string.
      ...(Object.keys(parameters).length > 0
        ? { InputParameters: parameters }
        : {}),
      Scope: {
        ComplianceResourceTypes: [...rule.metadata.triggerResourceTypes],
      },
      Source: {
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: functionArnOf(rule),
        SourceDetails: sourceDetailsOf(settings).map((detail) => ({
          EventSource: detail.eventSource,
          MessageType: detail.messageType,
          ...(detail.maximumExecutionFrequency === undefined
            ? {}
            : { MaximumExecutionFrequency: detail.maximumExecutionFrequency }),
        })),
      },
    },
  };
};

/** The pack template as an object: one custom Lambda rule per rule. */
const packTemplateOf = (
  rules: readonly Rule[],
  settings: DeploymentSettings,
  scope: PackScope,
  functionArnOf: FunctionArnOf
) => ({
  Resources: Object.fromEntries(
    rules.map((rule) => [
      pascalCase(rule.metadata.id),
      packRuleOf(rule, settings, scope, functionArnOf),
    ])
  ),
});

const yamlOf = (template: unknown, comment?: string): string => {
  const document = new Document(template);
  if (comment !== undefined) document.commentBefore = comment;
  // No folding: a CDK token inside a folded line would be split apart.
  return document.toString({ lineWidth: 0 });
};

/** @throws InvalidContextError when `body` exceeds Config's 51,200 bytes */
const checkTemplateSize = (body: string, what: string): string => {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_TEMPLATE_BODY_BYTES) {
    throw new InvalidContextError(
      `${what} is ${bytes} bytes; Config accepts a TemplateBody of at most ${MAX_TEMPLATE_BODY_BYTES} (shorten ruleParameters)`
    );
  }
  return body;
};

/** A rule and the function a stack deploys for it. */
interface PackFunction {
  readonly rule: Rule;
  /** A RuleFunction (infra/rule-function.ts), or anything with its ARN. */
  readonly ruleFunction: {
    readonly function: { readonly functionArn: string };
  };
}

/**
 * The YAML `TemplateBody` of the conformance pack a stack deploys: a
 * custom Lambda rule per rule, pointing at that stack's function for it
 * (its ARN, a CDK token that CloudFormation resolves). Conformance packs
 * take YAML templates of `AWS::Config::ConfigRule` and
 * `AWS::Config::RemediationConfiguration` resources only.
 *
 * @throws InvalidContextError when a rule's parameters or the template
 *   exceed Config's limits
 */
const conformancePackBody = (
  functions: readonly PackFunction[],
  settings: DeploymentSettings,
  scope: PackScope
): string => {
  const rules = functions.map(({ rule }) => rule);
  const arnOf = new Map(
    functions.map(({ rule, ruleFunction }) => [
      rule,
      ruleFunction.function.functionArn,
    ])
  );
  checkTemplateSize(
    yamlOf(packTemplateOf(rules, settings, scope, () => LONGEST_FUNCTION_ARN)),
    `the ${scope} conformance pack template`
  );
  return yamlOf(
    packTemplateOf(rules, settings, scope, (rule) => {
      const arn = arnOf.get(rule);
      // Every rule comes from `functions`, so each has its ARN.
      if (arn === undefined)
        throw new Error(`no function for ${rule.metadata.id}`);
      return arn;
    })
  );
};

const HEADER: Readonly<Record<PackScope, string>> = {
  organization: [
    ' vpce-guard as an AWS Config organization conformance pack, generated by',
    ' `cdk synth` from the rule registry (rules/index.ts). Each rule runs the',
    ' central function deployed by the VpceGuardOrganization stack (its output',
    ' <Rule>FunctionArn gives the parameter of the same name) and assumes the',
    ' member role named in ExecutionRoleName. README, "Conformance packs".',
  ].join('\n'),
  account: [
    ' vpce-guard as an AWS Config conformance pack for one account, generated',
    ' by `cdk synth` from the rule registry (rules/index.ts). Each rule runs the',
    ' function deployed by the VpceGuardAccount stack (its output',
    ' <Rule>FunctionArn gives the parameter of the same name).',
    ' README, "Conformance packs".',
  ].join('\n'),
};

/**
 * The plain pack template written beside the stacks, for the AWS CLI
 * (`put-organization-conformance-pack`, `put-conformance-pack`) or AWS
 * Control Tower Customizations: the same rules as the stacks' packs, each
 * function ARN a template parameter named by
 * {@link functionArnParameterOf} (the stack outputs of the same names).
 *
 * @throws InvalidContextError when it exceeds Config's limits
 */
const conformancePackFile = (
  rules: readonly Rule[],
  settings: DeploymentSettings,
  scope: PackScope
): string => {
  const template = {
    Parameters: Object.fromEntries(
      rules.map((rule) => [
        functionArnParameterOf(rule),
        {
          Type: 'String',
          Description: `The ARN of the vpce-guard ${rule.metadata.id} function`,
        },
      ])
    ),
    ...packTemplateOf(rules, settings, scope, (rule) => ({
      Ref: functionArnParameterOf(rule),
    })),
  };
  return checkTemplateSize(
    yamlOf(template, HEADER[scope]),
    `the ${scope} conformance pack template file`
  );
};

export type { FunctionArnValue, PackScope };
export {
  CONFORMANCE_PACK_NAME,
  conformancePackBody,
  conformancePackFile,
  functionArnParameterOf,
  MAX_TEMPLATE_BODY_BYTES,
};
