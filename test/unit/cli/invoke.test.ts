/**
 * `vpce-guard invoke` in-process, AWS mocked per command: each run builds
 * the handler of the rule it is given, so runs of different rules in one
 * process each report their own rule, and the handler logs to stderr.
 */
import { readFileSync } from 'node:fs';
import {
  ConfigServiceClient,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  BatchImportFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { runCli, writeTemp } from '../../helpers/cli.js';
import { serveSnapshot } from '../../helpers/ec2-mock.js';
import {
  endpoint,
  route,
  routeTable,
  securityGroup,
  serviceDetail,
  snapshot,
  subnet,
} from '../../helpers/factories.js';

const ec2 = mockClient(EC2Client);
const config = mockClient(ConfigServiceClient);
const securityHub = mockClient(SecurityHubClient);

/** The bundled periodic event (TESTMODE, the factories' account). */
const periodicEvent = (parameters: unknown = {}): string =>
  writeTemp('periodic.json', {
    ...(JSON.parse(
      readFileSync('examples/events/periodic.json', 'utf8')
    ) as object),
    ruleParameters: JSON.stringify(parameters),
  });

/** What `invoke` printed: the PutEvaluations calls it made. */
interface Printed {
  readonly trigger: string;
  readonly config: {
    readonly Evaluations: {
      readonly ComplianceResourceType: string;
      readonly ComplianceResourceId: string;
    }[];
    readonly TestMode: boolean;
  }[];
  readonly securityHub: { readonly Findings: { readonly Id: string }[] }[];
  readonly securityHubSkipped?: string;
}

const logLines = (stderr: string): Record<string, unknown>[] =>
  stderr
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Two NAT-routed subnets, and an ssm endpoint in the AZs of `endpointSubnets`. */
const account = (endpointSubnets: readonly string[] = ['subnet-a']) =>
  snapshot({
    Subnets: [subnet('subnet-a'), subnet('subnet-b', { az: 'az2' })],
    RouteTables: [
      routeTable('rtb-1', {
        main: true,
        routes: [route.cidr('0.0.0.0/0', { NatGatewayId: 'nat-1' })],
      }),
    ],
    VpcEndpoints: [endpoint('vpce-ssm', { subnets: endpointSubnets })],
    ServiceDetails: [serviceDetail('ssm', ['Interface'])],
    SecurityGroups: [securityGroup('sg-1')],
  });

/** `scan --format json` of `landscape`, written to a file: an earlier state. */
const earlierScan = async (
  landscape: ReturnType<typeof account>
): Promise<string> => {
  const scanned = await runCli(
    'scan',
    '--snapshot',
    writeTemp('earlier.json', landscape),
    '--format',
    'json'
  );
  return writeTemp('earlier-scan.json', scanned.stdout);
};

beforeEach(() => {
  ec2.reset();
  config.reset();
  securityHub.reset();
  serveSnapshot(ec2, account());
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  securityHub
    .on(BatchImportFindingsCommand)
    .resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
});

describe('vpce-guard invoke', () => {
  it('runs two rules in one process, each printing its own evaluations', async () => {
    // Arrange
    const event = periodicEvent();

    // Act
    const multiAz = await runCli(
      'invoke',
      '--rule',
      'interface-endpoint-multi-az',
      '--event',
      event
    );
    const gateway = await runCli(
      'invoke',
      '--rule',
      'private-subnet-gateway-endpoints',
      '--event',
      event,
      '--import-findings'
    );

    // Assert
    const sentBy = (stdout: string) =>
      (JSON.parse(stdout) as Printed).config.flatMap((batch) =>
        batch.Evaluations.map((e) => [
          e.ComplianceResourceType,
          e.ComplianceResourceId,
        ])
      );
    expect(multiAz.status).toBe(1);
    expect(sentBy(multiAz.stdout)).toEqual([
      ['AWS::EC2::VPCEndpoint', 'vpce-ssm'],
    ]);
    expect(gateway.status).toBe(1);
    expect(sentBy(gateway.stdout)).toEqual([
      ['AWS::EC2::Subnet', 'subnet-a'],
      ['AWS::EC2::Subnet', 'subnet-b'],
    ]);
    expect(
      (JSON.parse(gateway.stdout) as Printed).securityHub
        .flatMap((call) => call.Findings)
        .map((f) => f.Id)
    ).toEqual([
      'vpce-guard/private-subnet-gateway-endpoints/us-east-1/subnet-a',
      'vpce-guard/private-subnet-gateway-endpoints/us-east-1/subnet-b',
    ]);
  });

  it('imports nothing for a TESTMODE event and says why in its output', async () => {
    // Act
    const result = await runCli(
      'invoke',
      '--rule',
      'interface-endpoint-multi-az',
      '--event',
      periodicEvent()
    );

    // Assert
    const printed = JSON.parse(result.stdout) as Printed;
    expect(printed.config[0]?.TestMode).toBe(true);
    expect(printed.securityHub).toEqual([]);
    expect(printed.securityHubSkipped).toMatch(
      /^TestMode .*--import-findings/u
    );
    expect(securityHub.commandCalls(BatchImportFindingsCommand)).toHaveLength(
      0
    );
  });

  it('imports the findings of a TESTMODE event with --import-findings', async () => {
    // Act
    const result = await runCli(
      'invoke',
      '--rule',
      'interface-endpoint-multi-az',
      '--event',
      periodicEvent(),
      '--import-findings'
    );

    // Assert
    const printed = JSON.parse(result.stdout) as Printed;
    expect(printed.securityHubSkipped).toBeUndefined();
    expect(
      securityHub
        .commandCalls(BatchImportFindingsCommand)
        .flatMap((call) => call.args[0].input.Findings ?? [])
        .map((f) => f.Id)
    ).toEqual(['vpce-guard/interface-endpoint-multi-az/us-east-1/vpce-ssm']);
  });

  it('logs the handler lines of its rule to stderr, stdout being the JSON it prints', async () => {
    // Act
    const result = await runCli(
      'invoke',
      '--rule',
      'interface-endpoint-https-ingress',
      '--event',
      periodicEvent({ colour: 'blue' })
    );

    // Assert
    expect((JSON.parse(result.stdout) as Printed).trigger).toBe('periodic');
    expect(logLines(result.stderr)).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'ignored a rule parameter the rule does not take',
        parameter: 'colour',
        ruleId: 'interface-endpoint-https-ingress',
      }),
      expect.objectContaining({
        level: 30,
        msg: 'evaluations reported',
        ruleId: 'interface-endpoint-https-ingress',
      }),
    ]);
  });

  it.each([
    ['the same account', ['subnet-a'], { wouldSend: 0, wouldSkip: 1 }],
    [
      'an account whose endpoint has since lost an AZ',
      ['subnet-a', 'subnet-b'],
      { wouldSend: 1, wouldSkip: 0, reasons: { changed: 1 } },
    ],
  ])(
    'still sends everything with --previous, and says what the delta would skip after a scan of %s',
    async (_name, earlierSubnets, expected) => {
      // Arrange
      const previous = await earlierScan(account(earlierSubnets));

      // Act
      const result = await runCli(
        'invoke',
        '--rule',
        'interface-endpoint-multi-az',
        '--event',
        periodicEvent(),
        '--previous',
        previous,
        // The event is a TestMode run, which imports no findings otherwise.
        '--import-findings'
      );

      // Assert
      const printed = JSON.parse(result.stdout) as Printed & {
        delta: Record<string, unknown>;
      };
      expect(printed.config.flatMap((c) => c.Evaluations)).toHaveLength(1);
      expect(printed.securityHub.flatMap((c) => c.Findings)).toHaveLength(1);
      expect(printed.delta).toEqual({
        previous,
        evaluations: 1,
        reasons: {},
        ...expected,
      });
    }
  );

  it('refuses a --previous file that is not a scan document before sending anything', async () => {
    // Act
    const result = await runCli(
      'invoke',
      '--rule',
      'interface-endpoint-multi-az',
      '--event',
      periodicEvent(),
      '--previous',
      writeTemp('not-a-scan.json', { evaluations: [{ ruleId: 1 }] })
    );

    // Assert
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^vpce-guard: --previous .*not-a-scan\.json: evaluations\[0\]\.ruleId: /
    );
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
  });
});
