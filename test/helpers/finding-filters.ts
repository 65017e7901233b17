/**
 * An evaluator of Security Hub CSPM string filters, as the synthesized
 * templates hold them (`AWS::SecurityHub::AutomationRule` `Criteria`,
 * `AWS::SecurityHub::Insight` `Filters`): `{ Field: [{ Comparison, Value }] }`.
 *
 * The semantics are those of the StringFilter documentation
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-securityhub-automationrule-stringfilter.html):
 * fields are joined by AND; on one field, `EQUALS`, `PREFIX` and `CONTAINS`
 * are joined by OR, `NOT_EQUALS`, `PREFIX_NOT_EQUALS` and `NOT_CONTAINS`
 * by AND; `EQUALS` with a negative filter on the same field is refused;
 * values are case sensitive. A field or comparison this evaluator does not
 * model throws, so a criterion it cannot judge never passes silently.
 */

/** One filter as a template holds it. */
interface TemplateStringFilter {
  readonly Comparison: string;
  readonly Value: string;
}

/** Criteria or insight filters as a template holds them. */
type TemplateFilters = Readonly<
  Record<string, readonly TemplateStringFilter[]>
>;

/** An ASFF finding, as far as the modelled fields go. */
type Finding = Readonly<Record<string, unknown>>;

const text = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : [];

const object = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object'
    ? (value as Record<string, unknown>)
    : {};

const resources = (finding: Finding): Record<string, unknown>[] =>
  Array.isArray(finding.Resources) ? finding.Resources.map(object) : [];

/** The values of each filter field in a finding (ASFF paths). */
const FIELDS: Readonly<Record<string, (finding: Finding) => string[]>> = {
  AwsAccountId: (f) => text(f.AwsAccountId),
  CompanyName: (f) => text(f.CompanyName),
  ComplianceStatus: (f) => text(object(f.Compliance).Status),
  Description: (f) => text(f.Description),
  GeneratorId: (f) => text(f.GeneratorId),
  Id: (f) => text(f.Id),
  ProductArn: (f) => text(f.ProductArn),
  ProductName: (f) => text(f.ProductName),
  RecordState: (f) => text(f.RecordState),
  ResourceId: (f) => resources(f).flatMap((r) => text(r.Id)),
  ResourceType: (f) => resources(f).flatMap((r) => text(r.Type)),
  SeverityLabel: (f) => text(object(f.Severity).Label),
  Title: (f) => text(f.Title),
  WorkflowStatus: (f) => text(object(f.Workflow).Status),
};

const POSITIVE: Readonly<
  Record<string, (value: string, filter: string) => boolean>
> = {
  EQUALS: (value, filter) => value === filter,
  PREFIX: (value, filter) => value.startsWith(filter),
  CONTAINS: (value, filter) => value.includes(filter),
};

const NEGATIVE: Readonly<
  Record<string, (value: string, filter: string) => boolean>
> = {
  NOT_EQUALS: (value, filter) => value !== filter,
  PREFIX_NOT_EQUALS: (value, filter) => !value.startsWith(filter),
  NOT_CONTAINS: (value, filter) => !value.includes(filter),
};

/** Whether the values of one field pass that field's filters. */
const fieldMatches = (
  field: string,
  values: readonly string[],
  filters: readonly TemplateStringFilter[]
): boolean => {
  const unknown = filters.find(
    (f) => !(f.Comparison in POSITIVE) && !(f.Comparison in NEGATIVE)
  );
  if (unknown) {
    throw new Error(
      `${field}: comparison ${unknown.Comparison} is not modelled`
    );
  }
  const positives = filters.filter((f) => f.Comparison in POSITIVE);
  const negatives = filters.filter((f) => f.Comparison in NEGATIVE);
  if (
    negatives.length > 0 &&
    positives.some((f) => f.Comparison === 'EQUALS')
  ) {
    throw new Error(
      `${field}: Security Hub refuses EQUALS with NOT_EQUALS or PREFIX_NOT_EQUALS on one field`
    );
  }
  const anyPositive =
    positives.length === 0 ||
    positives.some((f) =>
      values.some((value) => POSITIVE[f.Comparison]?.(value, f.Value) === true)
    );
  const allNegatives = negatives.every((f) =>
    values.every((value) => NEGATIVE[f.Comparison]?.(value, f.Value) === true)
  );
  return anyPositive && allNegatives;
};

/**
 * Whether `finding` matches every field of `filters`.
 *
 * @throws Error for a field or comparison the evaluator does not model
 */
const matchesFilters = (filters: TemplateFilters, finding: Finding): boolean =>
  Object.entries(filters).every(([field, fieldFilters]) => {
    const read = FIELDS[field];
    if (!read) throw new Error(`field ${field} is not modelled`);
    return fieldMatches(field, read(finding), fieldFilters);
  });

export type { TemplateFilters, TemplateStringFilter };
export { matchesFilters };
