import { readJsonFile } from '../functions/shared/formats/json-file.js';
import { findRule, rules } from '../rules/index.js';
import { InputError } from '../rules/model/errors.js';
import type { PreparedRule, Rule } from '../rules/model/rule.js';

/** Parameters per rule id, as in `--rule-params FILE`. */
type RuleParameterFile = Readonly<Record<string, unknown>>;

/**
 * The rules named by `--rules id,id`, in registry order; all rules when
 * the option is absent.
 *
 * @throws InputError naming an unknown rule id
 */
const selectRules = (ids: string | undefined): Rule[] => {
  if (ids === undefined) return [...rules];
  const wanted = ids
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (wanted.length === 0)
    throw new InputError('--rules: expected at least one rule id');
  for (const id of wanted) {
    if (!findRule(id)) {
      throw new InputError(
        `--rules: unknown rule ${JSON.stringify(id)} (known: ${rules.map((r) => r.metadata.id).join(', ')})`
      );
    }
  }
  return rules.filter((rule) => wanted.includes(rule.metadata.id));
};

/**
 * Reads `--rule-params FILE`: a JSON object keyed by rule id, each value the
 * rule's Config `InputParameters` object.
 *
 * @throws InputError naming the file and the offending key
 */
const readRuleParameters = async (file: string): Promise<RuleParameterFile> => {
  const value = await readJsonFile(file);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${file}: expected a JSON object keyed by rule id`);
  }
  for (const [id, params] of Object.entries(value)) {
    if (!findRule(id)) throw new InputError(`${file}: ${id}: not a rule id`);
    if (
      typeof params !== 'object' ||
      params === null ||
      Array.isArray(params)
    ) {
      throw new InputError(
        `${file}: ${id}: expected an object of rule parameters`
      );
    }
  }
  return value as RuleParameterFile;
};

/**
 * Validates each selected rule's parameters before anything is loaded.
 *
 * @throws InvalidParameterError naming the rule and the parameter, or the
 *   unknown name and the parameter it is a typo of
 */
const prepareRules = (
  selected: readonly Rule[],
  parameters: RuleParameterFile
): PreparedRule[] =>
  selected.map((rule) => rule.prepare(parameters[rule.metadata.id]));

/**
 * One warning line per parameter name a rule ignores (neither its own, nor
 * added by Config tooling, nor a near miss of either, which
 * {@link prepareRules} refuses), for stderr: a name nothing reads is most
 * likely a mistake, yet one a Config rule would run with.
 */
const ignoredParameterWarnings = (
  prepared: readonly PreparedRule[]
): string[] =>
  prepared.flatMap((rule) =>
    rule.ignoredParameters.map(
      (name) =>
        `vpce-guard: warning: ${rule.metadata.id}: unknown parameter ${name} ignored (its parameters: ${rule.metadata.parameters.map((spec) => spec.name).join(', ')})`
    )
  );

export type { RuleParameterFile };
export {
  ignoredParameterWarnings,
  prepareRules,
  readRuleParameters,
  selectRules,
};
