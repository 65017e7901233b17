import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  API_STEP_ACTIONS,
  apiActionsOf,
  scriptActionsOf,
} from '../../infra/automation-documents.js';
import { type ServiceModel, validateShape } from './api-model.js';

/** One step of an Automation document, as parsed from YAML. */
interface AutomationStep {
  readonly name: string;
  readonly action: string;
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly outputs?: readonly { readonly Name: string }[];
  readonly nextStep?: string;
  readonly isEnd?: boolean;
  readonly onFailure?: string;
}

/** An Automation document (schema 0.3), as parsed from YAML. */
interface AutomationDocument {
  readonly schemaVersion: unknown;
  readonly assumeRole?: unknown;
  readonly parameters: Readonly<
    Record<string, Readonly<Record<string, unknown>>>
  >;
  readonly outputs?: readonly string[];
  readonly mainSteps: readonly AutomationStep[];
}

/** Reads and parses a YAML document, relative to the repository root. */
const loadDocument = (path: string): AutomationDocument =>
  parse(readFileSync(path, 'utf8')) as AutomationDocument;

const PLACEHOLDER = /\{\{\s*([\w:.]+)\s*\}\}/g;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** True for a value that is a single `{{ … }}` reference, set at run time. */
const isPlaceholder = (value: unknown): boolean =>
  typeof value === 'string' && /^\{\{\s*[\w:.]+\s*\}\}$/.test(value.trim());

/** Whether a choice holds when DryRun has a known value. */
type Outcome = 'always' | 'never' | 'maybe';

const DRY_RUN = /^\{\{\s*DryRun\s*\}\}$/;

const invert = (outcome: Outcome): Outcome =>
  outcome === 'maybe' ? 'maybe' : outcome === 'always' ? 'never' : 'always';

/**
 * Evaluates an `aws:branch` choice knowing only DryRun: a `BooleanEquals` on
 * `{{ DryRun }}` is decided, anything else may go either way; `And`, `Or`
 * and `Not` combine the parts.
 */
const choiceOutcome = (choice: unknown, dryRun: boolean): Outcome => {
  if (!isRecord(choice)) return 'maybe';
  const parts = (key: string): Outcome[] =>
    Array.isArray(choice[key])
      ? (choice[key] as unknown[]).map((c) => choiceOutcome(c, dryRun))
      : [];
  if (Array.isArray(choice.And)) {
    const all = parts('And');
    if (all.includes('never')) return 'never';
    return all.every((o) => o === 'always') ? 'always' : 'maybe';
  }
  if (Array.isArray(choice.Or)) {
    const any = parts('Or');
    if (any.includes('always')) return 'always';
    return any.every((o) => o === 'never') ? 'never' : 'maybe';
  }
  if (choice.Not !== undefined)
    return invert(choiceOutcome(choice.Not, dryRun));
  if (
    typeof choice.Variable === 'string' &&
    DRY_RUN.test(choice.Variable.trim()) &&
    typeof choice.BooleanEquals === 'boolean'
  ) {
    return choice.BooleanEquals === dryRun ? 'always' : 'never';
  }
  return 'maybe';
};

const branchTargets = (
  step: AutomationStep,
  next: string | undefined,
  dryRun: boolean
): string[] => {
  const inputs = step.inputs ?? {};
  const choices = Array.isArray(inputs.Choices) ? inputs.Choices : [];
  const targets: string[] = [];
  for (const choice of choices) {
    const outcome = choiceOutcome(choice, dryRun);
    if (outcome === 'never') continue;
    if (isRecord(choice) && typeof choice.NextStep === 'string') {
      targets.push(choice.NextStep);
    }
    // A choice that always holds is taken: later ones and Default are not.
    if (outcome === 'always') return targets;
  }
  if (typeof inputs.Default === 'string') return [...targets, inputs.Default];
  if (step.isEnd) return targets;
  return next === undefined ? targets : [...targets, next];
};

/**
 * The steps that can follow `step` when DryRun is `dryRun`: the branch
 * targets that can hold, `nextStep`, the following step, and the
 * `onFailure` target.
 */
