/**
 * The endpoint-policy rule's *documented reading* of a policy, for the fuzz
 * test: where the rule's reference (rules/endpoint-policy-restrictive/
 * README.md, "the reference" below: "How it decides" and "Known limits")
 * says the rule reads something more loosely than IAM evaluates it, this
 * module rewrites the policy the same way, so that the simulator can be
 * asked whether the rule's "not restrictive" rests on that reading.
 *
 * Every relaxation is named, cites the sentence it comes from, and only
 * lets more requests through (Allows grow, Denies go): whatever the written
 * policy lets through, the relaxed one does too; `oneDenyAtATime` goes one
 * step further and splits the policy. None of them is applied to a
 * "restrictive" verdict: that half of the property is checked against the
 * policy as written.
 */
import type { TrustedSet } from '../../rules/model/endpoint-policy.js';
import {
  ENDPOINT_ACCOUNT,
  type GeneratedPolicy,
} from './policy-arbitraries.js';

type Json = Record<string, unknown>;

/** The relaxations, each a documented modelling choice of the rule. */
type Relaxation =
  /**
   * Reference, "When an Allow is limited": only a positive operator (or its
   * `ForAnyValue:` form) on a principal key, or on a resource key without a
   * trusted set, with pinned (with a trusted set: trusted) values, or plain
   * `Bool` `aws:PrincipalIsAWSService` true, restricts an Allow. `ForAllValues:`,
   * `…IfExists`, negated operators, `Bool`, `Null`, and keys such as
   * `aws:SourceVpce` restrict nothing, even where IAM would let no outsider
   * match (a signed outsider always carries `aws:PrincipalAccount`).
   */
  | 'idle-conditions'
  /**
   * Reference, "Unpinnable principals fail closed": a wildcard under any type
   * admits outsiders in an Allow; with a trusted set, Federated and
   * CanonicalUser principals prove no account, so may be anyone.
   */
  | 'unpinnable-principals'
  /**
   * Reference, "When an Allow is limited": limited on resources needs
   * `Resource` values and no `NotResource`; with a trusted set resource
   * limits do not substitute.
   */
  | 'resources'
  /**
   * Reference: "Actions never limit an Allow", and limited on resources
   * means every `Resource` value is specific ("Actions are not paired with
   * the services of ARNs"). The rule reads a non-specific value as reaching
   * any resource with any of the statement's actions: it does not pair an action's service with the
   * service of an ARN, because actions do act on other services' resources
   * (`sts:AssumeRole` on `arn:aws:iam::…:role/…`, `ssm:SendCommand` on
   * `arn:aws:ec2:…:instance/…`). So `Allow dynamodb:* arn:aws:sqs:…:*:q`
   * is open, `Deny s3:*` does not cover `Allow * arn:aws:s3:::*\/*`, and
   * `Deny * arn:aws:s3:::*\/*` does not cover `Allow s3:PutObject *`. Read
   * so, the Allow's actions are `*` and its non-specific resources `*`.
   */
  | 'unpaired'
  /**
   * Reference, "When a Deny counts": a Deny counts only when it applies to
   * everyone (`Principal` `*`, or a NotPrincipal) and only in the
   * data-perimeter form ("Any other extra condition makes it no longer
   * count"); unpinnable principals are never relied on in a Deny; with a
   * trusted set a NotResource Deny is no perimeter and a spared
   * Federated/CanonicalUser principal may be anyone.
   */
  | 'unrelied-denies';

/** How the policy is read: the trusted set and the relaxations applied. */
interface Reading {
  /** `undefined`: no trusted set. */
  readonly trusted: TrustedSet | undefined;
  readonly relaxations: ReadonlySet<Relaxation>;
}

/**
 * Every relaxation but `unpaired`, which also hides Denies that
 * cover the Allow's own actions and resources, so it is tried last.
 */
const FIRST_READING: ReadonlySet<Relaxation> = new Set<Relaxation>([
  'idle-conditions',
  'unpinnable-principals',
  'resources',
  'unrelied-denies',
]);
/** Every relaxation. */
const FULL_READING: ReadonlySet<Relaxation> = new Set<Relaxation>([
  ...FIRST_READING,
  'unpaired',
]);

