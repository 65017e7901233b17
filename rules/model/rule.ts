import {
  CannotEvaluateError,
  type Unreadable,
  usable,
} from './cannot-evaluate.js';
import { InvalidParameterError } from './errors.js';
import { type Inventory, isOwned, type Tags } from './inventory.js';
import {
  booleanParameter,
  CONFIG_ACCEPTED_PARAMETERS,
  describeValue,
  integerParameter,
  isUnset,
  nearMissOf,
  type ParameterSpec,
  type RawParameters,
  stringParameter,
} from './parameters.js';
import {
  RESOURCE_KINDS,
  type ResourceKind,
  type ResourceType,
} from './resource-kinds.js';

/** The verdicts a rule reports; Config rejects INSUFFICIENT_DATA from rules. */
type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

/** Config resource types whose changes can alter a rule's verdicts. */
type TriggerResourceType =
  | ResourceType
  | 'AWS::EC2::RouteTable'
  | 'AWS::EC2::SecurityGroup';

/**
 * What a rule can read, one name per group of calls:
 * - `ec2`: VPCs and their DNS attributes, subnets, route tables, endpoints,
 *   prefix lists, service details and security groups;
 * - `vpc-hosted-zones`: the Route 53 private hosted zones associated with
 *   the VPCs the rule asks about (its `hostedZoneVpcs`), one lookup per VPC.
 *
 * The live loader loads what the rules it runs need, and a rule's function
 * is allowed exactly the calls of its sources
 * (functions/shared/aws/aws-actions.ts).
 */
const INVENTORY_SOURCES = ['ec2', 'vpc-hosted-zones'] as const;

/** One of {@link INVENTORY_SOURCES}. */
type InventorySource = (typeof INVENTORY_SOURCES)[number];

/** An IAM action, `service:Operation` (`ec2:ModifyVpcEndpoint`). */
type IamAction = `${string}:${string}`;

/** How a failure of the rule is fixed. */
interface Remediation {
  /** What to do about a failure, ≤ 512 characters (ASFF Recommendation.Text). */
  readonly text: string;
  /**
   * Every action the rule's SSM Automation document (`remediation.yaml` in
   * the rule's folder) calls, sorted: its automation role gets exactly
   * these. test/unit/docs/runbooks.test.ts reads them off the document and
   * checks both ways.
   */
  readonly actions: readonly IamAction[];
}

/** Severity label of a failed finding (Security Hub `Severity.Label`). */
type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** One resource's result under one rule. */
interface Evaluation {
  readonly ruleId: string;
  readonly accountId: string;
  readonly region: string;
  readonly resourceType: ResourceType;
  readonly resourceId: string;
  readonly complianceType: ComplianceType;
  /** Names the cause; 1–256 characters, as PutEvaluations requires. */
  readonly annotation: string;
  /**
   * Set when the rule could not decide (the verdict is NON_COMPLIANT and
   * the annotation begins `cannot evaluate:`): what was missing, uncut.
   */
  readonly problem?: string;
}

/** A resource of the rule's type that another account owns (a shared VPC's). */
interface NotOwned {
  readonly ruleId: string;
  readonly accountId: string;
  readonly region: string;
  readonly resourceId: string;
  readonly ownerId: string;
}

/** What a rule decides for one resource, before it is stamped with ids. */
interface Verdict {
  readonly complianceType: ComplianceType;
  readonly annotation: string;
  /** Set for `cannot evaluate` verdicts: see {@link Evaluation.problem}. */
  readonly problem?: string;
}

/** Everything about a rule that is not its logic. */
interface RuleMetadata {
  /** Fixed forever: users put it in dashboards and suppressions. */
  readonly id: string;
  /** The compliant state, ≤ 150 characters. */
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  /** What the rule's evaluations are about (rules/model/resource-kinds.ts). */
  readonly resourceKind: ResourceKind;
  /** The Config resource type of {@link RuleMetadata.resourceKind}. */
  readonly resourceType: ResourceType;
  readonly triggerResourceTypes: readonly TriggerResourceType[];
  readonly parameters: readonly ParameterSpec<unknown>[];
  /** What the rule reads from the account. */
  readonly inventory: readonly InventorySource[];
  readonly remediation: Remediation;
}

