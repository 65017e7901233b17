import { VpceGuardError } from '../rules/model/errors.js';
import type { Rule } from '../rules/model/rule.js';

/** A CDK context value vpce-guard cannot use; synth stops with it. */
class InvalidContextError extends VpceGuardError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidContextError';
  }
}

/** How often the periodic evaluation runs (Config's enum). */
const FREQUENCIES = [
  'One_Hour',
  'Three_Hours',
  'Six_Hours',
  'Twelve_Hours',
  'TwentyFour_Hours',
] as const;

/** A value of {@link FREQUENCIES}. */
type Frequency = (typeof FREQUENCIES)[number];

/**
 * How the rules reach AWS Config: one Config rule (organization rule) per
 * rule, one conformance pack (organization conformance pack) holding them
 * all, or only the functions, for a pack deployed another way from the
 * template file the synth writes (README, "Conformance packs").
 */
const DEPLOY_AS = ['rules', 'conformancePack', 'functions'] as const;

/** A value of {@link DEPLOY_AS}. */
type DeployAs = (typeof DEPLOY_AS)[number];

/**
 * Who creates the member-role StackSet: the management account (`SELF`) or
 * a StackSets delegated administrator (`DELEGATED_ADMIN`).
 */
const STACK_SET_CALLERS = ['SELF', 'DELEGATED_ADMIN'] as const;

/** A value of {@link STACK_SET_CALLERS}. */
type StackSetCaller = (typeof STACK_SET_CALLERS)[number];

/** An AWS Region id, as the context keys take it. */
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/u;

/** An organization root (`r-…`) or OU (`ou-…-…`) id, as StackSets takes it. */
const ORGANIZATIONAL_UNIT_PATTERN =
  /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/u;

/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
  2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Which findings Security Hub CSPM shows for the rules: vpce-guard's own
 * (imported by the functions; the Config integration's are suppressed by
 * an automation rule) or the AWS Config integration's (the functions
 * import nothing).
 */
const FINDINGS_SOURCES = ['vpce-guard', 'config'] as const;

/** A value of {@link FINDINGS_SOURCES}. */
type FindingsSource = (typeof FINDINGS_SOURCES)[number];

/** Everything a deployment can be told through CDK context (`cdk.json`). */
interface DeploymentSettings {
  /** Frequency of the periodic trigger of every rule. */
  readonly periodicFrequency: Frequency;
  /** Per rule id, its Config `InputParameters` (validated by the rule). */
  readonly ruleParameters: Readonly<Record<string, Record<string, string>>>;
  readonly logRetentionDays: number;
  readonly logLevel: string;
  /**
   * Where the repository is published; findings link to
   * `rules/<id>/runbook.md` under it. Unset, they link to the console page
   * of the rule's SSM Automation document.
   */
  readonly runbookBaseUrl: string | undefined;
  /** Whose findings Security Hub CSPM shows: vpce-guard's or Config's. */
  readonly findingsSource: FindingsSource;
  /**
   * With `findingsSource` vpce-guard: deploy the automation rule that
   * suppresses the Config integration's findings of the rules. Only a
   * Security Hub CSPM administrator (or standalone) account may create one;
   * a member account leaves it to its administrator.
   */
  readonly suppressConfigFindings: boolean;
  /** The role the organization functions assume in every member account. */
  readonly memberRoleName: string;
  /** Accounts the organization rules skip. */
  readonly excludedAccounts: readonly string[];
  /**
   * When set, only Config in these accounts may invoke the organization
   * functions (one `SourceAccount` statement each, within Lambda's 20 KB).
   */
  readonly memberAccountIds: readonly string[];
  /** When set, the organization functions assume roles only in this org. */
  readonly organizationId: string | undefined;
  /** Regions the organization stack is deployed to (member-role trust). */
  readonly organizationRegions: readonly string[];
  /** Config rules, a conformance pack, or only the functions. */
  readonly deployAs: DeployAs;
  /**
   * Whether the organization stack deploys the member role through a
   * service-managed StackSet (off for teams that deploy `MemberRoleStack`
   * their own way).
   */
  readonly memberRoleStackSet: boolean;
  /**
   * Whether the organization stack deploys the SSM Automation documents to
   * every member account and organization Region through a second
   * StackSet, so that findings' console links and remediation work there.
   */
  readonly memberRemediationStackSet: boolean;
  /**
   * The OUs (or the root) the StackSets deploy to; empty means the
   * organization's root, looked up when the stack is deployed.
   */
  readonly memberRoleOrganizationalUnitIds: readonly string[];
  /**
   * The one Region the StackSet deploys the role in: IAM is global, and a
   * second stack instance in the same account would find the role's name
   * taken.
   */
  readonly memberRoleRegion: string;
  /** Whether the StackSets are created from the management account or a delegated administrator. */
  readonly stackSetCallAs: StackSetCaller;
  /** Declare a manual `RemediationConfiguration` per rule. */
  readonly remediation: boolean;
  /**
   * Whether the account stack deploys the SSM documents; off in a member
   * account whose organization's remediation StackSet deploys them (the
   * names would collide).
   */
  readonly remediationDocuments: boolean;
  /**
   * Per rule id, fixed values for its remediation document's parameters
   * (e.g. the policy document's `OrganizationId`).
   */
  readonly remediationParameters: Readonly<
    Record<string, Record<string, string>>
  >;
}

