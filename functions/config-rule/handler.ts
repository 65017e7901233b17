import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import middy from '@middy/core';
import { findRule } from '../../rules/index.js';
import { sdkClientConfig } from '../shared/aws/client-config.js';
import {
  assumedRoleCredentials,
  executionRoleArn,
} from '../shared/aws/credentials.js';
import { VpceGuardError } from '../shared/errors.js';
import { DEFAULT_RUNBOOK_BASE_URL } from '../shared/formats/asff.js';
import { createLogger } from '../shared/logger.js';
import { type LoggedContext, logInvocation } from './log-invocation.js';
import {
  type AccountClients,
  type AccountTarget,
  type RuleRunResult,
  runConfigRule,
} from './run-config-rule.js';

// One function per rule; infra sets RULE_ID. Clients are created once per
// container, here and nowhere else.
const RULE_ID = process.env.RULE_ID;
const FUNCTION_REGION = process.env.AWS_REGION;
// Adaptive retries and socket timeouts: see client-config.ts.
const CLIENT_CONFIG = sdkClientConfig(FUNCTION_REGION);
const FUNCTION_ROLE = 'the function role';
// Where docs/runbooks/ is published; infra sets it, findings link to it.
const RUNBOOK_BASE_URL =
  process.env.RUNBOOK_BASE_URL ?? DEFAULT_RUNBOOK_BASE_URL;
// Set by the organization deployment: events must act through this role.
const MEMBER_ROLE_NAME = process.env.MEMBER_ROLE_NAME || undefined;

const baseLogger = createLogger(
  process.env.LOG_LEVEL ?? 'info',
  process.env.VPCE_GUARD_LOG_TO_STDERR === '1'
);
const sts = new STSClient(CLIENT_CONFIG);
const ownClients: AccountClients = {
  ec2: new EC2Client(CLIENT_CONFIG),
  config: new ConfigServiceClient(CLIENT_CONFIG),
  securityHub: new SecurityHubClient(CLIENT_CONFIG),
  principal: FUNCTION_ROLE,
};
const memberClients = new Map<string, AccountClients>();

const clientsFor = async (target: AccountTarget): Promise<AccountClients> => {
  if (!target.executionRoleName) return ownClients;
  const roleArn = executionRoleArn(
    target.partition,
    target.accountId,
    target.executionRoleName
  );
  const key = `${roleArn} ${target.region}`;
  let clients = memberClients.get(key);
  if (!clients) {
    const credentials = assumedRoleCredentials(
      sts,
      roleArn,
      `vpce-guard-${RULE_ID ?? 'rule'}`,
      FUNCTION_ROLE
    );
    const config = {
      ...sdkClientConfig(target.region),
      credentials,
    };
    clients = {
      ec2: new EC2Client(config),
      config: new ConfigServiceClient(config),
      securityHub: new SecurityHubClient(config),
      principal: roleArn,
    };
    memberClients.set(key, clients);
  }
  return clients;
};

/** A deployment mistake: the function was given no rule, or an unknown one. */
class RuleNotConfiguredError extends VpceGuardError {
  public constructor(ruleId: string | undefined) {
    super(`RULE_ID ${JSON.stringify(ruleId)} names no vpce-guard rule`);
    this.name = 'RuleNotConfiguredError';
  }
}

const evaluateConfigEvent = async (
  event: unknown,
  context: LoggedContext
): Promise<RuleRunResult> => {
  const rule = RULE_ID === undefined ? undefined : findRule(RULE_ID);
  if (!rule) throw new RuleNotConfiguredError(RULE_ID);
  return runConfigRule(event, {
    rule,
    clientsFor,
    logger: context.logger ?? baseLogger,
    runbookBaseUrl: RUNBOOK_BASE_URL,
    requiredExecutionRoleName: MEMBER_ROLE_NAME,
  });
};

/**
 * The AWS Config custom-rule Lambda entry point. It returns what it sent
 * (Config ignores the value; `vpce-guard invoke` prints it).
 */
const handler = middy<unknown, RuleRunResult, Error, LoggedContext>(
  evaluateConfigEvent
).use(logInvocation(baseLogger, RULE_ID));

export { handler };
