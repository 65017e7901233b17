/**
 * fast-check arbitraries for VPC endpoint policies, for the policy-analysis
 * fuzz tests (test/unit/fuzz/).
 *
 * Every value comes from a small vocabulary so that the generated statements
 * interact: the same accounts, orgs, buckets and queues turn up in
 * principals, resources and conditions, and Denies have a fair chance of
 * covering Allows. The vocabulary holds pinned values (an account, an org),
 * values that pin nothing (`o-*`, `arn:aws:iam::*:role/app`, policy
 * variables) and one-offs the rule must fail closed on (`{"Service":"*"}`).
 *
 * The oracle (iam-oracle.ts) knows nothing of this vocabulary: it reads the
 * accounts, orgs and services a policy mentions from the policy itself.
 */
import fc from 'fast-check';
import type { TrustedSet } from '../../rules/model/endpoint-policy.js';

/** The endpoint's own account: always trusted. */
const ENDPOINT_ACCOUNT = '111122223333';
/** The account listed in `trustedAccountIds` by the trusted sets below. */
const PARTNER = '444455556666';
/** An account nobody trusts, named in some policies. */
const STRANGER = '999988887777';
/** The org listed in `trustedOrgIds` by the trusted sets below. */
const ORG = 'o-abcdefghij';
/** An org nobody trusts, named in some policies. */
const OTHER_ORG = 'o-klmnopqrst';
/** The unique id of a role, as `aws:userid` pins it. */
const ROLE_UNIQUE_ID = 'AROAEXAMPLEID';
/** The endpoint every request through the endpoint carries. */
const ENDPOINT_ID = 'vpce-1';
/** The VPC every request through the endpoint carries. */
const ENDPOINT_VPC = 'vpc-1';

// biome-ignore lint/suspicious/noTemplateCurlyInString: IAM policy variable
const RESOURCE_ACCOUNT_VARIABLE = '${aws:ResourceAccount}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: IAM policy variable
const PRINCIPAL_ACCOUNT_VARIABLE = '${aws:PrincipalAccount}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: IAM policy variable
const PRINCIPAL_ORG_VARIABLE = '${aws:PrincipalOrgID}';

type Json = Record<string, unknown>;

/** A generated policy document, as the rule and the simulator read it. */
interface GeneratedPolicy {
  readonly Version: string;
  readonly Statement: Json | Json[];
}

/** One fuzz case: a policy and the rule's trusted set (none: `undefined`). */
interface PolicyCase {
  readonly policy: GeneratedPolicy;
  readonly trusted: TrustedSet | undefined;
}

const AWS_PRINCIPALS = [
  ENDPOINT_ACCOUNT,
  PARTNER,
  `arn:aws:iam::${STRANGER}:root`,
  `arn:aws:iam::${PARTNER}:role/app`,
  `arn:aws:iam::${ENDPOINT_ACCOUNT}:role/app`,
  // Unpinnable: IAM supports no wildcard here; the rule fails closed.
  'arn:aws:iam::*:root',
];

/** The services a statement is written for, each with its own vocabulary. */
type Service = 's3' | 'sqs' | 'dynamodb';

// Each pattern matches at least one action of the oracle's request pool.
const ACTIONS: Readonly<Record<Service, readonly string[]>> = {
  s3: ['s3:*', 's3:Get*', 's3:GetObject', 'S3:getobject', 's3:PutObject'],
  sqs: ['sqs:*', 'sqs:SendMessage'],
  dynamodb: ['dynamodb:*', 'dynamodb:GetItem'],
};

const RESOURCES: Readonly<Record<Service, readonly string[]>> = {
  s3: [
    'arn:aws:s3:::*',
    'arn:aws:s3:::*/*',
    'arn:aws:s3:::my-bucket',
    'arn:aws:s3:::my-bucket/*',
    'arn:aws:s3:::logs-*',
  ],
  sqs: [
    `arn:aws:sqs:us-east-1:${ENDPOINT_ACCOUNT}:q`,
    `arn:aws:sqs:us-east-1:${ENDPOINT_ACCOUNT}:*`,
    'arn:aws:sqs:us-east-1:*:q',
    'arn:aws:sqs:*:*:*',
  ],
  dynamodb: [
    `arn:aws:dynamodb:us-east-1:${PARTNER}:table/t`,
    'arn:aws:dynamodb:us-east-1:*:table/*',
  ],
};