const PRINCIPAL_KEYS = new Set([
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:userid',
]);
const RESOURCE_KEYS = new Set([
  'aws:resourceorgid',
  'aws:resourceorgpaths',
  'aws:resourceaccount',
  's3:resourceaccount',
]);
/** Keys that can hold several values: AWS requires a set operator on them. */
const MULTIVALUED_KEYS = new Set([
  'aws:principalorgpaths',
  'aws:resourceorgpaths',
]);
const POSITIVE = new Set([
  'StringEquals',
  'StringEqualsIgnoreCase',
  'StringLike',
  'ArnEquals',
  'ArnLike',
]);
const NEGATED = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'ArnNotEquals',
  'ArnNotLike',
]);
const EXEMPTION_KEYS = new Set([
  'aws:principalisawsservice',
  'aws:viaawsservice',
]);
const KNOWN_PRINCIPAL_TYPES = new Set([
  'AWS',
  'Service',
  'Federated',
  'CanonicalUser',
]);

/** One `operator: { key: values }` entry of a `Condition`. */
interface Clause {
  readonly qualifier: string | undefined;
  readonly base: string;
  readonly ifExists: boolean;
  readonly key: string;
  readonly values: readonly string[];
}

const statementsOf = (policy: GeneratedPolicy): Json[] =>
  Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];

const asStrings = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).map(String);

const clausesOf = (statement: Json): Clause[] =>
  Object.entries((statement.Condition ?? {}) as Record<string, Json>).flatMap(
    ([operator, keys]) => {
      const [first, second] = operator.split(':');
      const rest = second ?? first ?? '';
      const ifExists = rest.endsWith('IfExists');
      return Object.entries(keys).map(([key, values]) => ({
        qualifier: second === undefined ? undefined : first,
        base: ifExists ? rest.slice(0, -'IfExists'.length) : rest,
        ifExists,
        key: key.toLowerCase(),
        values: asStrings(values),
      }));
    }
  );

const toCondition = (clauses: readonly Clause[]): Json => {
  const condition: Record<string, Json> = {};
  for (const c of clauses) {
    const qualifier = c.qualifier === undefined ? '' : `${c.qualifier}:`;
    const operator = `${qualifier}${c.base}${c.ifExists ? 'IfExists' : ''}`;
    condition[operator] = { ...(condition[operator] ?? {}), [c.key]: c.values };
  }
  return condition;
};

const withClauses = (statement: Json, clauses: readonly Clause[]): Json => {
  const { Condition: _dropped, ...rest } = statement;
  return clauses.length === 0
    ? rest
    : { ...rest, Condition: toCondition(clauses) };
};

/** `[type, value]` pairs of a principal element (`"*"` is `["*", "*"]`). */
const principalRefs = (element: unknown): [string, string][] =>
  typeof element === 'string'
    ? [['*', element]]
    : Object.entries(element as Json).flatMap(([type, values]) =>
        asStrings(values).map((v): [string, string] => [type, v])
      );

/**
 * A wildcard under any type (other than the plain `{"AWS":"*"}`, which is
 * everyone anyway) or a type IAM does not know pins nobody.
 */
const isUnpinnable = ([type, value]: [string, string]): boolean =>
  type !== '*' &&
  !(type === 'AWS' && value === '*') &&
  (!KNOWN_PRINCIPAL_TYPES.has(type) || /[*?]/.test(value));

const provesNoAccount = ([type]: [string, string]): boolean =>
  type === 'Federated' || type === 'CanonicalUser';

/**
 * Reference, "When an Allow is limited" (trusted values): whether one
 * condition value names only trusted principals (the endpoint's account, a
 * listed account, a listed org).
 * `aws:userid` values prove no account.
 */
