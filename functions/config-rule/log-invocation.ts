import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Logger } from 'pino';

/** Lambda context as vpce-guard uses it: the invocation logger rides along. */
interface LoggedContext extends Context {
  logger?: Logger;
}

const stringField = (event: unknown, key: string): string | undefined => {
  const value = (event as Record<string, unknown> | null)?.[key];
  return typeof value === 'string' ? value : undefined;
};

/**
 * A middy middleware that gives each invocation a child logger carrying
 * `awsRequestId`, `configRuleName`, `accountId`, `region` and `ruleId`, and
 * logs a failure as `{ err }` before Lambda sees it.
 */
const logInvocation = (
  base: Logger,
  ruleId: string | undefined
): MiddlewareObj<unknown, unknown, Error, LoggedContext> => {
  const logInvocationBefore: MiddlewareObj<
    unknown,
    unknown,
    Error,
    LoggedContext
  >['before'] = (request) => {
    const ruleArn = stringField(request.event, 'configRuleArn');
    request.context.logger = base.child({
      awsRequestId: request.context.awsRequestId,
      configRuleName: stringField(request.event, 'configRuleName'),
      accountId: stringField(request.event, 'accountId'),
      region: ruleArn?.split(':')[3],
      ruleId,
    });
  };
  const logInvocationOnError: MiddlewareObj<
    unknown,
    unknown,
    Error,
    LoggedContext
  >['onError'] = (request) => {
    (request.context.logger ?? base).error(
      { err: request.error },
      'invocation failed'
    );
  };
  return { before: logInvocationBefore, onError: logInvocationOnError };
};

export type { LoggedContext };
export { logInvocation };