const ALL_ACTIONS = ['*', ...Object.values(ACTIONS).flat()];
const ALL_RESOURCES = ['*', ...Object.values(RESOURCES).flat()];

/**
 * The actions and resources one statement draws from: mostly those of one
 * service (and `*`), sometimes any mix (an Allow of `dynamodb:*` on a queue
 * grants nothing, and the rule must still read it).
 */
const vocabulary: fc.Arbitrary<{
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}> = fc.oneof(
  ...(['s3', 's3', 'sqs', 'dynamodb'] as const).map((service) =>
    fc.constant({
      actions: ['*', ...ACTIONS[service]],
      resources: ['*', ...RESOURCES[service]],
    })
  ),
  fc.constant({ actions: ALL_ACTIONS, resources: ALL_RESOURCES })
);

/** How a condition key is compared: decides the operators it is given. */
type KeyKind = 'string' | 'arn' | 'multi' | 'bool';

interface KeySpec {
  readonly key: string;
  readonly kind: KeyKind;
  /** Values that pin the principal or resource (empty: none do). */
  readonly pinned: readonly string[];
  /** Values that pin nothing: wildcards in the identifying part, variables. */
  readonly loose: readonly string[];
}

const PRINCIPAL_KEYS: readonly KeySpec[] = [
  {
    key: 'aws:PrincipalOrgID',
    kind: 'string',
    pinned: [ORG, OTHER_ORG],
    loose: ['o-*', '*'],
  },
  {
    key: 'aws:PrincipalOrgPaths',
    kind: 'multi',
    pinned: [`${ORG}/r-1/ou-2/*`, `${OTHER_ORG}/*`],
    loose: ['o-*/r-1/*'],
  },
  {
    key: 'aws:PrincipalAccount',
    kind: 'string',
    pinned: [ENDPOINT_ACCOUNT, PARTNER, STRANGER],
    loose: ['*', RESOURCE_ACCOUNT_VARIABLE],
  },
  {
    key: 'aws:PrincipalArn',
    kind: 'arn',
    pinned: [
      `arn:aws:iam::${PARTNER}:role/app*`,
      `arn:aws:iam::${ENDPOINT_ACCOUNT}:role/app`,
    ],
    loose: ['arn:aws:iam::*:role/app'],
  },
  {
    key: 'aws:userid',
    kind: 'string',
    pinned: [`${ROLE_UNIQUE_ID}:*`],
    loose: ['*:x'],
  },
];

const RESOURCE_KEYS: readonly KeySpec[] = [
  {
    key: 'aws:ResourceOrgID',
    kind: 'string',
    pinned: [ORG, OTHER_ORG],
    loose: ['o-*', PRINCIPAL_ORG_VARIABLE],
  },
  {
    key: 'aws:ResourceOrgPaths',
    kind: 'multi',
    pinned: [`${ORG}/r-1/*`],
    loose: ['o-*/r-1/*'],
  },
  {
    key: 'aws:ResourceAccount',
    kind: 'string',
    pinned: [ENDPOINT_ACCOUNT, PARTNER],
    loose: ['*', PRINCIPAL_ACCOUNT_VARIABLE],
  },
  {
    key: 's3:ResourceAccount',
    kind: 'string',
    pinned: [ENDPOINT_ACCOUNT],
    loose: ['*'],
  },
];

/** Keys that say nothing about who calls or what is reached. */
const OTHER_KEYS: readonly KeySpec[] = [
  {
    key: 'aws:PrincipalTag/team',
    kind: 'string',
    pinned: [],
    loose: ['platform'],
  },
  { key: 'aws:SourceVpce', kind: 'string', pinned: [], loose: [ENDPOINT_ID] },
  { key: 'aws:SecureTransport', kind: 'bool', pinned: [], loose: [] },
  { key: 'aws:PrincipalIsAWSService', kind: 'bool', pinned: [], loose: [] },
  { key: 'aws:ViaAWSService', kind: 'bool', pinned: [], loose: [] },
];

const POSITIVE_STRING = [
  'StringEquals',
  'StringEqualsIgnoreCase',
  'StringLike',
];
const NEGATED_STRING = [
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
];
const POSITIVE_ARN = ['ArnEquals', 'ArnLike'];
const NEGATED_ARN = ['ArnNotEquals', 'ArnNotLike'];