/** What a rule's `metadata.ts` declares; {@link defineRule} adds the rest. */
type DeclaredMetadata = Omit<RuleMetadata, 'parameters' | 'resourceType'>;

/** A rule with validated parameters, ready to evaluate inventories. */
interface PreparedRule {
  readonly metadata: RuleMetadata;
  /** The parameter values in effect, defaults filled in. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /**
   * Names in the raw parameters that are neither the rule's, nor added by
   * Config tooling ({@link CONFIG_ACCEPTED_PARAMETERS}), nor near enough to
   * either to be a typo: ignored, in the order given. The caller reports
   * them (rules/ does not log).
   */
  readonly ignoredParameters: readonly string[];
  /**
   * Evaluates every resource of the rule's type the account owns, in a
   * stable order (by resource id). A resource the rule cannot decide is
   * NON_COMPLIANT `cannot evaluate: …`, never a thrown error.
   */
  readonly evaluate: (inventory: Inventory) => Evaluation[];
  /**
   * The resources of the rule's type that another account owns: they are
   * evaluated by their owner, not here (shared VPCs).
   */
  readonly notOwned: (inventory: Inventory) => NotOwned[];
  /**
   * The VPCs whose private hosted zones this rule needs, given what the
   * `ec2` source loaded; empty for a rule without the `vpc-hosted-zones`
   * source. The loader looks up exactly these, one call each.
   */
  readonly hostedZoneVpcs: (inventory: Inventory) => string[];
}

/** A registered rule. */
interface Rule {
  readonly metadata: RuleMetadata;
  /**
   * Validates Config `InputParameters`. A name that is a near miss of one of
   * the rule's parameters (or of a name Config tooling adds) is an error:
   * `minAZs` must not run silently with the default `minAzs`. The names
   * Config tooling adds (`ExecutionRoleName`…) are accepted silently; any
   * other name is ignored and listed in `ignoredParameters`.
   *
   * @throws InvalidParameterError naming the parameter and what was
   *   expected, or the unknown name and the parameter it is a typo of
   */
  readonly prepare: (raw?: unknown) => PreparedRule;
}

/** A resource a rule reports on: its id, tags and owner are all the framework needs. */
interface Reportable {
  readonly id: string;
  readonly label: string;
  readonly tags: Tags;
  readonly ownerId?: string | undefined;
  readonly unreadable: Unreadable;
}

/** Maps parameter specs to the types of their values. */
type ParameterValues<S extends Record<string, ParameterSpec<unknown>>> = {
  readonly [K in keyof S]: S[K] extends ParameterSpec<infer T> ? T : never;
};

/** Parameters every rule takes. */
const commonParameters = {
  securityHub: booleanParameter(
    'securityHub',
    'Import a finding per evaluated resource into Security Hub; false when relying on Config’s native Security Hub integration instead.',
    true
  ),
  exemptTagKey: stringParameter(
    'exemptTagKey',
    'Tag key that exempts a resource; its value lists `true` or rule ids.',
    'vpce-guard:exempt',
    { pattern: /^.{1,128}$/u, expected: 'a tag key of 1 to 128 characters' }
  ),
  // At most 80: Security Hub deletes a finding 90 days after its last
  // update, and a refresh waits for the next periodic run (a day at most)
  // and for any runs that fail in between.
  refreshDays: integerParameter(
    'refreshDays',
    'Days after which an unchanged result is sent to Config and Security Hub again; 0 sends every result on every run.',
    30,
    { min: 0, max: 80 }
  ),
};

type CommonParameterValues = ParameterValues<typeof commonParameters>;

const MAX_ANNOTATION = 256;

/**
 * The first `end` UTF-16 units of `text`, one fewer when the cut would split
 * a surrogate pair: half an emoji is not valid Unicode and AWS may refuse it.
 */
