import { InputError, VpceGuardError } from '../../rules/model/errors.js';

/**
 * An AWS call failed after the SDK's retries. It is rethrown so that Lambda
 * retries the event; it never becomes COMPLIANT or "no findings".
 */
class AwsCallError extends VpceGuardError {
  /** `ec2:DescribeRouteTables`. */
  public readonly action: string;

  public constructor(action: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AwsCallError';
    this.action = action;
  }
}

/**
 * AWS refused a call: the message names the action and the role to fix,
 * and `hint`, when given, where the call can succeed.
 */
class AccessDeniedError extends AwsCallError {
  public constructor(
    action: string,
    principal: string,
    options?: ErrorOptions & { readonly hint?: string }
  ) {
    super(
      action,
      `access denied: ${principal} may not call ${action}${options?.hint ? `; ${options.hint}` : ''}`,
      options
    );
    this.name = 'AccessDeniedError';
  }
}

/** A Config invocation event vpce-guard cannot read. */
class InvalidEventError extends InputError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidEventError';
  }
}

/** Config or Security Hub accepted the call but rejected some of its items. */
class ReportRejectedError extends VpceGuardError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ReportRejectedError';
  }
}

const ACCESS_DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthFailure',
]);

/**
 * Wraps an SDK error as an {@link AwsCallError} naming the action, or an
 * {@link AccessDeniedError} naming the action and the principal.
 *
 * @param action - `service:Operation`, as IAM spells it
 * @param principal - the role or identity that made the call, for the message
 * @param accessHint - appended to an access-denied message: where the call
 *   can succeed
 */
const toAwsCallError = (
  error: unknown,
  action: string,
  principal: string,
  accessHint?: string
): AwsCallError => {
  if (error instanceof AwsCallError) return error;
  const name = (error as { name?: string }).name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (ACCESS_DENIED_CODES.has(name)) {
    return new AccessDeniedError(action, principal, {
      cause: error,
      ...(accessHint ? { hint: accessHint } : {}),
    });
  }
  return new AwsCallError(
    action,
    `${action} failed: ${name ? `${name}: ` : ''}${message}`,
    {
      cause: error,
    }
  );
};

export {
  AccessDeniedError,
  AwsCallError,
  InputError,
  InvalidEventError,
  ReportRejectedError,
  toAwsCallError,
  VpceGuardError,
};
