/**
 * Decides whether a VPC endpoint policy draws a data perimeter.
 *
 * The question is asked about *outside requests*:
 * - without a trusted set, a request by a principal the policy does not name
 *   (outside), to a resource the policy does not name (outside);
 * - with a trusted set (`trustedOrgIds`/`trustedAccountIds`), a request by
 *   any principal outside the trusted set, to any resource: resource limits
 *   do not substitute for limits on who may use the endpoint.
 *
 * The policy is restrictive iff no Allow statement can match an outside
 * request that some Deny does not deny in every case. An Allow cannot match
 * one when it names its principals, names its resources, or carries a
 * condition that pins the principal's or resource's org/account. A Deny
 * denies every outside request when it applies to everyone and its only
 * conditions are negated operators on pinned principal or resource keys
 * (the AWS data-perimeter pattern) and the perimeter exemptions
 * `aws:PrincipalIsAWSService`/`aws:ViaAWSService` = false.
 */
import {
  type ConditionClause,
  globSubsumes,
  hasWildcard,
  type Matcher,
  PolicyShapeError,
  type PrincipalRef,
  type PrincipalSpec,
  readPolicy,
  type Statement,
} from './policy-document.js';

/** Orgs and accounts whose principals may use the endpoint. */
interface TrustedSet {
  readonly orgIds: readonly string[];
  readonly accountIds: readonly string[];
}

/** What the analysis needs to know besides the policy. */
interface PolicyContext {
  /** The endpoint's own account is always trusted. */
  readonly endpointAccountId: string;
  /** Empty or absent lists mean "no trusted set": any named principal limits. */
  readonly trusted?: TrustedSet;
}

/** The analysis result; `reason` is written for an annotation. */
interface PolicyVerdict {
  readonly restrictive: boolean;
  readonly reason: string;
}

// The policy AWS attaches when none is given (and what moto attaches).
const DEFAULT_POLICY = {
  Version: '2008-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
};

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
// Keys whose request value is a set: AWS requires ForAnyValue:/ForAllValues:
// on them, and an operator without one matches no request that carries the
// key (iam-simulate evaluates it so too).
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
// These compare literally: a `*` in their values is a literal character.
const LITERAL = new Set([
  'StringEquals',
  'StringEqualsIgnoreCase',
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
]);
const PERIMETER_EXEMPTIONS = new Set([
  'aws:principalisawsservice',
  'aws:viaawsservice',
]);

/** The analysis context with the trusted set resolved. */
interface Scope {
  /** `undefined`: no trusted set, outside means "not named by the policy". */
  readonly trustedAccounts: ReadonlySet<string> | undefined;
  readonly trustedOrgs: ReadonlySet<string>;
}

const toScope = (context: PolicyContext): Scope => {
  const orgIds = context.trusted?.orgIds ?? [];
  const accountIds = context.trusted?.accountIds ?? [];
  if (orgIds.length === 0 && accountIds.length === 0) {
    return { trustedAccounts: undefined, trustedOrgs: new Set() };
  }
  return {
    trustedAccounts: new Set([context.endpointAccountId, ...accountIds]),
    trustedOrgs: new Set(orgIds.map((id) => id.toLowerCase())),
  };
};

const arnAccount = (arn: string): string | undefined => arn.split(':')[4];

/**
 * The part of a condition value that must be literal for the value to pin
 * a principal or resource: the org id of org ids and org paths, the account
 * of account ids and ARNs, the unique id before `:` of `aws:userid`.
 * Wildcards may appear only after it.
 */
const identifyingPart = (key: string, value: string): string | undefined => {
  if (key.endsWith('orgpaths')) return value.split('/')[0];
  if (key === 'aws:userid') return value.split(':')[0];
  if (key === 'aws:principalarn') {
    const fields = value.split(':');
    return fields.length >= 6 && fields[4] !== ''
      ? fields.slice(0, 5).join(':')
      : undefined;
  }
  return value;
};

