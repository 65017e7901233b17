/**
 * The rule handler factory: one handler per rule, everything injected (no
 * environment), and the state of one container — member-account clients,
 * the Security Hub UpdatedAt memo, the parameter warnings already given —
 * kept in the handler, never shared between two of them.
 */
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { Route53Client } from '@aws-sdk/client-route-53';
import {
  BatchImportFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from '@jest/globals';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import pino, { type Logger } from 'pino';
import { scheduledNotification } from '../../../bench/config-events.js';
import {
  createRuleHandler,
  createUnconfiguredHandler,
  type MemberRoleRequest,
  type RuleHandlerClients,
  type RuleHandlerOptions,
  RuleNotConfiguredError,
} from '../../../functions/config-rule/create-rule-handler.js';
import { createOrganizationGuard } from '../../../functions/config-rule/organization-guard.js';
import type { AccountClients } from '../../../functions/config-rule/run-config-rule.js';
import {
  createSdkOrganizationReader,
  createSdkRuleClients,
} from '../../../functions/config-rule/sdk-clients.js';
import { serveSnapshot } from '../../helpers/ec2-mock.js';
import {
  endpoint,
  route,
  routeTable,
  ruleNamed,
  securityGroup,
  serviceDetail,
  snapshot,
  subnet,
} from '../../helpers/factories.js';

const ec2 = mockClient(EC2Client);
const config = mockClient(ConfigServiceClient);
const securityHub = mockClient(SecurityHubClient);
const sts = mockClient(STSClient);
const organizations = mockClient(OrganizationsClient);

const ACCOUNT = '111122223333';
/** The injected clock: frozen, so two imports fall in one millisecond. */
const NOW = new Date('2026-11-23T11:00:00.000Z');
const clock = () => NOW;

/** One VPC: two NAT-only private subnets and an open single-AZ ssm endpoint. */
const landscape = () =>
  snapshot({
    Subnets: [subnet('subnet-a'), subnet('subnet-b', { az: 'az2' })],
    RouteTables: [
      routeTable('rtb-1', {
        main: true,
        routes: [route.cidr('0.0.0.0/0', { NatGatewayId: 'nat-1' })],
      }),
    ],
    VpcEndpoints: [endpoint('vpce-ssm', { subnets: ['subnet-a'] })],
    ServiceDetails: [serviceDetail('ssm', ['Interface'])],
    SecurityGroups: [securityGroup('sg-1')],
  });

/** A periodic Config event for `ruleId`, with these rule parameters. */
const periodic = (ruleId: string, parameters: unknown = {}) => ({
  version: '1.0',
  invokingEvent: JSON.stringify(
    scheduledNotification(ACCOUNT, '2026-11-23T10:00:00.000Z')
  ),
  ruleParameters: JSON.stringify(parameters),
  resultToken: 'token-1',
  eventLeftScope: false,
  executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/config-role`,
  configRuleArn: `arn:aws:config:us-east-1:${ACCOUNT}:config-rule/config-rule-abc123`,
  configRuleName: `vpce-guard-${ruleId}`,
  configRuleId: 'config-rule-abc123',
  accountId: ACCOUNT,
});

const lambdaContext = (requestId: string): Context =>
  ({ awsRequestId: requestId }) as Context;

const accountClients = (principal: string): AccountClients => ({
  ec2: new EC2Client({ region: 'us-east-1' }),
  config: new ConfigServiceClient({ region: 'us-east-1' }),
  securityHub: new SecurityHubClient({ region: 'us-east-1' }),
  route53: new Route53Client({ region: 'us-east-1' }),
  principal,
});

/** Clients whose member-role requests are recorded. */
const recordingClients = (
  requests: MemberRoleRequest[] = []
): RuleHandlerClients => ({
  own: accountClients('the function role'),
  forMemberRole: (request) => {
    requests.push(request);
    return accountClients(request.roleArn);
  },
});

/** A logger whose lines are collected, parsed. */
const collectingLogger = (): {
  logger: Logger;
  lines: Record<string, unknown>[];
} => {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    }
  );
  return { logger, lines };
};

const handlerFor = (
  ruleId: string,
  overrides: Partial<RuleHandlerOptions> = {}
) =>
  createRuleHandler({
    rule: ruleNamed(ruleId),
    clients: recordingClients(),
    logger: pino({ level: 'silent' }),
    clock,
    ...overrides,
  });

const sentEvaluations = () =>
  config
    .commandCalls(PutEvaluationsCommand)
    .flatMap((call) => call.args[0].input.Evaluations ?? []);

const importedFindings = () =>
  securityHub
    .commandCalls(BatchImportFindingsCommand)
    .flatMap((call) => call.args[0].input.Findings ?? []);

beforeEach(() => {
  ec2.reset();
  config.reset();
  securityHub.reset();
  sts.reset();
  organizations.reset();
  serveSnapshot(ec2, landscape());
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  config
    .on(GetComplianceDetailsByConfigRuleCommand)
    .resolves({ EvaluationResults: [] });
  securityHub
    .on(BatchImportFindingsCommand)
    .resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
});

describe('createRuleHandler', () => {
  it('runs two rules in one process, one after the other, each with its own evaluations', async () => {
    // Arrange
    const multiAz = handlerFor('interface-endpoint-multi-az');
    const gateway = handlerFor('private-subnet-gateway-endpoints');

    // Act
    const first = await multiAz(
      periodic('interface-endpoint-multi-az'),
      lambdaContext('request-1')
    );
    const afterFirst = sentEvaluations().length;
    const second = await gateway(
      periodic('private-subnet-gateway-endpoints'),
      lambdaContext('request-2')
    );

    // Assert
    expect(first.evaluations.map((e) => [e.ruleId, e.resourceId])).toEqual([
      ['interface-endpoint-multi-az', 'vpce-ssm'],
    ]);
    expect(second.evaluations.map((e) => [e.ruleId, e.resourceId])).toEqual([
      ['private-subnet-gateway-endpoints', 'subnet-a'],
      ['private-subnet-gateway-endpoints', 'subnet-b'],
    ]);
    expect(
      sentEvaluations()
        .slice(afterFirst)
        .map((e) => [e.ComplianceResourceType, e.ComplianceResourceId])
    ).toEqual([
      ['AWS::EC2::Subnet', 'subnet-a'],
      ['AWS::EC2::Subnet', 'subnet-b'],
    ]);
  });

  it('stamps the findings with the injected clock', async () => {
    // Act
    await handlerFor('interface-endpoint-multi-az')(
      periodic('interface-endpoint-multi-az'),
      lambdaContext('request-1')
    );

    // Assert
    expect(importedFindings()).toEqual([
      expect.objectContaining({
        CreatedAt: NOW.toISOString(),
        UpdatedAt: NOW.toISOString(),
        FirstObservedAt: NOW.toISOString(),
      }),
    ]);
  });

  it('keeps UpdatedAt increasing across the invocations of one handler, and apart from another handler', async () => {
    // Arrange
    const event = periodic('interface-endpoint-multi-az');
    const container = handlerFor('interface-endpoint-multi-az');
    const another = handlerFor('interface-endpoint-multi-az');

    // Act: three imports of the same finding in one (frozen) millisecond
    await container(event, lambdaContext('request-1'));
    await container(event, lambdaContext('request-2'));
    await another(event, lambdaContext('request-3'));

    // Assert
    expect(importedFindings().map((f) => f.UpdatedAt)).toEqual([
      NOW.toISOString(),
      new Date(NOW.getTime() + 1).toISOString(),
      NOW.toISOString(),
    ]);
  });

  it('builds the clients of a member role once per role and Region, and acts through them', async () => {
    // Arrange
    const requests: MemberRoleRequest[] = [];
    const handler = handlerFor('interface-endpoint-multi-az', {
      clients: recordingClients(requests),
    });
    const event = periodic('interface-endpoint-multi-az', {
      ExecutionRoleName: 'VpceGuardMember',
    });

    // Act
    const first = await handler(event, lambdaContext('request-1'));
    await handler(event, lambdaContext('request-2'));

    // Assert
    expect(requests).toEqual([
      {
        roleArn: `arn:aws:iam::${ACCOUNT}:role/VpceGuardMember`,
        region: 'us-east-1',
        sessionName: 'vpce-guard-interface-endpoint-multi-az',
      },
    ]);
    expect(first.evaluations).toHaveLength(1);
  });

  it('uses the own clients when the event names no member role', async () => {
    // Arrange
    const requests: MemberRoleRequest[] = [];

    // Act
    await handlerFor('interface-endpoint-multi-az', {
      clients: recordingClients(requests),
    })(periodic('interface-endpoint-multi-az'), lambdaContext('request-1'));

    // Assert
    expect(requests).toEqual([]);
    expect(sentEvaluations()).toHaveLength(1);
  });

  it('refuses an event without the required member role before any AWS call', async () => {
    // Arrange
    const handler = handlerFor('interface-endpoint-multi-az', {
      requiredMemberRoleName: 'VpceGuardMember',
    });

    // Act and Assert
    await expect(
      handler(periodic('interface-endpoint-multi-az'), lambdaContext('r'))
    ).rejects.toThrow('acts only through the member role "VpceGuardMember"');
    expect([...ec2.calls(), ...config.calls()]).toEqual([]);
  });

  it('links the findings to the runbooks under the given base URL', async () => {
    // Act
    await handlerFor('interface-endpoint-multi-az', {
      runbookBaseUrl: 'https://github.com/acme/vpce-guard/blob/main',
    })(periodic('interface-endpoint-multi-az'), lambdaContext('request-1'));

    // Assert
    expect(importedFindings()[0]?.Remediation?.Recommendation?.Url).toBe(
      'https://github.com/acme/vpce-guard/blob/main/rules/interface-endpoint-multi-az/runbook.md'
    );
  });

  it('warns once per container about each parameter the rule ignores', async () => {
    // Arrange
    const { logger, lines } = collectingLogger();
    const handler = handlerFor('interface-endpoint-multi-az', { logger });
    const event = periodic('interface-endpoint-multi-az', {
      colour: 'blue',
      ExecutionRoleRegion: 'us-east-1',
      minAzs: '1',
    });

    // Act
    await handler(event, lambdaContext('request-1'));
    await handler(event, lambdaContext('request-2'));
    await handlerFor('interface-endpoint-multi-az', { logger })(
      event,
      lambdaContext('request-3')
    );

    // Assert: once for this handler, once for the other one
    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings).toEqual([
      expect.objectContaining({
        msg: 'ignored a rule parameter the rule does not take',
        parameter: 'colour',
        known: ['minAzs', 'securityHub', 'exemptTagKey', 'refreshDays'],
        awsRequestId: 'request-1',
        ruleId: 'interface-endpoint-multi-az',
      }),
      expect.objectContaining({
        parameter: 'colour',
        awsRequestId: 'request-3',
      }),
    ]);
  });

  it('fails a parameter typo with the name meant, logged, before any AWS call', async () => {
    // Arrange
    const { logger, lines } = collectingLogger();

    // Act
    const run = handlerFor('interface-endpoint-multi-az', { logger })(
      periodic('interface-endpoint-multi-az', { minAZs: '3' }),
      lambdaContext('request-1')
    );

    // Assert
    await expect(run).rejects.toThrow(
      'interface-endpoint-multi-az: unknown parameter minAZs — did you mean minAzs?'
    );
    expect(lines).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'invocation failed',
        err: expect.objectContaining({ type: 'InvalidParameterError' }),
      }),
    ]);
    expect(ec2.calls()).toEqual([]);
  });

  it('logs at the level it is given', async () => {
    // Arrange
    const { logger, lines } = collectingLogger();

    // Act
    await handlerFor('interface-endpoint-multi-az', {
      logger,
      logLevel: 'warn',
    })(periodic('interface-endpoint-multi-az'), lambdaContext('request-1'));

    // Assert: the info line 'evaluations reported' is not written
    expect(lines.map((line) => line.msg)).toEqual([]);
  });
});

describe('createRuleHandler in an organization deployment', () => {
  const OUTSIDER = '999999999999';

  /**
   * The handler as handler.ts builds it, over mocked SDK clients. The
   * member-role requests are recorded with the clients they got: the
   * SDK mocks answer before credentials are resolved, so a test resolves
   * them itself to see the STS call they cost.
   */
  const organizationHandler = (logger: Logger = pino({ level: 'silent' })) => {
    const sdk = createSdkRuleClients({
      region: 'us-east-1',
      principal: 'the function role',
      clock,
    });
    const memberClients: AccountClients[] = [];
    const handler = createRuleHandler({
      rule: ruleNamed('interface-endpoint-multi-az'),
      clients: {
        own: sdk.own,
        forMemberRole: (request) => {
          const clients = sdk.forMemberRole(request);
          memberClients.push(clients);
          return clients;
        },
      },
      logger,
      clock,
      requiredMemberRoleName: 'VpceGuardMember',
      organizationGuard: createOrganizationGuard({
        readOrganization: createSdkOrganizationReader({
          region: 'us-east-1',
          principal: 'the function role',
        }),
        clock,
      }),
    });
    return { handler, memberClients };
  };

  /** A periodic event from `account`, through the member role. */
  const memberEvent = (account: string) => {
    const event = periodic('interface-endpoint-multi-az', {
      ExecutionRoleName: 'VpceGuardMember',
    });
    return {
      ...event,
      invokingEvent: event.invokingEvent.replace(ACCOUNT, account),
      configRuleArn: event.configRuleArn.replace(ACCOUNT, account),
      accountId: account,
    };
  };

  beforeEach(() => {
    organizations.on(DescribeOrganizationCommand).resolves({
      Organization: { Id: 'o-a1b2c3d4e5' },
    });
    organizations.on(ListAccountsCommand).resolves({
      Accounts: [{ Id: ACCOUNT, State: 'ACTIVE' }],
    });
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAMEMBER',
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(NOW.getTime() + 15 * 60 * 1000),
      },
    });
  });

  it('refuses an event from an account outside the organization without any STS call, logged and counted', async () => {
    // Arrange
    const { logger, lines } = collectingLogger();

    const { handler, memberClients } = organizationHandler(logger);

    // Act
    const result = await handler(
      memberEvent(OUTSIDER),
      lambdaContext('request-1')
    );

    // Assert: the organization was read; no member credentials were even
    // asked for, so STS was never called; nothing else was called
    expect(organizations.commandCalls(ListAccountsCommand)).toHaveLength(1);
    expect(memberClients).toEqual([]);
    expect(sts.calls()).toEqual([]);
    expect([...ec2.calls(), ...config.calls(), ...securityHub.calls()]).toEqual(
      []
    );
    expect(result).toEqual({
      trigger: 'periodic',
      evaluations: [],
      sentToConfig: [],
      sentToSecurityHub: [],
      delta: { priorState: 'unused', sent: 0, skipped: 0, reasons: {} },
      refused: {
        reason: 'account-outside-organization',
        accountId: OUTSIDER,
        organizationId: 'o-a1b2c3d4e5',
      },
    });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'refused an event from an account outside the organization',
        refusal: 'account-outside-organization',
        refusedAccountId: OUTSIDER,
        organizationId: 'o-a1b2c3d4e5',
        accountId: OUTSIDER,
        awsRequestId: 'request-1',
      }),
    ]);
  });

  it('assumes the member role of an account of the organization and evaluates it', async () => {
    // Arrange
    const { handler, memberClients } = organizationHandler();

    // Act
    const result = await handler(
      memberEvent(ACCOUNT),
      lambdaContext('request-1')
    );
    const [member] = memberClients;
    await member?.ec2.config.credentials();

    // Assert
    expect(memberClients).toHaveLength(1);
    expect(
      sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)
    ).toEqual([
      {
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/VpceGuardMember`,
        RoleSessionName: 'vpce-guard-interface-endpoint-multi-az',
        DurationSeconds: 900,
      },
    ]);
    expect(result.refused).toBeUndefined();
    expect(result.evaluations).toHaveLength(1);
  });

  it('fails the event when the organization cannot be read, before any STS call', async () => {
    // Arrange
    organizations.on(ListAccountsCommand).rejects(
      Object.assign(new Error('throttled'), {
        name: 'AccessDeniedException',
      })
    );

    const { handler, memberClients } = organizationHandler();

    // Act
    const run = handler(memberEvent(ACCOUNT), lambdaContext('request-1'));

    // Assert
    await expect(run).rejects.toThrow(
      'access denied: the function role may not call organizations:ListAccounts'
    );
    expect(memberClients).toEqual([]);
    expect(sts.calls()).toEqual([]);
    expect(config.calls()).toEqual([]);
  });
});

