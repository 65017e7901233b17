import { findRule } from '../../rules/index.js';
import { createLogger } from '../shared/logger.js';
import {
  createRuleHandler,
  createUnconfiguredHandler,
  type RuleHandler,
} from './create-rule-handler.js';
import { createSdkRuleClients, createVerdictTable } from './sdk-clients.js';

// The function's environment, read once at cold start: infra deploys one
// function per rule from this entry and tells it which one in RULE_ID.
const RULE_ID = process.env.RULE_ID;
const LOG_LEVEL = process.env.LOG_LEVEL;
// Where the repository is published; findings link to rules/<id>/runbook.md under it.
const RUNBOOK_BASE_URL = process.env.RUNBOOK_BASE_URL;
// Set by the organization deployment: events must act through this role.
const MEMBER_ROLE_NAME = process.env.MEMBER_ROLE_NAME || undefined;
// The table of last verdicts (infra/verdict-table.ts); unset sends everything.
const VERDICT_TABLE_NAME = process.env.VERDICT_TABLE_NAME || undefined;

const clock = (): Date => new Date();
const logger = createLogger();
const rule = RULE_ID === undefined ? undefined : findRule(RULE_ID);

/**
 * The AWS Config custom-rule Lambda entry point. Its SDK clients are
 * created here, once per container, and nowhere else; a `RULE_ID` that
 * names no rule fails every invocation with RuleNotConfiguredError, logged.
 */
const handler: RuleHandler = rule
  ? createRuleHandler({
      rule,
      clients: createSdkRuleClients({
        region: process.env.AWS_REGION,
        principal: 'the function role',
        clock,
      }),
      logger,
      clock,
      logLevel: LOG_LEVEL,
      runbookBaseUrl: RUNBOOK_BASE_URL,
      requiredMemberRoleName: MEMBER_ROLE_NAME,
      verdictTable: createVerdictTable(
        VERDICT_TABLE_NAME,
        process.env.AWS_REGION,
        'the function role'
      ),
    })
  : createUnconfiguredHandler(RULE_ID, logger);

export { handler };
