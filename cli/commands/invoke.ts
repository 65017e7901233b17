import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { readJsonFile } from '../../functions/shared/formats/json-file.js';
import { findRule } from '../../rules/index.js';
import { InputError } from '../../rules/model/errors.js';
import { type CliIo, ExitCode } from '../io.js';
import { writeReport } from '../output.js';

/** Options of `vpce-guard invoke`. */
interface InvokeOptions {
  readonly rule: string;
  readonly event: string;
  readonly output?: string;
}

const lambdaContext = (ruleId: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: `vpce-guard-${ruleId}`,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:vpce-guard-${ruleId}`,
  memoryLimitInMB: '512',
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/vpce-guard-${ruleId}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 900_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/**
 * `vpce-guard invoke --rule ID --event FILE`: runs the Lambda handler itself
 * (same module, same reporters), with the rule's function environment
 * (`RULE_ID`), on a Config event, and prints what it sent to Config and
 * Security Hub.
 */
const invoke = async (options: InvokeOptions, io: CliIo): Promise<number> => {
  if (!findRule(options.rule))
    throw new InputError(
      `--rule: unknown rule ${JSON.stringify(options.rule)}`
    );
  const event = await readJsonFile(options.event);
  // The handler reads its rule from the environment at import, as in Lambda.
  process.env.RULE_ID = options.rule;
  // Its stdout is the JSON printed here; the handler's log lines go to stderr.
  process.env.VPCE_GUARD_LOG_TO_STDERR = '1';
  const { handler } = await import('../../functions/config-rule/handler.js');
  const result = await handler(event, lambdaContext(options.rule));
  const document = {
    trigger: result.trigger,
    config: result.sentToConfig,
    securityHub: result.sentToSecurityHub,
  };
  await writeReport(
    `${JSON.stringify(document, null, 2)}\n`,
    options.output,
    io
  );
  return result.evaluations.some((e) => e.complianceType === 'NON_COMPLIANT')
    ? ExitCode.NON_COMPLIANT
    : ExitCode.CLEAN;
};

export type { InvokeOptions };
export { invoke };
