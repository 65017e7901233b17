/**
 * Reads an IAM policy document into a normal form, so that the analysis
 * decides by meaning and not by spelling: `"*"` and `["*"]`, `{"AWS":"*"}`
 * and `"*"`, single values and lists, one statement or several all read the
 * same. Version and Sid do not change the meaning.
 */

import { InputError } from './errors.js';

/** Thrown for a document that is not an IAM policy; the rule fails closed. */
class PolicyShapeError extends InputError {
  public constructor(message: string) {
    super(message);
    this.name = 'PolicyShapeError';
  }
}

/** One principal from a `Principal`/`NotPrincipal` element. */
interface PrincipalRef {
  /** `AWS`, `Service`, `Federated`, `CanonicalUser` (or anything written). */
  readonly type: string;
  readonly value: string;
  /**
   * A wildcard in the value, or a type IAM does not know: the reference
   * cannot be pinned to anyone. An Allow naming it admits outsiders; a Deny
   * naming it is not relied on.
   */
  readonly unpinned: boolean;
}

const PRINCIPAL_TYPES = new Set([
  'AWS',
  'Service',
  'Federated',
  'CanonicalUser',
]);

/**
 * Who a statement applies to: everyone (`*`, `{"AWS":"*"}`, no element),
 * only the listed principals, or everyone except them (`NotPrincipal`).
 */
type PrincipalSpec =
  | { readonly kind: 'any' }
  | { readonly kind: 'only'; readonly principals: readonly PrincipalRef[] }
  | { readonly kind: 'except'; readonly principals: readonly PrincipalRef[] };

/** `Action`/`NotAction` or `Resource`/`NotResource`: patterns, maybe negated. */
interface Matcher {
  readonly negated: boolean;
  readonly patterns: readonly string[];
}

/** One key of one condition operator. */
interface ConditionClause {
  /** As written: `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** Without qualifier and `IfExists`: `StringLike`. */
  readonly baseOperator: string;
  readonly qualifier: 'ForAnyValue' | 'ForAllValues' | undefined;
  readonly ifExists: boolean;
  /** Lower-cased: condition keys compare case-insensitively. */
  readonly key: string;
  /** The key as written, for annotations. */
  readonly keyName: string;
  readonly values: readonly string[];
}

/** A statement in normal form. */
interface Statement {
  /** `Sid` when present, else `#<index>`; names it in annotations. */
  readonly label: string;
  readonly effect: 'Allow' | 'Deny';
  readonly principal: PrincipalSpec;
  readonly actions: Matcher;
  readonly resources: Matcher;
  readonly conditions: readonly ConditionClause[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asList = (value: unknown, element: string): string[] => {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || typeof item === 'boolean')
      return String(item);
    throw new PolicyShapeError(
      `${element} holds a ${typeof item}, expected strings`
    );
  });
};

const readPrincipalRefs = (
  element: unknown,
  name: string
): PrincipalRef[] | 'any' => {
  if (element === '*') return 'any';
  if (!isRecord(element)) {
    throw new PolicyShapeError(`${name} must be "*" or an object`);
  }
  const refs = Object.entries(element).flatMap(([type, value]) =>
    asList(value, `${name}.${type}`).map((v) => ({
      type,
      value: v,
      unpinned: !PRINCIPAL_TYPES.has(type) || /[*?]/.test(v),
    }))
  );
  // `{"AWS":"*"}` means everyone, also inside a list with other principals.
  return refs.some((r) => r.type === 'AWS' && r.value === '*') ? 'any' : refs;
};

const readPrincipal = (statement: Record<string, unknown>): PrincipalSpec => {
  if ('NotPrincipal' in statement) {
    const refs = readPrincipalRefs(statement.NotPrincipal, 'NotPrincipal');
    // NotPrincipal "*" excludes everyone: the statement applies to nobody.
    return refs === 'any'
      ? { kind: 'only', principals: [] }
      : { kind: 'except', principals: refs };
  }
  if (!('Principal' in statement)) return { kind: 'any' };
  const refs = readPrincipalRefs(statement.Principal, 'Principal');
  return refs === 'any' ? { kind: 'any' } : { kind: 'only', principals: refs };
};

const readMatcher = (
  statement: Record<string, unknown>,
  positive: string,
  negative: string
): Matcher | undefined => {
  if (positive in statement) {
    return { negated: false, patterns: asList(statement[positive], positive) };
  }
  if (negative in statement) {
    return { negated: true, patterns: asList(statement[negative], negative) };
  }
  return undefined;
};

