/**
 * Findings in Security Hub (moto): the handler leaves one finding per
 * resource and rule, readable with GetFindings, and a resource fixed in the
 * landscape turns its finding ARCHIVED on the next run. A TestMode run
 * (`vpce-guard invoke` on the bundled events) imports nothing, unless
 * `--import-findings` asks for it.
 */

import { readFileSync } from 'node:fs';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import {
  AuthorizeSecurityGroupIngressCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import {
  EnableSecurityHubCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { scheduledNotification } from '../../bench/config-events.js';
import { runConfigRule } from '../../functions/config-rule/run-config-rule.js';
import { createLogger } from '../../functions/shared/logger.js';
import { UpdatedAtMemo } from '../../functions/shared/report/securityhub-reporter.js';
import { runCli, writeTemp } from '../helpers/cli.js';
import { ruleNamed } from '../helpers/factories.js';
import { buildLandscape, type Landscape } from './helpers/landscape.js';
import { resetMoto } from './helpers/moto.js';

const ACCOUNT = '123456789012';
const RULE = 'interface-endpoint-https-ingress';

const periodicEvent = () => ({
  version: '1.0',
  invokingEvent: JSON.stringify(
    scheduledNotification(ACCOUNT, new Date().toISOString())
  ),
  ruleParameters: '{}',
  resultToken: 'TESTMODE',
  eventLeftScope: false,
  configRuleArn: `arn:aws:config:us-east-1:${ACCOUNT}:config-rule/config-rule-abc123`,
  configRuleName: 'vpce-guard-https-ingress',
  configRuleId: 'config-rule-abc123',
  accountId: ACCOUNT,
});

const securityHub = new SecurityHubClient({});
// One container runs every event of this file.
const updatedAt = new UpdatedAtMemo();

const runRule = async () => {
  return runConfigRule(periodicEvent(), {
    rule: ruleNamed(RULE),
    logger: createLogger('silent'),
    runbookBaseUrl: 'https://runbooks.example.test',
    // The event is a TestMode run: moto's Config accepts nothing else.
    importFindingsInTestMode: true,
    clock: () => new Date(),
    updatedAt,
    clientsFor: async () => ({
      ec2: new EC2Client({}),
      route53: new Route53Client({}),
      config: new ConfigServiceClient({}),
      securityHub,
      principal: 'moto',
    }),
  });
};

const vpceGuardFindings = async () => {
  const { Findings = [] } = await securityHub.send(
    new GetFindingsCommand({
      Filters: {
        GeneratorId: [{ Comparison: 'PREFIX', Value: `vpce-guard/${RULE}` }],
      },
    })
  );
  return Findings;
};

describe('Security Hub findings against moto', () => {
  let landscape: Landscape;

  beforeAll(async () => {
    await resetMoto();
    await securityHub.send(new EnableSecurityHubCommand({}));
    landscape = await buildLandscape(new EC2Client({}), {
      vpcs: [
        {
          name: 'app',
          privateSubnets: 2,
          interfaceEndpoints: [
            { service: 'ssm', azs: [0, 1] },
            { service: 'sts', azs: [0, 1], httpsFromVpc: false },
          ],
        },
      ],
    });
  });

  it('leaves one finding per resource and rule, readable with GetFindings', async () => {
    // Act
    const result = await runRule();
    const findings = await vpceGuardFindings();

    // Assert
    expect(findings.map((f) => f.Id).sort()).toEqual(
      result.evaluations
        .map((e) => `vpce-guard/${RULE}/us-east-1/${e.resourceId}`)
        .sort()
    );
    const [, sts] = landscape.vpc('app').interfaceEndpoints;
    const failing = findings.find((f) =>
      f.Id?.endsWith(sts?.vpcEndpointId ?? '-')
    );
    expect(failing?.Compliance?.Status).toBe('FAILED');
    expect(failing?.RecordState).toBe('ACTIVE');
  });

  it('archives the finding of a resource fixed since the last run', async () => {
    // Arrange: admit HTTPS from the VPC on the failing endpoint's group
    const vpc = landscape.vpc('app');
    const [, sts] = vpc.interfaceEndpoints;
    await new EC2Client({}).send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: sts?.securityGroupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            IpRanges: [{ CidrIp: vpc.cidr }],
          },
        ],
      })
    );

    // Act
    await runRule();
    const findings = await vpceGuardFindings();

    // Assert
    const fixed = findings.filter((f) =>
      f.Id?.endsWith(sts?.vpcEndpointId ?? '-')
    );
    expect(fixed).toHaveLength(1);
    expect(fixed[0]?.Compliance?.Status).toBe('PASSED');
    expect(fixed[0]?.RecordState).toBe('ARCHIVED');
  });
});

describe('vpce-guard invoke against moto', () => {
  const INVOKED = 'interface-endpoint-multi-az';

  /** The bundled periodic event (TESTMODE), for moto's account. */
  const bundledEvent = (): string =>
    writeTemp(
      'periodic.json',
      readFileSync('examples/events/periodic.json', 'utf8').replaceAll(
        '111122223333',
        ACCOUNT
      )
    );

  const findingsOf = async (ruleId: string) => {
    const { Findings = [] } = await securityHub.send(
      new GetFindingsCommand({
        Filters: {
          GeneratorId: [
            { Comparison: 'EQUALS', Value: `vpce-guard/${ruleId}` },
          ],
        },
      })
    );
    return Findings;
  };

  beforeAll(async () => {
    await resetMoto();
    await securityHub.send(new EnableSecurityHubCommand({}));
    await buildLandscape(new EC2Client({}), {
      vpcs: [
        {
          name: 'app',
          privateSubnets: 2,
          interfaceEndpoints: [{ service: 'ssm', azs: [0] }],
        },
      ],
    });
  });

  it('leaves GetFindings empty for a TESTMODE event and says why', async () => {
    // Act
    const result = await runCli(
      'invoke',
      '--rule',
      INVOKED,
      '--event',
      bundledEvent()
    );
    const findings = await findingsOf(INVOKED);

    // Assert
    expect(result.status).toBe(1);
    const printed = JSON.parse(result.stdout) as {
      config: { TestMode: boolean }[];
      securityHub: unknown[];
      securityHubSkipped?: string;
    };
    expect(printed.config[0]?.TestMode).toBe(true);
    expect(printed.securityHub).toEqual([]);
    expect(printed.securityHubSkipped).toMatch(/^TestMode /u);
    expect(findings).toEqual([]);
  });

  it('imports the findings with --import-findings, one per evaluated resource', async () => {
    // Act
    const result = await runCli(
      'invoke',
      '--rule',
      INVOKED,
      '--event',
      bundledEvent(),
      '--import-findings'
    );
    const findings = await findingsOf(INVOKED);

    // Assert
    const printed = JSON.parse(result.stdout) as {
      config: { Evaluations: { ComplianceResourceId: string }[] }[];
    };
    const evaluated = printed.config.flatMap((batch) =>
      batch.Evaluations.map((e) => e.ComplianceResourceId)
    );
    expect(evaluated.length).toBeGreaterThan(0);
    expect(findings.map((f) => f.Id).sort()).toEqual(
      evaluated.map((id) => `vpce-guard/${INVOKED}/us-east-1/${id}`).sort()
    );
    for (const finding of findings) {
      expect(finding.Remediation?.Recommendation?.Url).toBe(
        'https://us-east-1.console.aws.amazon.com/systems-manager/documents/VpceGuard-InterfaceEndpointMultiAz/description?region=us-east-1'
      );
    }
  });
});