const isTrustedValue = (
  key: string,
  value: string,
  trusted: TrustedSet
): boolean => {
  const accounts = [ENDPOINT_ACCOUNT, ...trusted.accountIds];
  const orgs = trusted.orgIds.map((o) => o.toLowerCase());
  switch (key) {
    case 'aws:principalaccount':
      return accounts.includes(value);
    case 'aws:principalorgid':
    case 'aws:principalorgpaths':
      return orgs.includes((value.split('/')[0] ?? '').toLowerCase());
    case 'aws:principalarn':
      return accounts.includes(value.split(':')[4] ?? '');
    default:
      return false;
  }
};

/** Operators that compare literally: a `*` in their values is a `*`. */
const LITERAL = new Set([
  'StringEquals',
  'StringEqualsIgnoreCase',
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
]);

/**
 * Reference, "When an Allow is limited": a value pins the identifying part
 * literally (the org id of org ids and paths, the account of account ids
 * and ARNs, the unique id before `:` of `aws:userid`); wildcards may follow
 * it, and a literal operator's `*` is a literal. A policy variable pins
 * nothing.
 */
const pins = (clause: Clause, value: string): boolean => {
  if (value.includes('${')) return false;
  if (LITERAL.has(clause.base)) return true;
  let part = value;
  if (clause.key.endsWith('orgpaths')) part = value.split('/')[0] ?? '';
  if (clause.key === 'aws:userid') part = value.split(':')[0] ?? '';
  if (clause.key === 'aws:principalarn') {
    const fields = value.split(':');
    part = fields.length >= 6 ? (fields[4] ?? '') : '';
  }
  return part !== '' && !/[*?]/.test(part);
};

/** A principal key whose values all pin (with a trusted set: trusted ones). */
const limitsWho = (clause: Clause, trusted: TrustedSet | undefined) =>
  PRINCIPAL_KEYS.has(clause.key) &&
  clause.values.every(
    (v) =>
      pins(clause, v) &&
      (trusted === undefined || isTrustedValue(clause.key, v, trusted))
  );

/** A principal key as above, or a pinned resource key without a trusted set. */
const limitsWhoOrWhat = (clause: Clause, trusted: TrustedSet | undefined) =>
  limitsWho(clause, trusted) ||
  (trusted === undefined &&
    RESOURCE_KEYS.has(clause.key) &&
    clause.values.every((v) => pins(clause, v)));

/**
 * Whether a clause can restrict an Allow by the reference. A clause without
 * a set operator on a multivalued key (`aws:…OrgPaths`) is read as
 * restricting nothing too: the rule reads it like a single-valued one, AWS
 * requires a set operator, and the simulator evaluates it as false whenever
 * the key is present; in an Allow that only makes the rule conservative.
 */
const restrictsInAllow = (
  clause: Clause,
  trusted: TrustedSet | undefined
): boolean => {
  if (clause.base === 'Bool') {
    return (
      clause.key === 'aws:principalisawsservice' &&
      !clause.ifExists &&
      clause.qualifier === undefined &&
      clause.values.every((v) => v.toLowerCase() === 'true')
    );
  }
  if (!POSITIVE.has(clause.base) || clause.ifExists) return false;
  if (clause.qualifier === 'ForAllValues') return false;
  if (MULTIVALUED_KEYS.has(clause.key) && clause.qualifier === undefined) {
    return false;
  }
  return limitsWhoOrWhat(clause, trusted);
};

/** Whether a Deny clause is of the data-perimeter form the rule relies on. */
const countsInDeny = (
  clause: Clause,
  trusted: TrustedSet | undefined
): boolean => {
  if (EXEMPTION_KEYS.has(clause.key)) {
    return (
      clause.base === 'Bool' &&
      clause.qualifier === undefined &&
      clause.values.every((v) => v.toLowerCase() === 'false')
    );
  }
  if (!NEGATED.has(clause.base) || clause.qualifier === 'ForAnyValue') {
    return false;
  }
  return limitsWhoOrWhat(clause, trusted);
};