const splitOperator = (
  operator: string
): Pick<ConditionClause, 'baseOperator' | 'qualifier' | 'ifExists'> => {
  const [first, second] = operator.split(':');
  const qualified = second !== undefined;
  const qualifier =
    qualified && (first === 'ForAnyValue' || first === 'ForAllValues')
      ? first
      : undefined;
  const rest = (qualified ? second : first) ?? '';
  const ifExists = rest.endsWith('IfExists');
  return {
    qualifier,
    ifExists,
    baseOperator: ifExists ? rest.slice(0, -'IfExists'.length) : rest,
  };
};

const readConditions = (element: unknown): ConditionClause[] => {
  if (element === undefined) return [];
  if (!isRecord(element))
    throw new PolicyShapeError('Condition must be an object');
  return Object.entries(element).flatMap(([operator, keys]) => {
    if (!isRecord(keys)) {
      throw new PolicyShapeError(`Condition.${operator} must be an object`);
    }
    return Object.entries(keys).map(([key, values]) => ({
      operator,
      ...splitOperator(operator),
      key: key.toLowerCase(),
      keyName: key,
      values: asList(values, `Condition.${operator}.${key}`),
    }));
  });
};

const readStatement = (raw: unknown, index: number): Statement => {
  if (!isRecord(raw))
    throw new PolicyShapeError(`statement #${index} is not an object`);
  const label =
    typeof raw.Sid === 'string' && raw.Sid !== '' ? raw.Sid : `#${index}`;
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') {
    throw new PolicyShapeError(`${label}: Effect must be Allow or Deny`);
  }
  const actions = readMatcher(raw, 'Action', 'NotAction');
  if (!actions) throw new PolicyShapeError(`${label}: no Action or NotAction`);
  // A statement without Resource is invalid in IAM. Reading it as "*" for an
  // Allow and as "nothing" for a Deny fails closed both ways.
  const resources = readMatcher(raw, 'Resource', 'NotResource') ?? {
    negated: false,
    patterns: raw.Effect === 'Allow' ? ['*'] : [],
  };
  return {
    label,
    effect: raw.Effect,
    principal: readPrincipal(raw),
    actions,
    resources,
    conditions: readConditions(raw.Condition),
  };
};

/**
 * Reads a parsed policy document into statements in normal form.
 *
 * @throws PolicyShapeError when the document is not an IAM policy
 */
const readPolicy = (document: unknown): Statement[] => {
  if (!isRecord(document))
    throw new PolicyShapeError('the policy is not a JSON object');
  const { Statement: statements } = document;
  if (statements === undefined)
    throw new PolicyShapeError('the policy has no Statement');
  const list = Array.isArray(statements) ? statements : [statements];
  return list.map(readStatement);
};

/** Whether an IAM string condition value holds a `*` or `?` wildcard. */
const hasWildcard = (text: string): boolean => /[*?]/.test(text);

/**
 * True when glob `general` matches every string glob `specific` matches
 * (`s3:*` subsumes `s3:Get*`; `s3:Get*` does not subsume `s3:*`). `?` in
 * `general` never absorbs a `*` of `specific`, which keeps the answer sound.
 *
 * @param caseInsensitive - actions compare case-insensitively, ARNs do not
 */
const globSubsumes = (
  general: string,
  specific: string,
  caseInsensitive: boolean
): boolean => {
  const g = caseInsensitive ? general.toLowerCase() : general;
  const s = caseInsensitive ? specific.toLowerCase() : specific;
  // reachable[j]: g[0..i) can match s[0..j)
  let reachable = new Array<boolean>(s.length + 1).fill(false);
  reachable[0] = true;
  for (const ch of g) {
    const next = new Array<boolean>(s.length + 1).fill(false);
    for (let j = 0; j <= s.length; j += 1) {
      if (ch === '*') {
        next[j] = reachable[j] === true || (j > 0 && next[j - 1] === true);
      } else if (j > 0 && reachable[j - 1]) {
        const sc = s[j - 1];
        next[j] = ch === '?' ? sc !== '*' : ch === sc;
      }
    }
    reachable = next;
  }
  return reachable[s.length] === true;
};

export type {
  ConditionClause,
  Matcher,
  PrincipalRef,
  PrincipalSpec,
  Statement,
};
export { globSubsumes, hasWildcard, PolicyShapeError, readPolicy };
