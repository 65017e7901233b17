import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The base pino logger: JSON lines, errors under `err` with their stack.
 * Per-invocation children add `awsRequestId`, `configRuleName`, `accountId`,
 * `region` and `ruleId`.
 *
 * @param level - pino level name; the handler passes `LOG_LEVEL`
 * @param destination - where the lines go; stdout (which Lambda collects)
 *   unless given, e.g. the CLI's stderr for `vpce-guard invoke`, whose
 *   stdout is the JSON it prints
 */
const createLogger = (
  level = 'info',
  destination?: DestinationStream
): Logger =>
  pino(
    {
      level,
      base: { service: 'vpce-guard' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: pino.stdSerializers.err },
    },
    destination
  );

export type { Logger };
export { createLogger };