/** The rule's reading of an Allow: only what the reference says limits it. */
const readAllow = (statement: Json, { trusted, relaxations }: Reading) => {
  let read = statement;
  if (relaxations.has('idle-conditions')) {
    const kept = clausesOf(read).filter((c) => restrictsInAllow(c, trusted));
    read = withClauses(read, kept);
  }
  const refs = 'Principal' in read ? principalRefs(read.Principal) : [];
  if (
    relaxations.has('unpinnable-principals') &&
    (refs.some(isUnpinnable) ||
      (trusted !== undefined && refs.some(provesNoAccount)))
  ) {
    read = { ...read, Principal: '*' };
  }
  if (
    relaxations.has('resources') &&
    ('NotResource' in read || trusted !== undefined)
  ) {
    const { NotResource: _n, Resource: _r, ...rest } = read;
    read = { ...rest, Resource: '*' };
  }
  if (
    relaxations.has('unpaired') &&
    'Resource' in read &&
    !asStrings(read.Resource).every(isSpecificResource)
  ) {
    const { NotAction: _n, Action: _a, ...rest } = read;
    read = { ...rest, Action: '*', Resource: '*' };
  }
  return read;
};

/**
 * Reference ("specific" resources): a Resource value is specific when it
 * names something: an ARN with a literal account field, or, for ARNs
 * without one (S3), whose resource part does not start with nothing but
 * wildcards.
 */
const isSpecificResource = (pattern: string): boolean => {
  if (!/[*?]/.test(pattern)) return true;
  const fields = pattern.split(':');
  if (fields[0] !== 'arn' || fields.length < 6) return false;
  const account = fields[4] ?? '';
  if (account !== '') return !/[*?]/.test(account);
  const leading = fields.slice(5).join(':').split(/[/:]/)[0] ?? '';
  return /[^*?]/.test(leading);
};

/** Whether the rule can rely on a Deny at all. */
const denyCounts = (
  statement: Json,
  trusted: TrustedSet | undefined
): boolean => {
  // Reference, "When a Deny counts": a Deny counts when it applies to
  // everyone (`Principal` `*`) or to everyone but the principals its
  // NotPrincipal spares.
  if ('Principal' in statement) {
    const refs = principalRefs(statement.Principal);
    const everyone = refs.some(
      ([type, value]) => value === '*' && (type === '*' || type === 'AWS')
    );
    if (!everyone) return false;
  }
  if ('NotPrincipal' in statement) {
    const spared = principalRefs(statement.NotPrincipal);
    if (spared.some(isUnpinnable)) return false;
    if (trusted !== undefined && spared.some(provesNoAccount)) return false;
  }
  if (trusted !== undefined && 'NotResource' in statement) return false;
  return clausesOf(statement).every((c) => countsInDeny(c, trusted));
};

/**
 * The policy as the rule documents reading it: Allows lose what the
 * reference says restricts nothing, and Denies the rule cannot rely on are
 * dropped, as far as `reading.relaxations` go.
 *
 * @param policy - a generated policy document
 */
const documentedReading = (
  policy: GeneratedPolicy,
  reading: Reading
): GeneratedPolicy => ({
  ...policy,
  Statement: statementsOf(policy).flatMap((s) => {
    if (s.Effect === 'Allow') return [readAllow(s, reading)];
    const keep =
      !reading.relaxations.has('unrelied-denies') ||
      denyCounts(s, reading.trusted);
    return keep ? [s] : [];
  }),
});

/**
 * Reference, "When a Deny counts": an Allow is wholly denied when one Deny
 * covers each of its actions and each of its resources; "Each Deny is asked
 * alone" (per action and resource of the Allow), never their union, so two
 * `NotAction` Denies with different exceptions, which together deny
 * everything, do not count. Read so, the policy is the Allows with one Deny at a time: one
 * policy per Deny (none when there are no Denies).
 *
 * @param policy - a policy already under the documented reading
 */
const oneDenyAtATime = (policy: GeneratedPolicy): GeneratedPolicy[] => {
  const statements = statementsOf(policy);
  const allows = statements.filter((s) => s.Effect === 'Allow');
  return statements
    .filter((s) => s.Effect !== 'Allow')
    .map((deny) => ({ ...policy, Statement: [...allows, deny] }));
};

export type { Reading, Relaxation };
export { documentedReading, FIRST_READING, FULL_READING, oneDenyAtATime };
