/**
 * Where a rule's own files live, relative to the package root. The one
 * place that knows the layout, so the CLI (`vpce-guard rules --explain`)
 * and the tests that check every rule has its reference agree.
 */

/**
 * The path of a rule's reference: what it decides, every verdict and
 * annotation, its parameters, the AWS facts behind it and its known limits.
 *
 * @example
 * referencePathOf('interface-endpoint-multi-az')
 * // 'rules/interface-endpoint-multi-az/README.md'
 */
const referencePathOf = (ruleId: string): string => `rules/${ruleId}/README.md`;

export { referencePathOf };