const pinsValue = (clause: ConditionClause, value: string): boolean => {
  // A policy variable is substituted per request (`${aws:PrincipalAccount}`).
  if (value.includes('${')) return false;
  if (LITERAL.has(clause.baseOperator)) return true;
  const part = identifyingPart(clause.key, value);
  return part !== undefined && part !== '' && !hasWildcard(part);
};

const isTrustedValue = (key: string, value: string, scope: Scope): boolean => {
  const accounts = scope.trustedAccounts ?? new Set<string>();
  const orgOf = (v: string) => (v.split('/')[0] ?? '').toLowerCase();
  switch (key) {
    case 'aws:principalaccount':
      return accounts.has(value);
    case 'aws:principalorgid':
    case 'aws:principalorgpaths':
      return scope.trustedOrgs.has(orgOf(value));
    case 'aws:principalarn':
      return accounts.has(arnAccount(value) ?? '');
    default:
      // aws:userid values prove no account.
      return false;
  }
};

/** True when every value of the clause pins a principal (in the trusted set, if any). */
const pinsPrincipal = (clause: ConditionClause, scope: Scope): boolean =>
  PRINCIPAL_KEYS.has(clause.key) &&
  clause.values.length > 0 &&
  clause.values.every(
    (v) =>
      pinsValue(clause, v) &&
      (scope.trustedAccounts === undefined ||
        isTrustedValue(clause.key, v, scope))
  );

/** Resource pins only limit outside requests when there is no trusted set. */
const pinsResource = (clause: ConditionClause, scope: Scope): boolean =>
  scope.trustedAccounts === undefined &&
  RESOURCE_KEYS.has(clause.key) &&
  clause.values.length > 0 &&
  clause.values.every((v) => pinsValue(clause, v));

const isBoolOn = (
  clause: ConditionClause,
  key: string,
  value: 'true' | 'false'
): boolean =>
  clause.key === key &&
  clause.baseOperator === 'Bool' &&
  clause.qualifier === undefined &&
  clause.values.length > 0 &&
  clause.values.every((v) => v.toLowerCase() === value);

/**
 * Why an Allow carrying this clause cannot match an outside request, or
 * `undefined` when the clause restricts nothing. Negated operators,
 * `ForAllValues:` and `…IfExists` forms, and keys every request through the
 * endpoint carries (`aws:SourceVpc`, `aws:SourceVpce`) restrict nothing.
 */
const clauseLimit = (
  clause: ConditionClause,
  scope: Scope
): string | undefined => {
  // BoolIfExists is true for a request without the key (an anonymous one),
  // so only the plain Bool form limits the Allow to AWS service principals.
  if (
    !clause.ifExists &&
    isBoolOn(clause, 'aws:principalisawsservice', 'true')
  ) {
    return 'AWS service principals only';
  }
  if (!POSITIVE.has(clause.baseOperator) || clause.ifExists) return undefined;
  if (clause.qualifier === 'ForAllValues') return undefined;
  if (pinsPrincipal(clause, scope))
    return `limits principals by ${clause.keyName}`;
  if (pinsResource(clause, scope))
    return `limits resources by ${clause.keyName}`;
  return undefined;
};

/** Why a clause that does not limit an Allow fails to, for annotations. */
const idleReason = (clause: ConditionClause, scope: Scope): string => {
  const trusted = scope.trustedAccounts !== undefined;
  if (
    trusted &&
    PRINCIPAL_KEYS.has(clause.key) &&
    POSITIVE.has(clause.baseOperator)
  ) {
    const outside = clause.values.filter(
      (v) => !isTrustedValue(clause.key, v, scope)
    );
    if (outside.length > 0)
      return `${clause.keyName} ${outside.join(',')} not trusted`;
  }
  if (trusted && RESOURCE_KEYS.has(clause.key)) {
    return `${clause.keyName} limits resources, not principals`;
  }
  return `${clause.keyName} restricts nothing`;
};

