/**
 * The live path against moto: `scan --region` gives the same verdicts as a
 * snapshot of the same landscape, the Lambda flow sends what the rules say,
 * the call count stays in the loader's budget (README "`scan --region`,
 * `snapshot`"), and throttling changes nothing but the time taken.
 */

import { readFileSync } from 'node:fs';
import {
  ConfigServiceClient,
  type PutEvaluationsCommandInput,
} from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  changeNotification,
  scheduledNotification,
} from '../../bench/config-events.js';
import {
  type AccountClients,
  runConfigRule,
} from '../../functions/config-rule/run-config-rule.js';
import {
  CallCounter,
  countCalls,
} from '../../functions/shared/aws/call-counter.js';
import { loadSnapshotFromEc2 } from '../../functions/shared/aws/ec2-inventory.js';
import { createLogger } from '../../functions/shared/logger.js';
import { UpdatedAtMemo } from '../../functions/shared/report/securityhub-reporter.js';
import { runCli, writeTemp } from '../helpers/cli.js';
import { ruleNamed } from '../helpers/factories.js';
import {
  buildLandscape,
  buildScaledLandscape,
  type Landscape,
} from './helpers/landscape.js';
import { resetMoto } from './helpers/moto.js';

// moto's default account.
const ACCOUNT = '123456789012';
const SCOPE = { accountId: ACCOUNT, region: 'us-east-1', partition: 'aws' };

interface JsonEvaluation {
  readonly ruleId: string;
  readonly resourceId: string;
  readonly complianceType: string;
  readonly annotation: string;
}

const evaluationsOf = (stdout: string): JsonEvaluation[] =>
  JSON.parse(stdout).evaluations;

/** Throws a throttling error on every `every`-th attempt, inside the retry loop. */
const injectThrottling = (client: EC2Client, every: number): void => {
  let attempt = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      attempt += 1;
      if (attempt % every === 0) {
        throw Object.assign(new Error('Request limit exceeded.'), {
          name: 'RequestLimitExceeded',
          $fault: 'client',
          $metadata: { httpStatusCode: 503 },
          $retryable: { throttling: true },
        });
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'injectThrottling' }
  );
};

