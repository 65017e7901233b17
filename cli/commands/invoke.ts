import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { createRuleHandler } from '../../functions/config-rule/create-rule-handler.js';
import { createSdkRuleClients } from '../../functions/config-rule/sdk-clients.js';
import { readJsonFile } from '../../functions/shared/formats/json-file.js';
import { createLogger } from '../../functions/shared/logger.js';
import { findRule } from '../../rules/index.js';
import { InputError } from '../../rules/model/errors.js';
import { type CliIo, ExitCode } from '../io.js';
import { writeReport } from '../output.js';

/** Options of `vpce-guard invoke`. */
interface InvokeOptions {
  readonly rule: string;
  readonly event: string;
  readonly output?: string;
  /**
   * Import the findings even though the event is a TestMode run, which
   * otherwise imports nothing: Config emulators accept only TestMode.
   */
  readonly importFindings?: boolean;
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
 * `vpce-guard invoke --rule ID --event FILE`: runs the rule's Lambda
 * handler, built by the same factory as the deployed one
 * (functions/config-rule/create-rule-handler.ts) with the same reporters,
 * on a Config event, and prints what it sent to Config and Security Hub
 * (and, when it imported nothing, why: `securityHubSkipped`). A TestMode
 * event imports nothing unless `--import-findings` is given.
 * Its AWS clients take credentials, Region and endpoint from the standard
 * SDK configuration; its log lines go to stderr, as stdout is the JSON it
 * prints.
 */
const invoke = async (options: InvokeOptions, io: CliIo): Promise<number> => {
  const rule = findRule(options.rule);
  if (!rule)
    throw new InputError(
      `--rule: unknown rule ${JSON.stringify(options.rule)}`
    );
  const event = await readJsonFile(options.event);
  const clock = (): Date => new Date();
  const handler = createRuleHandler({
    rule,
    clients: createSdkRuleClients({
      region: undefined,
      principal: 'your credentials',
      clock,
    }),
    logger: createLogger('info', io.stderr),
    clock,
    importFindingsInTestMode: options.importFindings === true,
  });
  const result = await handler(event, lambdaContext(options.rule));
  const document = {
    trigger: result.trigger,
    config: result.sentToConfig,
    securityHub: result.sentToSecurityHub,
    ...(result.securityHubSkipped === undefined
      ? {}
      : { securityHubSkipped: result.securityHubSkipped }),
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
