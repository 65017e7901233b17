/**
 * An independent oracle for the endpoint-policy fuzz tests: asks the IAM
 * policy simulator `@cloud-copilot/iam-simulate` whether any *outside*
 * request gets through an endpoint policy.
 *
 * iam-simulate is AGPL-3.0: a devDependency, imported only from test/. It
 * must never be imported from rules/, functions/ or cli/ (a unit test in the
 * fuzz suite checks the sources).
 *
 * How the policy is evaluated. An endpoint policy is a resource-based policy
 * (VPC user guide, "Control access to VPC endpoints using endpoint
 * policies"): a request gets through when an Allow statement matches it
 * (principal, action, resource, condition) and no Deny does. iam-simulate
 * has a `vpcEndpointPolicies` input, but 0.1.173 evaluates those like
 * identity policies and never looks at `Principal`/`NotPrincipal` (every
 * statement matches every principal), so `{"AWS":"111122223333"}` would
 * admit strangers. The oracle therefore hands the endpoint policy to the
 * simulator as the *resource policy* and reads the simulator's verdict on
 * that policy alone (`resourceAnalysis.result`): `Allowed`, or
 * `AllowedForAccount` (an account principal matched the caller's account),
 * means the endpoint lets the request through.
 *
 * Which requests are asked about. The rule's question
 * (rules/endpoint-policy-restrictive/README.md, "The question") is whether
 * a request by an *outside principal* for an *outside resource* can get
 * through. The policy does not say who is outside, so the oracle
 * enumerates a finite model built from what the policy mentions:
 * - principals: IAM role sessions, never AWS services and never anonymous
 *   callers (an outsider is an account: endpoint-policy-property.ts). Without a
 *   trusted set, accounts and orgs no policy of the generator names
 *   (outside = "not named by the policy"), one in an org and one in none.
 *   With a trusted set, every account and org the policy mentions that is
 *   outside the set, plus an unnamed account, in every org the policy
 *   mentions outside the set, an unnamed org, or none.
 * - resources: in another unnamed account (in an unnamed org, or in none),
 *   and in the caller's own account when the policy has policy variables
 *   (`${aws:PrincipalAccount}` compares the two). Queues and tables named
 *   like the vocabulary's, so that account wildcards
 *   (`arn:aws:sqs:us-east-1:*:q`) reach them, and named by no policy in
 *   another region; the bucket `ob` (and an object in it), which no
 *   literal bucket pattern names.
 * - actions: one per class of actions the policy's action patterns tell
 *   apart, for every service it mentions, and `sns:Publish` for all others.
 * - context keys the caller controls (`aws:SecureTransport`,
 *   `aws:PrincipalTag/team`), when the policy mentions them: every value
 *   that can make a difference, and absence.
 *
 * Other simulator behaviour the fuzzing met: `runUnsafeSimulation` throws
 * on any resource policy (it loads it without a name), so the oracle uses
 * the validating `runSimulation`; an operator without a set operator on a
 * multivalued key (`aws:PrincipalOrgPaths`) is false whenever the key is
 * present (its authors confirmed this with AWS), which exposed a rule bug;
 * policy variables are substituted under Version 2008-10-17 too, where AWS
 * reads them literally (the rule never relies on variables).
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

type Json = Record<string, unknown>;

/** Who is inside: the endpoint's account and the rule's trusted set. */
interface OracleScope {
  readonly endpointAccountId: string;
  /** The endpoint's VPC endpoint id and VPC, carried by every request. */
  readonly endpointId: string;
  readonly endpointVpc: string;
  /** `undefined`, or empty lists: no trusted set. */
  readonly trusted:
    | {
        readonly orgIds: readonly string[];
        readonly accountIds: readonly string[];
      }
    | undefined;
}

/** A caller: an IAM role session in `account`, in `org` (or in none). */
interface Caller {
  readonly account: string;
  readonly org: string | undefined;
  /** The role's unique id, as `aws:userid` shows it before `:`. */
  readonly uniqueId: string;
}

/** What is reached: a resource in `account`, in `org` (or in none). */
interface Target {
  readonly account: string;
  readonly org: string | undefined;
}

/** One outside request, as the oracle asks the simulator about it. */
interface OutsideRequest {
  readonly caller: Caller;
  readonly target: Target;
  readonly action: string;
  readonly resource: string;
  /** The caller-controlled context keys the request carries. */
  readonly chosen: Readonly<Record<string, string>>;
}