describe('createUnconfiguredHandler', () => {
  it('fails every invocation with RuleNotConfiguredError, logged', async () => {
    // Arrange
    const { logger, lines } = collectingLogger();
    const handler = createUnconfiguredHandler('no-such-rule', logger);

    // Act
    const run = handler(
      periodic('interface-endpoint-multi-az'),
      lambdaContext('request-1')
    );

    // Assert
    await expect(run).rejects.toThrow(RuleNotConfiguredError);
    await expect(run).rejects.toThrow(
      'RULE_ID "no-such-rule" names no vpce-guard rule'
    );
    expect(lines).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'invocation failed',
        ruleId: 'no-such-rule',
      }),
    ]);
  });
});

describe('createSdkRuleClients', () => {
  it('gives a member role clients in its Region that assume it through STS on first use', async () => {
    // Arrange
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAMEMBER',
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(NOW.getTime() + 15 * 60 * 1000),
      },
    });
    const clients = createSdkRuleClients({
      region: 'us-east-1',
      principal: 'the function role',
      clock,
    });
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/VpceGuardMember`;

    // Act
    const member = clients.forMemberRole({
      roleArn,
      region: 'eu-west-1',
      sessionName: 'vpce-guard-interface-endpoint-multi-az',
    });
    const assumedBeforeUse = sts.commandCalls(AssumeRoleCommand).length;
    const credentials = await member.ec2.config.credentials();

    // Assert
    expect(assumedBeforeUse).toBe(0);
    expect(credentials.accessKeyId).toBe('ASIAMEMBER');
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: roleArn,
      RoleSessionName: 'vpce-guard-interface-endpoint-multi-az',
      DurationSeconds: 900,
    });
    expect(await member.securityHub.config.region()).toBe('eu-west-1');
    expect(member.principal).toBe(roleArn);
    expect(clients.own.principal).toBe('the function role');
    expect(await clients.own.config.config.region()).toBe('us-east-1');
  });
});