/**
 * True for a clause on a multivalued key (`aws:PrincipalOrgPaths`,
 * `aws:ResourceOrgPaths`) without a set operator: it is false for every
 * request that carries the key, so a Deny using it spares every principal
 * (or resource) in an organization.
 */
const needsSetOperator = (clause: ConditionClause): boolean =>
  MULTIVALUED_KEYS.has(clause.key) && clause.qualifier === undefined;

/** True when the Deny clause is true for every outside request. */
const holdsForEveryOutsideRequest = (
  clause: ConditionClause,
  scope: Scope
): boolean => {
  if (PERIMETER_EXEMPTIONS.has(clause.key))
    return isBoolOn(clause, clause.key, 'false');
  // Negated operators are true when the key is absent (a principal outside
  // any organization has no aws:PrincipalOrgID), so they deny those too;
  // ForAnyValue: forms are false then, which opens a hole.
  // ForAllValues: forms are true then too, and for every outsider's values.
  if (!NEGATED.has(clause.baseOperator) || clause.qualifier === 'ForAnyValue') {
    return false;
  }
  if (needsSetOperator(clause)) return false;
  return pinsPrincipal(clause, scope) || pinsResource(clause, scope);
};

const accountOfPrincipal = (ref: PrincipalRef): string | undefined => {
  if (/^\d{12}$/.test(ref.value)) return ref.value;
  return ref.value.startsWith('arn:') ? arnAccount(ref.value) : undefined;
};

/** Service principals are trusted; Federated and CanonicalUser prove no account. */
const isTrustedPrincipal = (ref: PrincipalRef, scope: Scope): boolean => {
  if (ref.type === 'Service') return true;
  if (ref.unpinned) return false;
  if (ref.type !== 'AWS') return false;
  return scope.trustedAccounts?.has(accountOfPrincipal(ref) ?? '') === true;
};

const describePrincipal = (ref: PrincipalRef): string =>
  ref.type === 'AWS' ? ref.value : `${ref.type} ${ref.value}`;

/**
 * How the Allow's principal element admits outside principals, or
 * `undefined` when it does not.
 */
const principalExposure = (
  spec: PrincipalSpec,
  scope: Scope
): string | undefined => {
  if (spec.kind === 'any') return 'Principal *';
  if (spec.kind === 'except') return 'NotPrincipal';
  const unpinned = spec.principals.find((p) => p.unpinned);
  if (unpinned) return `principal ${describePrincipal(unpinned)}`;
  if (scope.trustedAccounts === undefined) return undefined;
  const untrusted = spec.principals.find((p) => !isTrustedPrincipal(p, scope));
  return untrusted === undefined
    ? undefined
    : `principal ${describePrincipal(untrusted)}`;
};

/** True when the Deny's principal element covers every outside principal. */
const appliesToEveryOutsider = (spec: PrincipalSpec, scope: Scope): boolean => {
  if (spec.kind === 'any') return true;
  if (spec.kind === 'only') return false;
  // NotPrincipal lists the ones spared. Outsiders are not AWS services, so
  // sparing services (even `{"Service":"*"}`) spares no outsider; any other
  // spared principal must be pinned, and trusted when there is a trusted set.
  return spec.principals.every(
    (p) =>
      p.type === 'Service' ||
      (!p.unpinned &&
        (scope.trustedAccounts === undefined || isTrustedPrincipal(p, scope)))
  );
};

/**
 * A Resource value is specific when it names something. An ARN with an
 * account field names resources of that account when the field is literal,
 * whatever its resource part (`arn:aws:sqs:us-east-1:111122223333:*` pins
 * the account as `aws:ResourceAccount` would); an ARN without one (S3) names
 * something when its resource part does not start with nothing but
 * wildcards. `*`, `arn:aws:s3:::*`, `arn:aws:s3:::*\/*` and
 * `arn:aws:sqs:us-east-1:*:q` are not specific; `arn:aws:s3:::logs-*` is.
 */