/** Accounts and orgs no generated policy names: the outsiders. */
const OUTSIDE_ACCOUNT = '210987654321';
const OUTSIDE_ACCOUNT_WITHOUT_ORG = '210987654322';
const OUTSIDE_RESOURCE_ACCOUNT = '313131313131';
const OUTSIDE_ORG = 'o-outsiderp1';
const OUTSIDE_RESOURCE_ORG = 'o-outsiderr1';
const OUTSIDE_UNIQUE_ID = 'AROAOUTSIDER';
const REGION = 'us-east-1';
const OTHER_REGION = 'eu-west-1';

/** An action and the resources it is asked about (given their account). */
interface ActionTemplate {
  readonly action: string;
  /** `object`, `bucket`, …: tells apart actions on different resources. */
  readonly kind: string;
  readonly resources: (account: string) => readonly string[];
}

// Short names: the simulator's cost grows with the ARN's length.
const s3Object = () => ['arn:aws:s3:::ob/k'];
const s3Bucket = () => ['arn:aws:s3:::ob'];
// A queue and a table named like the vocabulary's, and one named by no
// policy in another region (`arn:aws:sqs:*:*:*` reaches both).
const queues = (account: string) => [
  `arn:aws:sqs:${REGION}:${account}:q`,
  `arn:aws:sqs:${OTHER_REGION}:${account}:oq`,
];
const tables = (account: string) => [
  `arn:aws:dynamodb:${REGION}:${account}:table/t`,
  `arn:aws:dynamodb:${OTHER_REGION}:${account}:table/ot`,
];

/**
 * Candidate actions per service: enough to tell apart every class of
 * actions the generator's patterns can (`s3:GetObject`, another `s3:Get*`,
 * `s3:PutObject`, another `s3:` action on objects, one on buckets, …).
 */
const ACTION_POOL: Readonly<Record<string, readonly ActionTemplate[]>> = {
  s3: [
    { action: 's3:GetObject', kind: 'object', resources: s3Object },
    { action: 's3:GetObjectAcl', kind: 'object', resources: s3Object },
    { action: 's3:PutObject', kind: 'object', resources: s3Object },
    { action: 's3:DeleteObject', kind: 'object', resources: s3Object },
    { action: 's3:ListBucket', kind: 'bucket', resources: s3Bucket },
  ],
  sqs: [
    { action: 'sqs:SendMessage', kind: 'queue', resources: queues },
    { action: 'sqs:ReceiveMessage', kind: 'queue', resources: queues },
  ],
  dynamodb: [
    { action: 'dynamodb:GetItem', kind: 'table', resources: tables },
    { action: 'dynamodb:PutItem', kind: 'table', resources: tables },
  ],
};

/** Stands for every service the policy does not mention. */
const OTHER_SERVICE: ActionTemplate = {
  action: 'sns:Publish',
  kind: 'topic',
  resources: (account) => [`arn:aws:sns:${REGION}:${account}:topic`],
};

/** Context keys an outsider sets as it likes, and the values worth trying. */
const CHOSEN_KEYS: Readonly<Record<string, readonly (string | undefined)[]>> = {
  'aws:securetransport': ['true', 'false'],
  'aws:principaltag/team': [undefined, 'platform', 'other'],
};

