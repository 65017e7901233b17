import { parse } from 'yaml';

/** A value of a synthesized template: a string or an intrinsic function. */
type TemplateValue = string | Record<string, unknown>;

/**
 * The text of a `TemplateBody` CDK synthesized from a string with tokens
 * in it (an `Fn::Join` of text and references): each reference is written
 * as `<Ref:LogicalId>` or `<GetAtt:LogicalId.Attribute>`, so a test can
 * parse the body and see which resource each place names.
 */
const templateBodyText = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, TemplateValue[]] })[
    'Fn::Join'
  ];
  if (join) return join[1].map(templateBodyText).join(join[0]);
  const ref = (value as { Ref?: string }).Ref;
  if (ref !== undefined) return `<Ref:${ref}>`;
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt) return `<GetAtt:${getAtt[0]}.${getAtt[1]}>`;
  throw new Error(`unexpected template value ${JSON.stringify(value)}`);
};

/** A conformance pack template, as Config reads it. */
interface PackTemplate {
  readonly Parameters?: Record<string, { Type: string; Description: string }>;
  readonly Resources: Record<
    string,
    {
      Type: string;
      Properties: {
        ConfigRuleName: string;
        Description: string;
        InputParameters?: Record<string, string>;
        Scope: { ComplianceResourceTypes: string[] };
        Source: {
          Owner: string;
          SourceIdentifier: unknown;
          SourceDetails: Record<string, string>[];
        };
      };
    }
  >;
}

/** Parses a conformance pack's YAML `TemplateBody` (text or `Fn::Join`). */
const packTemplateOf = (body: unknown): PackTemplate =>
  parse(templateBodyText(body)) as PackTemplate;

export type { PackTemplate };
export { packTemplateOf, templateBodyText };
