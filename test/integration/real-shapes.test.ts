/**
 * Real-account shapes through the live loader, where moto returns them:
 * VPC Lattice endpoints (`VpcEndpointType` `Resource` and `ServiceNetwork`,
 * which carry no `ServiceName`). moto cannot share a VPC between accounts,
 * so the participant-account shape is tested with the SDK mock
 * (test/unit/functions/ec2-inventory.test.ts) and as a snapshot
 * (test/fixtures/real-shapes/).
 */
import {
  CreateVpcEndpointCommand,
  type CreateVpcEndpointCommandInput,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateHostedZoneCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadAccountRegion } from '../../functions/shared/aws/account-inventory.js';
import { runCli } from '../helpers/cli.js';
import { zoneReaderRule } from '../helpers/zone-reader-rule.js';
import { buildLandscape, type Landscape } from './helpers/landscape.js';
import { resetMoto } from './helpers/moto.js';

interface JsonEvaluation {
  readonly ruleId: string;
  readonly resourceId: string;
  readonly complianceType: string;
  readonly annotation: string;
}

interface JsonDocument {
  readonly evaluations: JsonEvaluation[];
  readonly problems: unknown[];
}

const scanJson = async (): Promise<{
  status: number;
  stderr: string;
  document: JsonDocument;
}> => {
  const result = await runCli(
    'scan',
    '--region',
    'us-east-1',
    '--format',
    'json'
  );
  return {
    status: result.status,
    stderr: result.stderr,
    document: JSON.parse(result.stdout) as JsonDocument,
  };
};

const ENDPOINT_RULES = [
  'interface-endpoint-multi-az',
  'interface-endpoint-private-dns',
  'endpoint-policy-restrictive',
  'interface-endpoint-https-ingress',
];

describe('real-account shapes in moto', () => {
  let landscape: Landscape;
  const ec2 = new EC2Client({});

  beforeAll(async () => {
    await resetMoto();
    landscape = await buildLandscape(ec2, {
      vpcs: [
        {
          name: 'workload',
          privateSubnets: 2,
          gatewayEndpoints: [{ service: 's3' }],
          interfaceEndpoints: [{ service: 'ssm', azs: [0] }],
        },
      ],
    });
  });

  it('evaluates the rest of the account unchanged beside VPC Lattice endpoints, which are NOT_APPLICABLE', async () => {
    // Arrange
    const before = await scanJson();
    const workload = landscape.vpc('workload');
    const subnetIds = workload.privateSubnets.map((s) => s.subnetId);
    const lattice: CreateVpcEndpointCommandInput[] = [
      {
        VpcId: workload.vpcId,
        VpcEndpointType: 'Resource',
        SubnetIds: subnetIds,
        ResourceConfigurationArn:
          'arn:aws:vpc-lattice:us-east-1:444455556666:resourceconfiguration/rcfg-0123456789abcdef0',
      },
      {
        VpcId: workload.vpcId,
        VpcEndpointType: 'ServiceNetwork',
        SubnetIds: subnetIds,
        ServiceNetworkArn:
          'arn:aws:vpc-lattice:us-east-1:444455556666:servicenetwork/sn-0123456789abcdef0',
      },
    ];
    const created: { id: string; type: string }[] = [];
    for (const input of lattice) {
      const { VpcEndpoint } = await ec2.send(
        new CreateVpcEndpointCommand(input)
      );
      created.push({
        id: VpcEndpoint?.VpcEndpointId ?? '',
        type: input.VpcEndpointType ?? '',
      });
    }

    // Act
    const after = await scanJson();

    // Assert
    expect(after.stderr).toBe('');
    expect(after.status).toBe(before.status);
    expect(after.document.problems).toEqual([]);
    const latticeIds = new Set(created.map((c) => c.id));
    expect(
      after.document.evaluations.filter((e) => !latticeIds.has(e.resourceId))
    ).toEqual(before.document.evaluations);
    const onLattice = after.document.evaluations.filter((e) =>
      latticeIds.has(e.resourceId)
    );
    expect(onLattice).toHaveLength(created.length * ENDPOINT_RULES.length);
    for (const { id, type } of created) {
      for (const ruleId of ENDPOINT_RULES) {
        expect(onLattice).toContainEqual(
          expect.objectContaining({
            ruleId,
            resourceId: id,
            complianceType: 'NOT_APPLICABLE',
            annotation: expect.stringContaining(`${type} endpoint`),
          })
        );
      }
    }
  });

  it('reads the private hosted zones associated with a VPC, including one another account could own, through ListHostedZonesByVPC', async () => {
    // Arrange
    const workload = landscape.vpc('workload');
    const route53 = new Route53Client({});
    await route53.send(
      new CreateHostedZoneCommand({
        Name: 'ecr.api.us-east-1.amazonaws.com',
        CallerReference: 'vpce-guard-test-zone',
        HostedZoneConfig: { PrivateZone: true },
        VPC: { VPCId: workload.vpcId, VPCRegion: 'us-east-1' },
      })
    );
    const zoneReader = zoneReaderRule(() => [workload.vpcId]);

    // Act
    const { inventory } = await loadAccountRegion(
      { ec2, route53, principal: 'moto' },
      { accountId: '123456789012', region: 'us-east-1', partition: 'aws' },
      [zoneReader],
      'moto'
    );

    // Assert
    expect(inventory.hostedZones.get(workload.vpcId)?.zones).toEqual([
      expect.objectContaining({
        name: 'ecr.api.us-east-1.amazonaws.com',
        ownerAccount: '123456789012',
      }),
    ]);
  });
});