/** Reads one context key (`app.node.tryGetContext`). */
type ContextReader = (key: string) => unknown;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

// `cdk -c key=value` always passes strings; cdk.json passes JSON values.
const fromCli = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!/^[[{]/u.test(text) && !['true', 'false'].includes(text)) return value;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidContextError(
      `context: ${JSON.stringify(value)} is not valid JSON`,
      { cause: error }
    );
  }
};

const oneOf = <T>(key: string, value: unknown, allowed: readonly T[]): T => {
  const found = allowed.find(
    (candidate) => String(candidate) === String(value)
  );
  if (found === undefined) {
    throw new InvalidContextError(
      `context ${key}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`
    );
  }
  return found;
};

const matching = (key: string, value: unknown, pattern: RegExp): string => {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new InvalidContextError(
      `context ${key}: expected a value matching ${pattern}, got ${JSON.stringify(value)}`
    );
  }
  return value;
};

const listOf = (key: string, value: unknown, pattern: RegExp): string[] => {
  const parsed = fromCli(value);
  const items =
    typeof parsed === 'string'
      ? parsed.split(',').map((item) => item.trim())
      : parsed;
  if (!Array.isArray(items)) {
    throw new InvalidContextError(
      `context ${key}: expected a list, got ${JSON.stringify(value)}`
    );
  }
  return items
    .filter((item) => item !== '')
    .map((item, index) => matching(`${key}[${index}]`, item, pattern));
};

const stringMap = (key: string, value: unknown): Record<string, string> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidContextError(
      `context ${key}: expected an object of parameter values, got ${JSON.stringify(value)}`
    );
  }
  // Config passes parameter values to the function as strings.
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [
      name,
      typeof item === 'string' ? item : JSON.stringify(item),
    ])
  );
};

/**
 * Validates `ruleParameters` against the registry: an unknown rule id or a
 * value the rule would reject stops the synth, not the first evaluation.
 */
const ruleParametersOf = (
  value: unknown,
  rules: readonly Rule[]
): Record<string, Record<string, string>> => {
  const parsed = fromCli(value ?? {});
  const byRule = stringMap('ruleParameters', parsed);
  const result: Record<string, Record<string, string>> = {};
  for (const ruleId of Object.keys(byRule)) {
    const rule = rules.find((candidate) => candidate.metadata.id === ruleId);
    if (!rule) {
      throw new InvalidContextError(
        `context ruleParameters: no rule ${JSON.stringify(ruleId)}; rules: ${rules.map((r) => r.metadata.id).join(', ')}`
      );
    }
    const parameters = stringMap(
      `ruleParameters.${ruleId}`,
      (parsed as Record<string, unknown>)[ruleId]
    );
    try {
      rule.prepare(parameters);
    } catch (error) {
      throw new InvalidContextError(
        `context ruleParameters.${ruleId}: ${(error as Error).message}`,
        { cause: error }
      );
    }
    result[ruleId] = parameters;
  }
  return result;
};

/** Per-rule string maps whose rule ids must be in the registry. */
const perRuleMapOf = (
  key: string,
  value: unknown,
  rules: readonly Rule[]
): Record<string, Record<string, string>> => {
  const parsed = stringMap(key, fromCli(value ?? {}));
  return Object.fromEntries(
    Object.keys(parsed).map((ruleId) => {
      if (!rules.some((rule) => rule.metadata.id === ruleId)) {
        throw new InvalidContextError(
          `context ${key}: no rule ${JSON.stringify(ruleId)}; rules: ${rules.map((r) => r.metadata.id).join(', ')}`
        );
      }
      const values = (fromCli(value ?? {}) as Record<string, unknown>)[ruleId];
      return [ruleId, stringMap(`${key}.${ruleId}`, values)];
    })
  );
};

/** The first item of a list context key, which must not be empty. */
const firstOf = (key: string, items: readonly string[]): string => {
  const [first] = items;
  if (first === undefined) {
    throw new InvalidContextError(`context ${key}: expected at least one item`);
  }
  return first;
};

/**
 * A remediation configuration runs the stack's SSM document and names its
 * Config rule, which exists only when the rules are deployed as rules: a
 * conformance pack names its rules itself, and `functions` deploys none.
 */
