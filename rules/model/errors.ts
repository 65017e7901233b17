/**
 * Base class of every error vpce-guard raises on purpose.
 *
 * Callers branch on the subclass: input and parameter errors are the user's
 * to fix (the CLI exits 2, the Lambda fails without retrying forever on a
 * typo), AWS errors are rethrown so that Lambda retries the event. Every
 * subclass keeps the original error as `cause`.
 */
class VpceGuardError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'VpceGuardError';
  }
}

/**
 * The inventory (a snapshot file or what the EC2 API returned) is not what
 * the rules need: malformed JSON, a missing key, a wrong type, or a
 * reference to a resource that is not in it.
 */
class InputError extends VpceGuardError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InputError';
  }
}

/**
 * A rule parameter has a value the rule cannot use. The message names the
 * parameter and what was expected; a rule never guesses.
 */
class InvalidParameterError extends VpceGuardError {
  public readonly parameter: string;

  public constructor(
    parameter: string,
    message: string,
    options?: ErrorOptions
  ) {
    super(message, options);
    this.name = 'InvalidParameterError';
    this.parameter = parameter;
  }
}

export { InputError, InvalidParameterError, VpceGuardError };
