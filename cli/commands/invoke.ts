import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { createRuleHandler } from '../../functions/config-rule/create-rule-handler.js';
import { createSdkRuleClients } from '../../functions/config-rule/sdk-clients.js';
import { parseConfigEvent } from '../../functions/shared/formats/config-event.js';
import { readJsonFile } from '../../functions/shared/formats/json-file.js';
import { createLogger } from '../../functions/shared/logger.js';
import { findRule } from '../../rules/index.js';
import { InputError } from '../../rules/model/errors.js';
import type { Rule } from '../../rules/model/rule.js';
import { type CliIo, ExitCode } from '../io.js';
import { writeReport } from '../output.js';
import {
  type DeltaEstimate,
  estimateDelta,
  type PreviousEvaluation,
  readPreviousScan,
} from '../previous-scan.js';

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
  /** An earlier `scan --format json` document: the last recorded state. */
  readonly previous?: string;
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
 * What the Lambda's delta would have skipped of what `invoke` sent, had
 * `previous` been the last recorded state.
 */
const estimateFor = (
  file: string,
  previous: readonly PreviousEvaluation[],
  rule: Rule,
  event: unknown,
  sent: Parameters<typeof estimateDelta>[3],
  now: Date
): DeltaEstimate => {
  // The handler has parsed and validated both already.
  const prepared = rule.prepare(parseConfigEvent(event).ruleParameters);
  return estimateDelta(file, previous, rule.metadata.id, sent, {
    now,
    refreshDays: prepared.parameters.refreshDays as number,
    importsFindings: prepared.parameters.securityHub !== false,
  });
};

/**
 * `vpce-guard invoke --rule ID --event FILE [--previous SCAN]`: runs the
 * rule's Lambda handler, built by the same factory as the deployed one
 * (functions/config-rule/create-rule-handler.ts) with the same reporters,
 * on a Config event, and prints what it sent to Config and Security Hub
 * (and, when it imported nothing, why: `securityHubSkipped`). A TestMode
 * event imports nothing unless `--import-findings` is given. Without a
 * table of last verdicts it sends every evaluation, as in TestMode; with
 * `--previous` it also says how many of those evaluations (and their
 * findings) the delta would have skipped. Its AWS clients take
 * credentials, Region and endpoint from the standard SDK configuration;
 * its log lines go to stderr, as stdout is the JSON it prints.
 */
const invoke = async (options: InvokeOptions, io: CliIo): Promise<number> => {
  const rule = findRule(options.rule);
  if (!rule)
    throw new InputError(
      `--rule: unknown rule ${JSON.stringify(options.rule)}`
    );
  const event = await readJsonFile(options.event);
  // Read before anything is sent: a bad file must not cost a run.
  const previous =
    options.previous === undefined
      ? undefined
      : await readPreviousScan(options.previous);
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
    ...(options.previous === undefined || previous === undefined
      ? {}
      : {
          delta: estimateFor(
            options.previous,
            previous,
            rule,
            event,
            result.evaluations,
            clock()
          ),
        }),
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