/** IAM's glob: `*` any run, `?` one character. */
const globMatches = (
  pattern: string,
  value: string,
  caseInsensitive: boolean
): boolean => {
  const source = pattern
    .split('')
    .map((ch) => {
      if (ch === '*') return '.*';
      if (ch === '?') return '.';
      return ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's').test(value);
};

const statementsOf = (policy: Json): Json[] => {
  const { Statement: statements } = policy;
  if (Array.isArray(statements)) return statements as Json[];
  return [statements as Json];
};

const asStrings = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter(
    (v): v is string => typeof v === 'string'
  );

/** Every distinct match of `pattern` in the policy text. */
const mentions = (text: string, pattern: RegExp): string[] => [
  ...new Set(text.match(pattern) ?? []),
];

/** Every `Action`/`NotAction` pattern of the policy. */
const actionPatterns = (policy: Json, element: 'Action' | 'NotAction') =>
  statementsOf(policy).flatMap((s) => asStrings(s[element]));

/** One representative per class of actions the policy's patterns tell apart. */
const actionsFor = (policy: Json, text: string): ActionTemplate[] => {
  const patterns = [
    ...actionPatterns(policy, 'Action'),
    ...actionPatterns(policy, 'NotAction'),
  ];
  const lower = text.toLowerCase();
  const chosen: ActionTemplate[] = [];
  for (const [service, pool] of Object.entries(ACTION_POOL)) {
    if (!lower.includes(`${service}:`)) continue;
    const seen = new Set<string>();
    for (const template of pool) {
      const signature = `${template.kind}:${patterns
        .map((p) => (globMatches(p, template.action, true) ? '1' : '0'))
        .join('')}`;
      if (seen.has(signature)) continue;
      seen.add(signature);
      chosen.push(template);
    }
  }
  return [...chosen, OTHER_SERVICE];
};

/**
 * Sanity check of the finite model: every `Action` pattern of the policy
 * matches some sampled action (else an Allow would look empty).
 */
const assertActionsCovered = (
  policy: Json,
  actions: readonly ActionTemplate[]
): void => {
  for (const pattern of actionPatterns(policy, 'Action')) {
    if (!actions.some((t) => globMatches(pattern, t.action, true))) {
      throw new Error(`no sampled action matches ${pattern}: extend the pool`);
    }
  }
};

/** The callers worth asking about. */
const callersFor = (text: string, scope: OracleScope): Caller[] => {
  const trustedAccounts = scope.trusted?.accountIds ?? [];
  const trustedOrgs = (scope.trusted?.orgIds ?? []).map((o) => o.toLowerCase());
  if (trustedAccounts.length === 0 && trustedOrgs.length === 0) {
    // Outside = not named by the policy: accounts and orgs it never names.
    return [
      {
        account: OUTSIDE_ACCOUNT,
        org: OUTSIDE_ORG,
        uniqueId: OUTSIDE_UNIQUE_ID,
      },
      {
        account: OUTSIDE_ACCOUNT_WITHOUT_ORG,
        org: undefined,
        uniqueId: OUTSIDE_UNIQUE_ID,
      },
    ];
  }
  // Outside = outside the trusted set, named by the policy or not. A role
  // whose unique id the policy names may sit in any account.
  const accounts = [...mentions(text, /\b\d{12}\b/g), OUTSIDE_ACCOUNT].filter(
    (a) => a !== scope.endpointAccountId && !trustedAccounts.includes(a)
  );
  const orgs = [
    ...mentions(text.toLowerCase(), /\bo-[a-z0-9]{10,32}\b/g),
    OUTSIDE_ORG,
  ].filter((o) => !trustedOrgs.includes(o));
  const uniqueId = mentions(text, /\bARO[A-Z0-9]+/g)[0] ?? OUTSIDE_UNIQUE_ID;
  return [...new Set(accounts)].flatMap((account) =>
    [...new Set(orgs), undefined].map((org) => ({ account, org, uniqueId }))
  );
};

/**
 * Another account, in an org when the caller is in none and in none when
 * the caller is in one; and, when the policy uses policy variables (which
 * compare the caller with the resource), the caller's own account.
 */
const targetsFor = (caller: Caller, text: string): Target[] => [
  {
    account: OUTSIDE_RESOURCE_ACCOUNT,
    org: caller.org === undefined ? OUTSIDE_RESOURCE_ORG : undefined,
  },
  ...(text.includes('${')
    ? [{ account: caller.account, org: caller.org }]
    : []),
];

/** Every assignment of the caller-controlled keys the policy mentions. */
const choicesFor = (text: string): Record<string, string>[] => {
  const lower = text.toLowerCase();
  let choices: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(CHOSEN_KEYS)) {
    if (!lower.includes(key)) continue;
    choices = choices.flatMap((choice) =>
      values.map((value) =>
        value === undefined ? choice : { ...choice, [key]: value }
      )
    );
  }
  return choices;
};

/**
 * Every outside request the oracle asks about for `policy`, in a fixed
 * order (callers, targets, actions, chosen keys).
 *
 * @param policy - the endpoint policy, as the simulator will read it
 */
const outsideRequests = (
  policy: Json,
  scope: OracleScope
): OutsideRequest[] => {
  const text = JSON.stringify(policy);
  const actions = actionsFor(policy, text);
  assertActionsCovered(policy, actions);
  const choices = choicesFor(text);
  return callersFor(text, scope).flatMap((caller) =>
    targetsFor(caller, text).flatMap((target) =>
      actions.flatMap((template) =>
        template.resources(target.account).flatMap((resource) =>
          choices.map((chosen) => ({
            caller,
            target,
            action: template.action,
            resource,
            chosen,
          }))
        )
      )
    )
  );
};