/** One condition clause before it is folded into a `Condition` object. */
interface Clause {
  readonly operator: string;
  readonly key: string;
  readonly values: string | boolean | readonly (string | boolean)[];
}

/** A single value, or a list of one or more: both spellings mean the same. */
const oneOrMany = <T>(
  values: readonly T[],
  maxLength = 2
): fc.Arbitrary<T | T[]> =>
  fc.oneof(
    fc.constantFrom(...values),
    fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength })
  );

/** `aws:PrincipalOrgID` or, now and then, `AWS:PrincipalOrgID`: keys ignore case. */
const keyName = (key: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 9, arbitrary: fc.constant(key) },
    { weight: 1, arbitrary: fc.constant(key.replace(/^aws:/, 'AWS:')) }
  );

/** `[ForAnyValue:|ForAllValues:]<base>[IfExists]`. */
const operatorOf = (bases: readonly string[]): fc.Arbitrary<string> =>
  fc
    .record({
      base: fc.constantFrom(...bases),
      qualifier: fc.constantFrom(
        '',
        '',
        '',
        '',
        'ForAnyValue:',
        'ForAllValues:'
      ),
      ifExists: fc.constantFrom(false, false, false, true),
    })
    .map(
      ({ base, qualifier, ifExists }) =>
        `${qualifier}${base}${ifExists ? 'IfExists' : ''}`
    );

const boolValue = (value: boolean): fc.Arbitrary<string | boolean> =>
  fc.constantFrom(String(value), value);

/** A clause on `spec` with operators from `bases` and values from `values`. */
const clauseOn = (
  spec: KeySpec,
  bases: readonly string[],
  values: readonly string[]
): fc.Arbitrary<Clause> =>
  fc.record({
    // On single-valued keys AWS calls set operators a mistake, but they
    // still evaluate (as a set of one), and the rule must read them.
    operator: operatorOf(bases),
    key: keyName(spec.key),
    values: oneOrMany(values),
  });

const stringBases = (spec: KeySpec, positive: boolean): readonly string[] => {
  const strings = positive ? POSITIVE_STRING : NEGATED_STRING;
  if (spec.kind !== 'arn') return strings;
  return [...strings, ...(positive ? POSITIVE_ARN : NEGATED_ARN)];
};

/** A clause on one key of the vocabulary, with any of its values. */
const keyClause = (spec: KeySpec): fc.Arbitrary<Clause> => {
  if (spec.kind === 'bool') {
    return fc.record({
      operator: fc.constantFrom('Bool', 'BoolIfExists'),
      key: keyName(spec.key),
      values: fc.boolean().chain(boolValue),
    });
  }
  return fc
    .boolean()
    .chain((positive) =>
      clauseOn(spec, stringBases(spec, positive), [
        ...spec.pinned,
        ...spec.loose,
      ])
    );
};

/** `Null`: whether a principal or resource belongs to an org at all. */
const nullClause: fc.Arbitrary<Clause> = fc.record({
  operator: fc.constant('Null'),
  key: fc.constantFrom('aws:PrincipalOrgID', 'aws:ResourceOrgID'),
  values: fc.constantFrom('true', 'false'),
});

/** Any clause the vocabulary can spell. */
const anyClause: fc.Arbitrary<Clause> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .constantFrom(...PRINCIPAL_KEYS, ...RESOURCE_KEYS, ...OTHER_KEYS)
      .chain(keyClause),
  },
  { weight: 1, arbitrary: nullClause }
);

/** A positive clause on a principal or resource key with pinned values. */
const pinningClause: fc.Arbitrary<Clause> = fc.oneof(
  fc
    .constantFrom(...PRINCIPAL_KEYS, ...RESOURCE_KEYS)
    .chain((spec) => clauseOn(spec, stringBases(spec, true), spec.pinned)),
  fc.record({
    operator: fc.constant('Bool'),
    key: keyName('aws:PrincipalIsAWSService'),
    values: boolValue(true),
  })
);

/** The data-perimeter clause: a negated operator on a pinned key. */
const perimeterClause: fc.Arbitrary<Clause> = fc
  .constantFrom(...PRINCIPAL_KEYS, ...RESOURCE_KEYS)
  .chain((spec) =>
    clauseOn(
      spec,
      stringBases(spec, false),
      // Mostly pinned values; now and then one that pins nothing.
      [...spec.pinned, ...spec.pinned, ...spec.loose.slice(0, 1)]
    )
  );