const checkRemediationNamesRules = (
  settings: DeploymentSettings
): DeploymentSettings => {
  if (settings.remediation && !settings.remediationDocuments) {
    throw new InvalidContextError(
      "context remediation: a remediation configuration runs the stack's SSM documents, which remediationDocuments=false leaves out"
    );
  }
  if (settings.remediation && settings.deployAs !== 'rules') {
    throw new InvalidContextError(
      `context remediation: a remediation configuration names its Config rule, which deployAs=${settings.deployAs} does not create; use deployAs=rules, or leave remediation off (the SSM documents are deployed either way)`
    );
  }
  return settings;
};

/**
 * With `findingsSource` config the functions import nothing, so a rule
 * told `securityHub` true would be told two things at once.
 *
 * @throws InvalidContextError naming the rule
 */
const checkFindingsSource = (
  findingsSource: FindingsSource,
  ruleParameters: Readonly<Record<string, Record<string, string>>>,
  rules: readonly Rule[]
): void => {
  if (findingsSource !== 'config') return;
  for (const rule of rules) {
    const raw = ruleParameters[rule.metadata.id];
    if (raw?.securityHub === undefined) continue;
    if (rule.prepare(raw).parameters.securityHub === true) {
      throw new InvalidContextError(
        `context ruleParameters.${rule.metadata.id}.securityHub: true contradicts findingsSource config, where Config's integration reports and vpce-guard imports nothing; drop it or use findingsSource vpce-guard`
      );
    }
  }
};

/**
 * Reads and validates the deployment settings, filling in defaults.
 *
 * @throws InvalidContextError naming the key and what was expected
 */
const readSettings = (
  context: ContextReader,
  rules: readonly Rule[]
): DeploymentSettings => {
  const get = (key: string) => fromCli(context(key));
  const flag = (key: string, fallback: boolean): boolean =>
    oneOf(key, get(key) ?? fallback, [true, false]);
  const optional = (key: string, pattern: RegExp): string | undefined =>
    get(key) === undefined ? undefined : matching(key, get(key), pattern);
  const organizationRegions = listOf(
    'organizationRegions',
    context('organizationRegions') ?? ['us-east-1'],
    REGION_PATTERN
  );
  const settings: DeploymentSettings = {
    periodicFrequency: oneOf(
      'periodicFrequency',
      get('periodicFrequency') ?? 'TwentyFour_Hours',
      FREQUENCIES
    ),
    ruleParameters: ruleParametersOf(context('ruleParameters'), rules),
    logRetentionDays: oneOf(
      'logRetentionDays',
      get('logRetentionDays') ?? 90,
      LOG_RETENTION_DAYS
    ),
    logLevel: oneOf('logLevel', get('logLevel') ?? 'info', LOG_LEVELS),
    runbookBaseUrl: optional('runbookBaseUrl', /^https:\/\/[^\s]+$/u),
    findingsSource: oneOf(
      'findingsSource',
      get('findingsSource') ?? 'vpce-guard',
      FINDINGS_SOURCES
    ),
    suppressConfigFindings: flag('suppressConfigFindings', true),
    memberRoleName: matching(
      'memberRoleName',
      get('memberRoleName') ?? 'VpceGuardMemberRole',
      /^[\w+=,.@-]{1,64}$/u
    ),
    excludedAccounts: listOf(
      'excludedAccounts',
      context('excludedAccounts') ?? [],
      /^\d{12}$/u
    ),
    memberAccountIds: listOf(
      'memberAccountIds',
      context('memberAccountIds') ?? [],
      /^\d{12}$/u
    ),
    organizationId: optional('organizationId', /^o-[a-z0-9]{10,32}$/u),
    organizationRegions,
    deployAs: oneOf('deployAs', get('deployAs') ?? 'rules', DEPLOY_AS),
    memberRoleStackSet: flag('memberRoleStackSet', true),
    memberRemediationStackSet: flag('memberRemediationStackSet', true),
    memberRoleOrganizationalUnitIds: listOf(
      'memberRoleOrganizationalUnitIds',
      context('memberRoleOrganizationalUnitIds') ?? [],
      ORGANIZATIONAL_UNIT_PATTERN
    ),
    memberRoleRegion: matching(
      'memberRoleRegion',
      get('memberRoleRegion') ??
        firstOf('organizationRegions', organizationRegions),
      REGION_PATTERN
    ),
    stackSetCallAs: oneOf(
      'stackSetCallAs',
      get('stackSetCallAs') ?? 'SELF',
      STACK_SET_CALLERS
    ),
    remediationDocuments: flag('remediationDocuments', true),
    remediation: flag('remediation', false),
    remediationParameters: perRuleMapOf(
      'remediationParameters',
      context('remediationParameters'),
      rules
    ),
  };
  checkFindingsSource(settings.findingsSource, settings.ruleParameters, rules);
  return checkRemediationNamesRules(settings);
};

export type {
  ContextReader,
  DeployAs,
  DeploymentSettings,
  FindingsSource,
  Frequency,
  StackSetCaller,
};
export { FINDINGS_SOURCES, InvalidContextError, readSettings };