const sliceWhole = (text: string, end: number): string => {
  const last = text.charCodeAt(end - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
};

/** Truncates to what PutEvaluations accepts, marking the cut. */
const clampAnnotation = (text: string): string => {
  const annotation = text.trim() === '' ? 'no details' : text;
  return annotation.length <= MAX_ANNOTATION
    ? annotation
    : `${sliceWhole(annotation, MAX_ANNOTATION - 1)}…`;
};

/**
 * True when the resource carries `tagKey` and its value, split on commas,
 * lists `true` or the rule id (any case).
 */
const isExemptByTag = (tags: Tags, tagKey: string, ruleId: string): boolean => {
  const value = tags.get(tagKey);
  if (value === undefined) return false;
  return value
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .some((item) => item === 'true' || item === ruleId.toLowerCase());
};

const readParameter = <T>(
  ruleId: string,
  spec: ParameterSpec<T>,
  raw: RawParameters
): T => {
  const value = raw[spec.name];
  if (isUnset(value)) return spec.defaultValue;
  const parsed = spec.parse(value);
  if (parsed === undefined) {
    const problem = spec.problem?.(value);
    throw new InvalidParameterError(
      spec.name,
      `${ruleId}: parameter ${spec.name}: expected ${spec.expected}, got ${describeValue(value)}${problem === undefined ? '' : ` (${problem})`}`
    );
  }
  return parsed;
};

/**
 * The names of `raw` the rule will ignore, after refusing every name that
 * looks like a typo of a name it knows.
 *
 * @throws InvalidParameterError for a near miss, naming the rule, the name
 *   given and the one meant
 */
const unknownParameterNames = (
  ruleId: string,
  raw: RawParameters,
  ruleNames: readonly string[]
): string[] => {
  const known = [...ruleNames, ...CONFIG_ACCEPTED_PARAMETERS];
  const ignored: string[] = [];
  for (const name of Object.keys(raw)) {
    if (known.includes(name)) continue;
    const meant = nearMissOf(name, known);
    if (meant !== undefined) {
      throw new InvalidParameterError(
        name,
        `${ruleId}: unknown parameter ${name} — did you mean ${meant}?`
      );
    }
    ignored.push(name);
  }
  return ignored;
};

const asRawParameters = (ruleId: string, raw: unknown): RawParameters => {
  if (raw === undefined || raw === null) return {};
  if (typeof raw === 'object' && !Array.isArray(raw))
    return raw as RawParameters;
  throw new InvalidParameterError(
    '(all)',
    `${ruleId}: rule parameters: expected a JSON object, got ${describeValue(raw)}`
  );
};

/** What a rule module supplies to {@link defineRule}. */
interface RuleDefinition<S extends Record<string, ParameterSpec<unknown>>, R> {
  readonly metadata: DeclaredMetadata;
  readonly parameters: S;
  /** The resources of the rule's type in the inventory, NOT_APPLICABLE ones included. */
  readonly resources: (inventory: Inventory) => Iterable<R>;
  /**
   * Returns the judge of one resource that is not exempt by tag. Called once
   * per evaluation, so it may hold per-inventory memos (one route-table
   * resolution shared by all the subnets that use it).
   */
  readonly judge: (
    inventory: Inventory,
    parameters: ParameterValues<S> & CommonParameterValues
  ) => (resource: R) => Verdict;
  /**
   * For a rule with the `vpc-hosted-zones` source: the VPCs whose private
   * hosted zones a verdict may depend on. Ask only for those a verdict
   * really needs: each costs a Route 53 call.
   */
  readonly hostedZoneVpcs?: (
    inventory: Inventory,
    parameters: ParameterValues<S> & CommonParameterValues
  ) => Iterable<string>;
}

/**
 * Builds a registered rule from its metadata, parameters and per-resource
 * logic. The framework owns what every rule shares: parameter validation,
 * the exempt tag, one evaluation per resource in id order, and annotation
 * length.
 */
const defineRule = <
  S extends Record<string, ParameterSpec<unknown>>,
  R extends Reportable,
>(
  definition: RuleDefinition<S, R>
): Rule => {
  const specs = { ...definition.parameters, ...commonParameters };
  const metadata: RuleMetadata = {
    ...definition.metadata,
    resourceType: RESOURCE_KINDS[definition.metadata.resourceKind].configType,
    parameters: Object.values(specs),
  };
  const ruleId = metadata.id;
  const prepare = (raw?: unknown): PreparedRule => {
    const input = asRawParameters(ruleId, raw);
    const ignoredParameters = unknownParameterNames(
      ruleId,
      input,
      metadata.parameters.map((spec) => spec.name)
    );
    const values = Object.fromEntries(
      Object.entries(specs).map(([key, spec]) => [
        key,
        readParameter(ruleId, spec, input),
      ])
    ) as ParameterValues<S> & CommonParameterValues;
    const byId = (a: R, b: R): number =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    const evaluate = (inventory: Inventory): Evaluation[] => {
      const resources = [...definition.resources(inventory)]
        .filter((resource) => isOwned(inventory, resource))
        .sort(byId);
      const judge = definition.judge(inventory, values);
      const judgeUsable = (resource: R): Verdict => judge(usable(resource));
      const decide = (resource: R): Verdict =>
        isExemptByTag(resource.tags, values.exemptTagKey, ruleId)
          ? notApplicable('exempt by tag')
          : judgeOrCannotEvaluate(judgeUsable, resource);
      // A plain loop and one object shape: this runs once per resource per
      // rule, tens of thousands of times in a large account.
      const evaluations: Evaluation[] = [];
      for (const resource of resources) {
        const verdict = decide(resource);
        const evaluation: Evaluation = {
          ruleId,
          accountId: inventory.accountId,
          region: inventory.region,
          resourceType: metadata.resourceType,
          resourceId: resource.id,
          complianceType: verdict.complianceType,
          annotation: clampAnnotation(verdict.annotation),
        };
        evaluations.push(
          verdict.problem === undefined
            ? evaluation
            : { ...evaluation, problem: verdict.problem }
        );
      }
      return evaluations;
    };
    const notOwned = (inventory: Inventory): NotOwned[] =>
      [...definition.resources(inventory)]
        .filter((resource) => !isOwned(inventory, resource))
        .sort(byId)
        .map((resource) => ({
          ruleId,
          accountId: inventory.accountId,
          region: inventory.region,
          resourceId: resource.id,
          ownerId: resource.ownerId ?? '',
        }));
    const hostedZoneVpcs = (inventory: Inventory): string[] =>
      definition.hostedZoneVpcs
        ? [...new Set(definition.hostedZoneVpcs(inventory, values))].sort()
        : [];
    return {
      metadata,
      parameters: values,
      ignoredParameters,
      evaluate,
      notOwned,
      hostedZoneVpcs,
    };
  };
  return { metadata, prepare };
};

/**
 * The judge's verdict, or NON_COMPLIANT `cannot evaluate: …` when the judge
 * finds something it needs missing (rules/model/cannot-evaluate.ts).
 */
const judgeOrCannotEvaluate = <R>(
  judge: (resource: R) => Verdict,
  resource: R
): Verdict => {
  try {
    return judge(resource);
  } catch (error) {
    if (error instanceof CannotEvaluateError) {
      return {
        complianceType: 'NON_COMPLIANT',
        annotation: error.message,
        problem: error.reason,
      };
    }
    throw error;
  }
};

/** A COMPLIANT verdict. */
const compliant = (annotation: string): Verdict => ({
  complianceType: 'COMPLIANT',
  annotation,
});

/** A NON_COMPLIANT verdict. */
const nonCompliant = (annotation: string): Verdict => ({
  complianceType: 'NON_COMPLIANT',
  annotation,
});

/** A NOT_APPLICABLE verdict; the annotation says why the rule does not apply. */
const notApplicable = (annotation: string): Verdict => ({
  complianceType: 'NOT_APPLICABLE',
  annotation,
});

export type {
  ComplianceType,
  DeclaredMetadata,
  Evaluation,
  IamAction,
  InventorySource,
  NotOwned,
  ParameterValues,
  PreparedRule,
  Remediation,
  ResourceType,
  Rule,
  RuleMetadata,
  Severity,
  TriggerResourceType,
  Verdict,
};
export {
  clampAnnotation,
  compliant,
  defineRule,
  INVENTORY_SOURCES,
  isExemptByTag,
  nonCompliant,
  notApplicable,
  sliceWhole,
};