const successors = (
  document: AutomationDocument,
  index: number,
  dryRun: boolean
): string[] => {
  const step = document.mainSteps[index] as AutomationStep;
  const next = document.mainSteps[index + 1]?.name;
  const onFailure = step.onFailure?.startsWith('step:')
    ? [step.onFailure.slice('step:'.length)]
    : step.onFailure === 'Continue' && next !== undefined
      ? [next]
      : [];
  if (step.action === 'aws:branch') {
    return [...branchTargets(step, next, dryRun), ...onFailure];
  }
  if (step.nextStep !== undefined) return [step.nextStep, ...onFailure];
  if (step.isEnd || next === undefined) return onFailure;
  return [next, ...onFailure];
};

/** The names of the steps an automation can run when DryRun is `dryRun`. */
const reachableSteps = (
  document: AutomationDocument,
  dryRun: boolean
): Set<string> => {
  const indexOf = new Map(document.mainSteps.map((s, i) => [s.name, i]));
  const seen = new Set<string>();
  const queue = document.mainSteps.length > 0 ? [0] : [];
  while (queue.length > 0) {
    const index = queue.shift() as number;
    const name = document.mainSteps[index]?.name;
    if (name === undefined || seen.has(name)) continue;
    seen.add(name);
    for (const target of successors(document, index, dryRun)) {
      const targetIndex = indexOf.get(target);
      if (targetIndex !== undefined) queue.push(targetIndex);
    }
  }
  return seen;
};

/** Every step name a step or branch choice jumps to. */
const jumpTargets = (document: AutomationDocument): string[] =>
  document.mainSteps.flatMap((step) => {
    const inputs = step.inputs ?? {};
    const choices = Array.isArray(inputs.Choices) ? inputs.Choices : [];
    return [
      ...(step.nextStep === undefined ? [] : [step.nextStep]),
      ...(step.onFailure?.startsWith('step:')
        ? [step.onFailure.slice('step:'.length)]
        : []),
      ...(step.action === 'aws:branch' && typeof inputs.Default === 'string'
        ? [inputs.Default]
        : []),
      ...choices.flatMap((c) =>
        isRecord(c) && typeof c.NextStep === 'string' ? [c.NextStep] : []
      ),
    ];
  });

const READ_ONLY_ACTION = /^[a-z0-9-]+:(Describe|Get|List)[A-Z]/;

// Actions that call no AWS API and change nothing.
const INERT_ACTIONS = new Set(['aws:branch', 'aws:sleep']);

/**
 * True for a step that can change something: an API step or script calling
 * anything but `Describe*`, `Get*`, `List*`, or an action this helper does
 * not know (assumed to change things).
 */
const isMutatingStep = (step: AutomationStep): boolean => {
  if (INERT_ACTIONS.has(step.action)) return false;
  const single = { mainSteps: [step] };
  if (
    API_STEP_ACTIONS.has(step.action) ||
    step.action === 'aws:executeScript'
  ) {
    return [...apiActionsOf(single), ...scriptActionsOf(single)].some(
      (action) => !READ_ONLY_ACTION.test(action)
    );
  }
  return true;
};

/** Every `{{ name }}` reference in the document's steps and assume role. */
const variableReferences = (document: AutomationDocument): string[] => {
  const found: string[] = [];
  const walk = (value: unknown, key?: string): void => {
    // Scripts are Python; their braces are not Automation variables.
    if (key === 'Script') return;
    if (typeof value === 'string') {
      for (const match of value.matchAll(PLACEHOLDER)) {
        found.push(match[1] ?? '');
      }
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item);
    } else if (isRecord(value)) {
      for (const [k, item] of Object.entries(value)) walk(item, k);
    }
  };
  walk(document.assumeRole);
  walk(document.mainSteps);
  return found;
};

/** The variables Automation itself defines. */
const SYSTEM_VARIABLES = new Set([
  'global:ACCOUNT_ID',
  'global:DATE',
  'global:DATE_TIME',
  'global:AWS_PARTITION',
  'global:REGION',
  'automation:EXECUTION_ID',
]);

/** Every `Step.Output` the document's steps define. */
const stepOutputs = (document: AutomationDocument): Set<string> =>
  new Set(
    document.mainSteps.flatMap((step) =>
      (step.outputs ?? []).map((output) => `${step.name}.${output.Name}`)
    )
  );