const periodicEvent = (ruleParameters = '{}') => ({
  version: '1.0',
  invokingEvent: JSON.stringify(
    scheduledNotification(ACCOUNT, '2026-11-23T10:00:00.000Z')
  ),
  ruleParameters,
  resultToken: 'TESTMODE',
  eventLeftScope: false,
  executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/config-role`,
  configRuleArn: `arn:aws:config:us-east-1:${ACCOUNT}:config-rule/config-rule-abc123`,
  configRuleName: 'vpce-guard-rule',
  configRuleId: 'config-rule-abc123',
  accountId: ACCOUNT,
});

const changeEvent = (
  resourceType: string,
  resourceId: string,
  configuration: object | null,
  status = 'OK'
) => ({
  ...periodicEvent(),
  invokingEvent: JSON.stringify(
    changeNotification({
      accountId: ACCOUNT,
      region: 'us-east-1',
      resourceType,
      resourceId,
      configuration,
      status,
      capturedAt: '2026-11-23T09:30:00.000Z',
      notifiedAt: '2026-11-23T09:31:00.000Z',
    })
  ),
});

/** Real clients on moto; what PutEvaluations carried is captured on the wire. */
const motoClients = (sent: PutEvaluationsCommandInput[]): AccountClients => {
  const config = new ConfigServiceClient({});
  config.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutEvaluationsCommand') {
        sent.push(args.input as PutEvaluationsCommandInput);
      }
      return next(args);
    },
    { step: 'initialize', name: 'capturePutEvaluations' }
  );
  return {
    ec2: new EC2Client({}),
    config,
    securityHub: new SecurityHubClient({}),
    route53: new Route53Client({}),
    principal: 'moto',
  };
};

describe('live scans against moto', () => {
  let landscape: Landscape;

  beforeAll(async () => {
    await resetMoto();
    landscape = await buildLandscape(new EC2Client({}), {
      vpcs: [
        {
          name: 'good',
          privateSubnets: 2,
          gatewayEndpoints: [{ service: 's3' }, { service: 'dynamodb' }],
          interfaceEndpoints: [
            {
              service: 'ssm',
              azs: [0, 1],
              policy: {
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: '*',
                    Action: '*',
                    Resource: '*',
                    Condition: {
                      StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
                    },
                  },
                ],
              },
            },
          ],
        },
        {
          name: 'legacy',
          privateSubnets: 2,
          dnsHostnames: false,
          interfaceEndpoints: [
            { service: 'sts', azs: [0], httpsFromVpc: false },
          ],
        },
      ],
    });
  });

  it('gives the same verdicts for scan --region as for a snapshot of the same account', async () => {
    // Act
    const live = await runCli(
      'scan',
      '--region',
      'us-east-1',
      '--format',
      'json'
    );
    const snapshot = await runCli('snapshot', '--region', 'us-east-1');
    const file = writeTemp('moto-snapshot.json', snapshot.stdout);
    const offline = await runCli(
      'scan',
      '--snapshot',
      file,
      '--format',
      'json'
    );

    // Assert
    expect(live.stderr).toBe('');
    expect(live.status).toBe(1);
    expect(evaluationsOf(live.stdout)).toEqual(evaluationsOf(offline.stdout));
  });

  it('reports the NAT-only VPC and passes the well-built one', async () => {
    // Act
    const live = evaluationsOf(
      (await runCli('scan', '--region', 'us-east-1', '--format', 'json')).stdout
    );

    // Assert
    const verdict = (ruleId: string, resourceId: string) =>
      live.find((e) => e.ruleId === ruleId && e.resourceId === resourceId)
        ?.complianceType;
    for (const subnet of landscape.vpc('good').privateSubnets) {
      expect(verdict('private-subnet-gateway-endpoints', subnet.subnetId)).toBe(
        'COMPLIANT'
      );
    }
    for (const subnet of landscape.vpc('legacy').privateSubnets) {
      expect(verdict('private-subnet-gateway-endpoints', subnet.subnetId)).toBe(
        'NON_COMPLIANT'
      );
    }
    const [ssm] = landscape.vpc('good').interfaceEndpoints;
    const [sts] = landscape.vpc('legacy').interfaceEndpoints;
    expect(
      verdict('endpoint-policy-restrictive', ssm?.vpcEndpointId ?? '')
    ).toBe('COMPLIANT');
    expect(
      verdict('interface-endpoint-multi-az', ssm?.vpcEndpointId ?? '')
    ).toBe('COMPLIANT');
    expect(
      verdict('interface-endpoint-multi-az', sts?.vpcEndpointId ?? '')
    ).toBe('NON_COMPLIANT');
    expect(
      verdict('interface-endpoint-private-dns', sts?.vpcEndpointId ?? '')
    ).toBe('NON_COMPLIANT');
    expect(
      verdict('interface-endpoint-https-ingress', sts?.vpcEndpointId ?? '')
    ).toBe('NON_COMPLIANT');
  });

  it.each([
    'private-subnet-gateway-endpoints',
    'interface-endpoint-multi-az',
    'endpoint-policy-restrictive',
  ])(
    'sends to Config, on a periodic event, exactly what %s says of the account',
    async (ruleId) => {
      // Arrange
      const sent: PutEvaluationsCommandInput[] = [];
      const expected = evaluationsOf(
        (
          await runCli(
            'scan',
            '--region',
            'us-east-1',
            '--rules',
            ruleId,
            '--format',
            'json'
          )
        ).stdout
      );

      // Act
      await runConfigRule(periodicEvent(), {
        rule: ruleNamed(ruleId),
        clientsFor: async () => motoClients(sent),
        logger: createLogger('silent'),
        runbookBaseUrl: 'https://runbooks.example.test',
        clock: () => new Date(),
        updatedAt: new UpdatedAtMemo(),
      });

      // Assert
      expect(sent.every((batch) => batch.TestMode === true)).toBe(true);
      const reported = sent.flatMap((batch) => batch.Evaluations ?? []);
      expect(
        reported.map((e) => [e.ComplianceResourceId, e.ComplianceType])
      ).toEqual(expected.map((e) => [e.resourceId, e.complianceType]));
    }
  );

  it('re-evaluates only the changed route table VPC subnets on a change event', async () => {
    // Arrange
    const sent: PutEvaluationsCommandInput[] = [];
    const legacy = landscape.vpc('legacy');
    const table = legacy.privateRouteTableIds[0] ?? '';

    // Act
    await runConfigRule(
      changeEvent('AWS::EC2::RouteTable', table, {
        routeTableId: table,
        vpcId: legacy.vpcId,
      }),
      {
        rule: ruleNamed('private-subnet-gateway-endpoints'),
        clientsFor: async () => motoClients(sent),
        logger: createLogger('silent'),
        runbookBaseUrl: 'https://runbooks.example.test',
        clock: () => new Date(),
        updatedAt: new UpdatedAtMemo(),
      }
    );

    // Assert
    const reported = sent
      .flatMap((batch) => batch.Evaluations ?? [])
      .map((e) => e.ComplianceResourceId);
    const legacySubnets = [
      ...legacy.publicSubnets,
      ...legacy.privateSubnets,
    ].map((s) => s.subnetId);
    expect(new Set(reported)).toEqual(new Set(legacySubnets));
  });

  it('runs the Lambda handler itself through vpce-guard invoke and prints what it sent', async () => {
    // Arrange: the bundled event, for the account that owns moto's
    // resources (another account's resources are left to their owner).
    const example = readFileSync('examples/events/periodic.json', 'utf8');
    const eventFile = writeTemp(
      'periodic.json',
      example.replaceAll('111122223333', ACCOUNT)
    );

    // Act
    const result = await runCli(
      'invoke',
      '--rule',
      'interface-endpoint-multi-az',
      '--event',
      eventFile,
      '--import-findings'
    );

    // Assert
    expect(result.status).toBe(1);
    const document = JSON.parse(result.stdout);
    expect(document.trigger).toBe('periodic');
    const [batch] = document.config;
    expect(batch.TestMode).toBe(true);
    const imported = document.securityHub.flatMap(
      (call: { Findings: { Id: string }[] }) => call.Findings
    );
    expect(imported.map((f: { Id: string }) => f.Id)).toContain(
      `vpce-guard/interface-endpoint-multi-az/us-east-1/${landscape.vpc('legacy').interfaceEndpoints[0]?.vpcEndpointId}`
    );
    const [sts] = landscape.vpc('legacy').interfaceEndpoints;
    expect(batch.Evaluations).toContainEqual(
      expect.objectContaining({
        ComplianceResourceId: sts?.vpcEndpointId,
        ComplianceType: 'NON_COMPLIANT',
      })
    );
  });

  it('runs two rules through vpce-guard invoke in one process, each reporting its own resources', async () => {
    // Arrange
    const example = readFileSync('examples/events/periodic.json', 'utf8');
    const eventFile = writeTemp(
      'periodic.json',
      example.replaceAll('111122223333', ACCOUNT)
    );
    const invoke = async (ruleId: string) => {
      const result = await runCli(
        'invoke',
        '--rule',
        ruleId,
        '--event',
        eventFile
      );
      const document = JSON.parse(result.stdout) as {
        config: PutEvaluationsCommandInput[];
      };
      return document.config.flatMap((batch) => batch.Evaluations ?? []);
    };

    // Act
    const endpoints = await invoke('interface-endpoint-https-ingress');
    const subnets = await invoke('private-subnet-gateway-endpoints');

    // Assert
    expect(new Set(endpoints.map((e) => e.ComplianceResourceType))).toEqual(
      new Set(['AWS::EC2::VPCEndpoint'])
    );
    expect(new Set(subnets.map((e) => e.ComplianceResourceType))).toEqual(
      new Set(['AWS::EC2::Subnet'])
    );
    const legacySubnets = [
      ...landscape.vpc('legacy').publicSubnets,
      ...landscape.vpc('legacy').privateSubnets,
    ].map((s) => s.subnetId);
    expect(subnets.map((e) => e.ComplianceResourceId)).toEqual(
      expect.arrayContaining(legacySubnets)
    );
  });

  it('reports a deleted endpoint NOT_APPLICABLE', async () => {
    // Arrange
    const sent: PutEvaluationsCommandInput[] = [];

    // Act
    await runConfigRule(
      changeEvent(
        'AWS::EC2::VPCEndpoint',
        'vpce-0123456789abcdef0',
        null,
        'ResourceDeleted'
      ),
      {
        rule: ruleNamed('interface-endpoint-multi-az'),
        clientsFor: async () => motoClients(sent),
        logger: createLogger('silent'),
        runbookBaseUrl: 'https://runbooks.example.test',
        clock: () => new Date(),
        updatedAt: new UpdatedAtMemo(),
      }
    );

    // Assert
    expect(sent.flatMap((b) => b.Evaluations ?? [])).toEqual([
      expect.objectContaining({
        ComplianceResourceId: 'vpce-0123456789abcdef0',
        ComplianceType: 'NOT_APPLICABLE',
      }),
    ]);
  });

  it('loads the same snapshot when a share of EC2 calls is throttled', async () => {
    // Arrange
    const throttled = new EC2Client({ retryMode: 'standard', maxAttempts: 5 });
    injectThrottling(throttled, 3);

    // Act
    const clean = await loadSnapshotFromEc2(new EC2Client({}), SCOPE, 'moto');
    const retried = await loadSnapshotFromEc2(throttled, SCOPE, 'moto');

    // Assert
    expect(retried).toEqual(clean);
  });
});

describe('the call budget against moto', () => {
  const callsFor = async (
    vpcs: number,
    subnetsPerVpc: number
  ): Promise<CallCounter> => {
    await resetMoto();
    await buildScaledLandscape(new EC2Client({}), { vpcs, subnetsPerVpc });
    const counter = new CallCounter();
    const ec2 = new EC2Client({});
    countCalls(ec2, counter);
    await loadSnapshotFromEc2(ec2, SCOPE, 'moto');
    return counter;
  };

  it('does not grow with the number of subnets, and is two calls per VPC with interface endpoints over the fixed calls', async () => {
    // Act
    const few = await callsFor(3, 2);
    const many = await callsFor(3, 6);
    const more = await callsFor(4, 2);

    // Assert
    expect(many.byOperation()).toEqual(few.byOperation());
    expect(few.byOperation()['EC2:DescribeVpcAttributeCommand']).toBe(6);
    expect(more.total - few.total).toBe(2);
  });
});