const isSpecificResource = (pattern: string): boolean => {
  if (!hasWildcard(pattern)) return true;
  if (!pattern.startsWith('arn:')) return false;
  const fields = pattern.split(':');
  if (fields.length < 6) return false;
  const account = fields[4] ?? '';
  if (account !== '') return !hasWildcard(account);
  const leading = fields.slice(5).join(':').split(/[/:]/)[0] ?? '';
  return /[^*?]/.test(leading);
};

/** How the Allow's resources reach outside resources, or `undefined`. */
const resourceExposure = (
  resources: Matcher,
  scope: Scope
): string | undefined => {
  if (resources.negated) {
    return resources.patterns.includes('*') ? undefined : 'NotResource';
  }
  if (scope.trustedAccounts !== undefined) {
    return resources.patterns.length > 0 ? 'any resource' : undefined;
  }
  const open = resources.patterns.find((p) => !isSpecificResource(p));
  return open === undefined ? undefined : `Resource ${open}`;
};

const allowsSomeAction = (actions: Matcher): boolean =>
  actions.negated
    ? !actions.patterns.includes('*')
    : actions.patterns.length > 0;

/** Whether two patterns might match a common string (conservative: yes). */
const mayOverlap = (
  a: string,
  b: string,
  caseInsensitive: boolean
): boolean => {
  if (!hasWildcard(a)) return globSubsumes(b, a, caseInsensitive);
  if (!hasWildcard(b)) return globSubsumes(a, b, caseInsensitive);
  const prefix = (p: string) => p.split(':')[0] ?? '';
  const [pa, pb] = [prefix(a), prefix(b)];
  return (
    hasWildcard(pa) || hasWildcard(pb) || pa.toLowerCase() === pb.toLowerCase()
  );
};

/** One item of what an Allow grants: a pattern, or "all except these". */
type Grant =
  | { readonly kind: 'pattern'; readonly pattern: string }
  | { readonly kind: 'all-except'; readonly patterns: readonly string[] };

const grantsOf = (matcher: Matcher): Grant[] =>
  matcher.negated
    ? [{ kind: 'all-except', patterns: matcher.patterns }]
    : matcher.patterns.map((pattern) => ({ kind: 'pattern', pattern }));

/** True when the Deny's matcher covers everything the grant covers. */
const covers = (
  deny: Matcher,
  grant: Grant,
  caseInsensitive: boolean
): boolean => {
  if (grant.kind === 'pattern') {
    return deny.negated
      ? !deny.patterns.some((p) =>
          mayOverlap(p, grant.pattern, caseInsensitive)
        )
      : deny.patterns.some((p) =>
          globSubsumes(p, grant.pattern, caseInsensitive)
        );
  }
  if (!deny.negated)
    return deny.patterns.some((p) => globSubsumes(p, '*', caseInsensitive));
  // Deny NotAction X covers Allow NotAction Y when everything X spares, Y
  // already excludes.
  return deny.patterns.every((p) =>
    grant.patterns.some((q) => globSubsumes(q, p, caseInsensitive))
  );
};

/**
 * A NotResource Deny whose spared resources are all specific denies every
 * outside resource: a resource perimeter, when there is no trusted set.
 */
const isResourcePerimeter = (resources: Matcher, scope: Scope): boolean =>
  scope.trustedAccounts === undefined &&
  resources.negated &&
  resources.patterns.length > 0 &&
  resources.patterns.every(isSpecificResource);

/** Denies that deny every outside request within their actions and resources. */
const perimeterDenies = (
  statements: readonly Statement[],
  scope: Scope
): Statement[] =>
  statements.filter(
    (s) =>
      s.effect === 'Deny' &&
      appliesToEveryOutsider(s.principal, scope) &&
      s.conditions.every((c) => holdsForEveryOutsideRequest(c, scope))
  );

/**
 * Labels of the Denies that together deny every outside request the Allow
 * grants, or `undefined` when some of it gets through.
 */