/** True when a reference names a parameter, a system variable or an output. */
const isDefinedVariable = (
  document: AutomationDocument,
  name: string
): boolean =>
  name in document.parameters ||
  SYSTEM_VARIABLES.has(name) ||
  stepOutputs(document).has(name);

/** A botocore model with the operations the validator needs. */
interface OperationsModel extends ServiceModel {
  readonly operations: Readonly<
    Record<string, { readonly input?: { readonly shape: string } }>
  >;
}

/**
 * Validates a value against a shape, treating every `{{ … }}` reference as
 * valid (its value only exists at run time) while checking member names,
 * required members and the literal values around it.
 */
const validateTemplated = (
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  path: string
): string[] => {
  if (isPlaceholder(value)) return [];
  const shape = model.shapes[shapeName];
  if (shape?.type === 'structure' && isRecord(value)) {
    const members = shape.members ?? {};
    return [
      ...(shape.required ?? [])
        .filter((name) => value[name] === undefined)
        .map((name) => `${path}.${name}: required`),
      ...Object.entries(value).flatMap(([key, item]) => {
        const member = members[key];
        return member
          ? validateTemplated(model, member.shape, item, `${path}.${key}`)
          : [`${path}.${key}: not a member of ${shapeName}`];
      }),
    ];
  }
  if (shape?.type === 'list' && Array.isArray(value)) {
    const element = shape.member?.shape ?? '';
    return value.flatMap((item, i) =>
      validateTemplated(model, element, item, `${path}[${i}]`)
    );
  }
  return validateShape(model, shapeName, value, path);
};

// Inputs of the assert/wait actions that are not API parameters.
const ACTION_INPUTS = new Set([
  'Service',
  'Api',
  'PropertySelector',
  'DesiredValues',
]);

/**
 * Checks an API step's inputs against the operation's input shape in the
 * botocore model: the operation exists, every input is a parameter of it,
 * required ones are there, literal values fit their shapes.
 */
const validateApiStep = (
  model: OperationsModel,
  step: AutomationStep
): string[] => {
  const inputs = step.inputs ?? {};
  const api = String(inputs.Api);
  const operation = model.operations[api];
  if (!operation) return [`${step.name}: ${api} is not an operation`];
  const parameters = Object.fromEntries(
    Object.entries(inputs).filter(([key]) => !ACTION_INPUTS.has(key))
  );
  return validateTemplated(
    model,
    operation.input?.shape ?? '',
    parameters,
    step.name
  );
};

// Runs one handler of a script with the payload read from stdin.
const PYTHON_HARNESS = [
  'import json, sys',
  'payload = json.load(sys.stdin)',
  'scope = {}',
  "exec(payload['script'], scope)",
  "print(json.dumps(scope[payload['handler']](payload['events'], None)))",
].join('\n');

/**
 * Runs the Python script of an `aws:executeScript` step with python3, as
 * Automation would call its handler, and returns what the handler returns.
 * Only for scripts that call no AWS API: nothing is mocked.
 */
const runScriptStep = (
  document: AutomationDocument,
  stepName: string,
  events: Readonly<Record<string, unknown>>
): unknown => {
  const step = document.mainSteps.find((s) => s.name === stepName);
  const inputs = step?.inputs ?? {};
  if (step?.action !== 'aws:executeScript') {
    throw new Error(`${stepName} is not an aws:executeScript step`);
  }
  const output = execFileSync('python3', ['-c', PYTHON_HARNESS], {
    input: JSON.stringify({
      script: inputs.Script,
      handler: inputs.Handler,
      events,
    }),
    encoding: 'utf8',
    // Keep a failing script's traceback in the thrown error, not the log.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return JSON.parse(output) as unknown;
};

export type { AutomationDocument, AutomationStep, OperationsModel };
export {
  isDefinedVariable,
  isMutatingStep,
  isPlaceholder,
  jumpTargets,
  loadDocument,
  reachableSteps,
  runScriptStep,
  stepOutputs,
  validateApiStep,
  variableReferences,
};