const orgPath = (org: string) => [`${org}/r-1/ou-2/`];

/** The request context AWS would build for the request. */
const contextOf = (
  request: OutsideRequest,
  scope: OracleScope
): Record<string, string | string[]> => {
  const { caller, target } = request;
  return {
    'aws:PrincipalAccount': caller.account,
    'aws:PrincipalArn': `arn:aws:iam::${caller.account}:role/app`,
    'aws:userid': `${caller.uniqueId}:x`,
    ...(caller.org === undefined
      ? {}
      : {
          'aws:PrincipalOrgID': caller.org,
          'aws:PrincipalOrgPaths': orgPath(caller.org),
        }),
    // Outsiders call directly: not as an AWS service, not through one.
    'aws:PrincipalIsAWSService': 'false',
    'aws:ViaAWSService': 'false',
    'aws:SourceVpce': scope.endpointId,
    'aws:SourceVpc': scope.endpointVpc,
    'aws:ResourceAccount': target.account,
    ...(request.action.startsWith('s3:')
      ? { 's3:ResourceAccount': target.account }
      : {}),
    ...(target.org === undefined
      ? {}
      : {
          'aws:ResourceOrgID': target.org,
          'aws:ResourceOrgPaths': orgPath(target.org),
        }),
    ...request.chosen,
  };
};

/**
 * The endpoint policy as a resource policy for the simulator. AWS requires
 * a `Principal` in an endpoint policy; the rule reads a statement without
 * `Principal`/`NotPrincipal` as `Principal` `*`, and so does the oracle (the
 * simulator would match no principal at all).
 */
const asResourcePolicy = (policy: Json): Json => ({
  ...policy,
  Statement: statementsOf(policy).map((s) =>
    'Principal' in s || 'NotPrincipal' in s ? s : { ...s, Principal: '*' }
  ),
});

/**
 * Whether the simulator lets one request through the endpoint policy.
 *
 * @throws Error when the simulator rejects the input, or ignores a context
 *   key (the answer would be about another request)
 */
const letsThrough = async (
  policy: Json,
  request: OutsideRequest,
  scope: OracleScope
): Promise<boolean> => {
  const simulation: Simulation = {
    request: {
      principal: `arn:aws:sts::${request.caller.account}:assumed-role/app/x`,
      action: request.action,
      resource: {
        resource: request.resource,
        accountId: request.target.account,
      },
      contextVariables: contextOf(request, scope),
    },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: asResourcePolicy(policy),
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType !== 'single') {
    throw new Error(
      `iam-simulate could not evaluate the request: ${JSON.stringify(
        response.resultType === 'error' ? response.errors : response.resultType
      )}`
    );
  }
  const ignored = response.result.ignoredContextKeys ?? [];
  if (ignored.length > 0) {
    throw new Error(`iam-simulate ignored context keys ${ignored.join(', ')}`);
  }
  const verdict = response.result.analysis.resourceAnalysis?.result;
  return verdict === 'Allowed' || verdict === 'AllowedForAccount';
};

/**
 * The first outside request the simulator lets through `policy`, or
 * `undefined` when it denies every one.
 *
 * @param policy - a parsed endpoint policy document
 */
const findOutsideRequestLetThrough = async (
  policy: Json,
  scope: OracleScope
): Promise<OutsideRequest | undefined> => {
  for (const request of outsideRequests(policy, scope)) {
    if (await letsThrough(policy, request, scope)) return request;
  }
  return undefined;
};

/** A one-line description of a request, for failure messages. */
const describeRequest = (request: OutsideRequest): string =>
  `${request.action} on ${request.resource} by a role in ${
    request.caller.account
  } (org ${request.caller.org ?? 'none'}, userid ${request.caller.uniqueId}:x)` +
  `, resource in ${request.target.account} (org ${request.target.org ?? 'none'})` +
  (Object.keys(request.chosen).length > 0
    ? `, with ${JSON.stringify(request.chosen)}`
    : '');

export type { OracleScope, OutsideRequest };
export { describeRequest, findOutsideRequestLetThrough, outsideRequests };