const denyingStatements = (
  allow: Statement,
  denies: readonly Statement[],
  scope: Scope
): string[] | undefined => {
  const used = new Set<string>();
  for (const action of grantsOf(allow.actions)) {
    for (const resource of grantsOf(allow.resources)) {
      const deny = denies.find(
        (d) =>
          covers(d.actions, action, true) &&
          (isResourcePerimeter(d.resources, scope) ||
            covers(d.resources, resource, false))
      );
      if (!deny) return undefined;
      used.add(deny.label);
    }
  }
  return [...used];
};

type Assessment =
  | { readonly open: false; readonly limit: string }
  | { readonly open: true; readonly exposure: readonly string[] };

/** Whether an Allow can match an outside request, and why (not). */
const assessAllow = (allow: Statement, scope: Scope): Assessment => {
  if (!allowsSomeAction(allow.actions))
    return { open: false, limit: 'allows no action' };
  const principal = principalExposure(allow.principal, scope);
  if (principal === undefined)
    return { open: false, limit: 'names its principals' };
  const resource = resourceExposure(allow.resources, scope);
  if (resource === undefined)
    return { open: false, limit: 'names its resources' };
  for (const clause of allow.conditions) {
    const limit = clauseLimit(clause, scope);
    if (limit) return { open: false, limit };
  }
  const idle = allow.conditions.map((c) => idleReason(c, scope));
  return { open: true, exposure: [principal, resource, ...idle] };
};

const isFullAccess = (allow: Statement): boolean =>
  allow.principal.kind === 'any' &&
  allow.conditions.length === 0 &&
  !allow.actions.negated &&
  allow.actions.patterns.some((p) => globSubsumes(p, '*', true)) &&
  !allow.resources.negated &&
  allow.resources.patterns.includes('*');

const describeExposure = (
  allow: Statement,
  exposure: readonly string[],
  scope: Scope,
  isDefault: boolean
): string => {
  if (isDefault)
    return 'default full-access policy (no PolicyDocument): anyone, any action, any resource';
  if (isFullAccess(allow)) {
    return `${allow.label} grants full access: Allow Principal * Action * Resource *`;
  }
  const what = exposure.join(', ');
  return scope.trustedAccounts === undefined
    ? `${allow.label} lets any principal reach any resource (${what})`
    : `${allow.label} admits principals outside the trusted set (${what})`;
};

/**
 * Analyses an endpoint policy.
 *
 * @param document - the parsed `PolicyDocument`; `undefined` is the default
 *   full-access policy
 * @param context - the endpoint's account and the trusted set
 * @example
 * analyzeEndpointPolicy(
 *   { Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*',
 *     Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } } }] },
 *   { endpointAccountId: '111122223333' }
 * ).restrictive // true
 */
const analyzeEndpointPolicy = (
  document: unknown,
  context: PolicyContext
): PolicyVerdict => {
  const isDefault = document === undefined;
  let statements: Statement[];
  try {
    statements = readPolicy(isDefault ? DEFAULT_POLICY : document);
  } catch (error) {
    if (error instanceof PolicyShapeError) {
      return {
        restrictive: false,
        reason: `unreadable policy: ${error.message}`,
      };
    }
    throw error;
  }
  const scope = toScope(context);
  const denies = perimeterDenies(statements, scope);
  const limits: string[] = [];
  for (const allow of statements.filter((s) => s.effect === 'Allow')) {
    const assessment = assessAllow(allow, scope);
    if (!assessment.open) {
      limits.push(`${allow.label} ${assessment.limit}`);
      continue;
    }
    const deniedBy = denyingStatements(allow, denies, scope);
    if (deniedBy) {
      limits.push(
        `${allow.label} denied to outsiders by ${deniedBy.join(', ')}`
      );
      continue;
    }
    return {
      restrictive: false,
      reason: describeExposure(allow, assessment.exposure, scope, isDefault),
    };
  }
  return {
    restrictive: true,
    reason:
      limits.length > 0
        ? `restrictive: ${limits.join('; ')}`
        : 'restrictive: no Allow statement',
  };
};

export type { PolicyContext, PolicyVerdict, TrustedSet };
export { analyzeEndpointPolicy, isSpecificResource };
