import pino, { type Logger } from 'pino';

/**
 * The base pino logger: JSON lines, errors under `err` with their stack.
 * Per-invocation children add `awsRequestId`, `configRuleName`, `accountId`,
 * `region` and `ruleId`.
 *
 * @param level - pino level name; the handler passes `LOG_LEVEL`
 * @param toStderr - log to stderr (for `vpce-guard invoke`, whose stdout is
 *   the JSON it prints); Lambda collects stdout
 */
const createLogger = (level = 'info', toStderr = false): Logger =>
  pino(
    {
      level,
      base: { service: 'vpce-guard' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: pino.stdSerializers.err },
    },
    toStderr ? pino.destination(2) : undefined
  );

export type { Logger };
export { createLogger };