/** The AWS data-perimeter exemptions: `…IsAWSService`/`ViaAWSService` false. */
const exemptionClause: fc.Arbitrary<Clause> = fc.record({
  operator: fc.constantFrom('Bool', 'BoolIfExists'),
  key: fc.constantFrom('aws:PrincipalIsAWSService', 'aws:ViaAWSService'),
  values: boolValue(false),
});

/** Folds clauses into a `Condition` object (a later duplicate wins). */
const toCondition = (clauses: readonly Clause[]): Json => {
  const condition: Record<string, Record<string, unknown>> = {};
  for (const { operator, key, values } of clauses) {
    condition[operator] = { ...(condition[operator] ?? {}), [key]: values };
  }
  return condition;
};

const conditionOf = (
  clauses: fc.Arbitrary<Clause[]>
): fc.Arbitrary<Json | undefined> =>
  clauses.map((list) => (list.length === 0 ? undefined : toCondition(list)));

/** `{"AWS": …}` mostly; now and then other principal types too. */
const principalMap: fc.Arbitrary<Json> = fc.oneof(
  {
    weight: 3,
    arbitrary: oneOrMany(AWS_PRINCIPALS, 3).map((AWS) => ({ AWS })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record(
        {
          AWS: oneOrMany(AWS_PRINCIPALS, 3),
          Service: fc.constantFrom('ec2.amazonaws.com', '*'),
          Federated: fc.constantFrom('cognito-identity.amazonaws.com', '*'),
          CanonicalUser: fc.constant('79a59df900b949e55d96a1e698fb'),
        },
        { requiredKeys: [] }
      )
      .filter((map) => Object.keys(map).length > 0),
  }
);

/** Everyone, spelled the ways IAM allows. */
const everyone: fc.Arbitrary<unknown> = fc.constantFrom(
  '*',
  '*',
  { AWS: '*' },
  { AWS: ['*'] }
);

type PrincipalPart = Json;

/** `Principal`, `NotPrincipal`, or neither (read as `Principal` `*`). */
const principalPart = (
  weights: Readonly<{ any: number; named: number; not: number; none: number }>
): fc.Arbitrary<PrincipalPart> =>
  fc.oneof(
    {
      weight: weights.any,
      arbitrary: everyone.map((Principal) => ({ Principal })),
    },
    {
      weight: weights.named,
      arbitrary: principalMap.map((Principal) => ({ Principal })),
    },
    {
      weight: weights.not,
      arbitrary: principalMap.map((NotPrincipal) => ({ NotPrincipal })),
    },
    { weight: weights.none, arbitrary: fc.constant({}) }
  );

/** `positive` (five times in six) or `negative`: the element's name. */
const elementName = (
  positive: string,
  negative: string
): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constant(positive) },
    { weight: 1, arbitrary: fc.constant(negative) }
  );

/** `Action`/`NotAction` (mostly `Action`). */
const actionPart = (values: readonly string[]): fc.Arbitrary<Json> =>
  fc
    .tuple(elementName('Action', 'NotAction'), oneOrMany(values, 3))
    .map(([name, list]) => ({ [name]: list }));

/** `Resource`/`NotResource` (mostly `Resource`). */
const resourcePart = (values: readonly string[]): fc.Arbitrary<Json> =>
  fc
    .tuple(elementName('Resource', 'NotResource'), oneOrMany(values, 3))
    .map(([name, list]) => ({ [name]: list }));

/** A statement from its parts; actions and resources from one vocabulary. */
const statementOf = (parts: {
  effect: fc.Arbitrary<'Allow' | 'Deny'>;
  principal: fc.Arbitrary<PrincipalPart>;
  action: (actions: readonly string[]) => fc.Arbitrary<Json>;
  resource: (resources: readonly string[]) => fc.Arbitrary<Json>;
  condition: fc.Arbitrary<Json | undefined>;
}): fc.Arbitrary<Json> =>
  vocabulary.chain(({ actions, resources }) =>
    fc
      .record({
        effect: parts.effect,
        principal: parts.principal,
        action: parts.action(actions),
        resource: parts.resource(resources),
        condition: parts.condition,
      })
      .map(({ effect, principal, action, resource, condition }) => ({
        Effect: effect,
        ...principal,
        ...action,
        ...resource,
        ...(condition === undefined ? {} : { Condition: condition }),
      }))
  );

