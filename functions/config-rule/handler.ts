import { findRule } from '../../rules/index.js';
import { createLogger } from '../shared/logger.js';
import {
  createRuleHandler,
  createUnconfiguredHandler,
  type RuleHandler,
} from './create-rule-handler.js';
import { createOrganizationGuard } from './organization-guard.js';
import {
  createSdkOrganizationReader,
  createSdkRuleClients,
  createVerdictTable,
} from './sdk-clients.js';

// The function's environment, read once at cold start: infra deploys one
// function per rule from this entry and tells it which one in RULE_ID.
const RULE_ID = process.env.RULE_ID;
const LOG_LEVEL = process.env.LOG_LEVEL;
// Where the repository is published; findings link to rules/<id>/runbook.md
// under it. Unset (the default), they link to the rule's SSM document.
const RUNBOOK_BASE_URL = process.env.RUNBOOK_BASE_URL || undefined;
// Set by the organization deployment: events must act through this role.
const MEMBER_ROLE_NAME = process.env.MEMBER_ROLE_NAME || undefined;
// Set by the organization deployment when context organizationId pins it.
const ORGANIZATION_ID = process.env.ORGANIZATION_ID || undefined;
// The table of last verdicts (infra/verdict-table.ts); unset sends everything.
const VERDICT_TABLE_NAME = process.env.VERDICT_TABLE_NAME || undefined;
const REGION = process.env.AWS_REGION;
const PRINCIPAL = 'the function role';

const clock = (): Date => new Date();
const logger = createLogger();
const rule = RULE_ID === undefined ? undefined : findRule(RULE_ID);
// Organization functions serve only the organization's accounts.
const organizationGuard =
  MEMBER_ROLE_NAME === undefined
    ? undefined
    : createOrganizationGuard({
        readOrganization: createSdkOrganizationReader({
          region: REGION,
          principal: PRINCIPAL,
        }),
        clock,
        pinnedOrganizationId: ORGANIZATION_ID,
      });

/**
 * The AWS Config custom-rule Lambda entry point. Its SDK clients are
 * created here, once per container, and nowhere else; a `RULE_ID` that
 * names no rule fails every invocation with RuleNotConfiguredError, logged.
 */
const handler: RuleHandler = rule
  ? createRuleHandler({
      rule,
      clients: createSdkRuleClients({
        region: REGION,
        principal: PRINCIPAL,
        clock,
      }),
      logger,
      clock,
      logLevel: LOG_LEVEL,
      runbookBaseUrl: RUNBOOK_BASE_URL,
      requiredMemberRoleName: MEMBER_ROLE_NAME,
      organizationGuard,
      verdictTable: createVerdictTable(VERDICT_TABLE_NAME, REGION, PRINCIPAL),
    })
  : createUnconfiguredHandler(RULE_ID, logger);

export { handler };