/** Any statement the vocabulary can spell. */
const anyStatement: fc.Arbitrary<Json> = statementOf({
  effect: fc.constantFrom('Allow', 'Deny'),
  principal: principalPart({ any: 6, named: 3, not: 1, none: 1 }),
  action: actionPart,
  resource: resourcePart,
  condition: conditionOf(fc.array(anyClause, { maxLength: 2 })),
});

/** An Allow for everyone with a pinning condition, perhaps next to others. */
const pinnedAllow: fc.Arbitrary<Json> = statementOf({
  effect: fc.constant('Allow'),
  principal: principalPart({ any: 8, named: 0, not: 0, none: 1 }),
  action: actionPart,
  resource: (resources) => resourcePart(['*', '*', ...resources]),
  condition: conditionOf(
    fc
      .tuple(
        fc.array(pinningClause, { minLength: 1, maxLength: 2 }),
        fc.array(anyClause, { maxLength: 1 })
      )
      .map(([pins, others]) => [...pins, ...others])
  ),
});

/** A Deny in the data-perimeter form, now and then with one flaw. */
const perimeterDeny: fc.Arbitrary<Json> = statementOf({
  effect: fc.constant('Deny'),
  principal: principalPart({ any: 8, named: 1, not: 2, none: 1 }),
  action: (actions) => actionPart(['*', '*', '*', ...actions]),
  resource: (resources) => resourcePart(['*', '*', '*', ...resources]),
  condition: conditionOf(
    fc
      .tuple(
        fc.array(perimeterClause, { minLength: 1, maxLength: 2 }),
        fc.array(exemptionClause, { maxLength: 2 }),
        fc.oneof(
          { weight: 4, arbitrary: fc.constant([]) },
          { weight: 1, arbitrary: fc.array(anyClause, { maxLength: 1 }) }
        )
      )
      .map(([perimeter, exemptions, extra]) => [
        ...perimeter,
        ...exemptions,
        ...extra,
      ])
  ),
});

/** Statements with a `Sid` now and then (the rule names statements by it). */
const withSids = (statements: readonly Json[], sids: readonly boolean[]) =>
  statements.map((statement, index) =>
    sids[index] ? { Sid: `S${index}`, ...statement } : statement
  );

/** A policy of one to four statements. */
const policyArbitrary: fc.Arbitrary<GeneratedPolicy> = fc
  .record({
    version: fc.constantFrom(
      '2012-10-17',
      '2012-10-17',
      '2012-10-17',
      '2008-10-17'
    ),
    statements: fc.array(
      fc.oneof(
        { weight: 3, arbitrary: anyStatement },
        { weight: 2, arbitrary: pinnedAllow },
        { weight: 2, arbitrary: perimeterDeny }
      ),
      { minLength: 1, maxLength: 4 }
    ),
    sids: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    bare: fc.boolean(),
  })
  .map(({ version, statements, sids, bare }) => {
    const named = withSids(statements, sids);
    const [only] = named;
    // A lone statement is sometimes written as an object, not a list.
    return {
      Version: version,
      Statement: named.length === 1 && bare && only ? only : named,
    };
  });

/** A trusted set: the org, the partner account, or both. */
const trustedSetArbitrary: fc.Arbitrary<TrustedSet> = fc.constantFrom(
  { orgIds: [ORG], accountIds: [] },
  { orgIds: [], accountIds: [PARTNER] },
  { orgIds: [ORG], accountIds: [PARTNER] }
);

/** Fuzz cases without a trusted set (any principal not named is outside). */
const untrustedCaseArbitrary: fc.Arbitrary<PolicyCase> = policyArbitrary.map(
  (policy) => ({ policy, trusted: undefined })
);

/** Fuzz cases with a trusted set. */
const trustedCaseArbitrary: fc.Arbitrary<PolicyCase> = fc.record({
  policy: policyArbitrary,
  trusted: trustedSetArbitrary,
});

export type { GeneratedPolicy, PolicyCase };
export {
  ENDPOINT_ACCOUNT,
  ENDPOINT_ID,
  ENDPOINT_VPC,
  trustedCaseArbitrary,
  untrustedCaseArbitrary,
};
