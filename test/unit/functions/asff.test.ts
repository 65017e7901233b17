import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from '@jest/globals';
import {
  buildFinding,
  type FindingContext,
  findingId,
  truncate,
} from '../../../functions/shared/formats/asff.js';
import { rules } from '../../../rules/index.js';
import type {
  ComplianceType,
  Evaluation,
  RuleMetadata,
} from '../../../rules/model/rule.js';
import {
  loadBotocoreModel,
  SECURITY_HUB_FIELD_LIMITS,
  validateShape,
} from '../../helpers/api-model.js';
import { loadInventories } from '../../helpers/example.js';
import {
  ACCOUNT,
  endpoint,
  inventoryOf,
  REGION,
  subnet,
  vpc,
} from '../../helpers/factories.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');

const context = (overrides: Partial<FindingContext> = {}): FindingContext => ({
  partition: 'aws',
  region: REGION,
  accountId: ACCOUNT,
  runbookBaseUrl: 'https://example.com/vpce-guard/blob/main',
  now: NOW,
  ...overrides,
});

const rule = (overrides: Partial<RuleMetadata> = {}): RuleMetadata => ({
  id: 'interface-endpoint-multi-az',
  title: 'Interface endpoints span at least two Availability Zones',
  description: 'Checks that interface endpoints have subnets in two AZs.',
  severity: 'LOW',
  resourceKind: 'vpc-endpoint',
  resourceType: 'AWS::EC2::VPCEndpoint',
  triggerResourceTypes: ['AWS::EC2::VPCEndpoint'],
  parameters: [],
  inventory: ['ec2'],
  remediation: {
    text: 'Add a subnet in a second Availability Zone.',
    actions: ['ec2:ModifyVpcEndpoint'],
  },
  ...overrides,
});

const evaluation = (overrides: Partial<Evaluation> = {}): Evaluation => ({
  ruleId: 'interface-endpoint-multi-az',
  accountId: ACCOUNT,
  region: REGION,
  resourceType: 'AWS::EC2::VPCEndpoint',
  resourceId: 'vpce-0123456789abcdef0',
  complianceType: 'NON_COMPLIANT',
  annotation: 'only one Availability Zone: use1-az1',
  ...overrides,
});

const model = loadBotocoreModel('securityhub', '2018-10-26');

const violationsOf = (finding: unknown): string[] =>
  validateShape(
    model,
    'AwsSecurityFinding',
    finding,
    '$',
    SECURITY_HUB_FIELD_LIMITS
  );

describe('truncate', () => {
  it.each([
    ['short', 10, 'short'],
    ['  padded  ', 10, 'padded'],
    ['abcdefghij', 5, 'abcd…'],
    ['   ', 5, '-'],
  ])('trims %j to at most %d characters as %j', (text, max, expected) => {
    // Act
    const result = truncate(text, max);

    // Assert
    expect(result).toBe(expected);
  });
});

describe('findingId', () => {
  it('joins the tool, rule, Region and resource id', () => {
    // Act
    const id = findingId('endpoint-policy-restrictive', 'eu-west-1', 'vpce-1');

    // Assert
    expect(id).toBe('vpce-guard/endpoint-policy-restrictive/eu-west-1/vpce-1');
  });
});

describe('buildFinding', () => {
  it('uses the deterministic Id, the GeneratorId and the fixed schema fields', () => {
    // Act
    const finding = buildFinding(evaluation(), rule(), context());

    // Assert
    expect(finding).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: `vpce-guard/interface-endpoint-multi-az/${REGION}/vpce-0123456789abcdef0`,
      GeneratorId: 'vpce-guard/interface-endpoint-multi-az',
      AwsAccountId: ACCOUNT,
      Types: ['Software and Configuration Checks/AWS Security Best Practices'],
      FindingProviderFields: {
        Types: [
          'Software and Configuration Checks/AWS Security Best Practices',
        ],
      },
      CreatedAt: NOW.toISOString(),
      UpdatedAt: NOW.toISOString(),
      FirstObservedAt: NOW.toISOString(),
      LastObservedAt: NOW.toISOString(),
      Remediation: {
        Recommendation: {
          Text: 'Add a subnet in a second Availability Zone.',
          Url: 'https://example.com/vpce-guard/blob/main/rules/interface-endpoint-multi-az/runbook.md',
        },
      },
      ProductFields: {
        'vpce-guard/RuleId': 'interface-endpoint-multi-az',
        'vpce-guard/Annotation': 'only one Availability Zone: use1-az1',
        'vpce-guard/ComplianceType': 'NON_COMPLIANT',
      },
    });
  });

  it('sets AwsAccountId to the resource owner, not the importing account', () => {
    // Act
    const finding = buildFinding(
      evaluation({ accountId: '444455556666' }),
      rule(),
      context()
    );

    // Assert
    expect(finding.AwsAccountId).toBe('444455556666');
    expect(finding.ProductArn).toBe(
      `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`
    );
    expect(finding.Resources?.[0]?.Id).toBe(
      `arn:aws:ec2:${REGION}:444455556666:vpc-endpoint/vpce-0123456789abcdef0`
    );
  });

  it.each([
    ['aws', 'us-east-1', 'aws'],
    ['aws-cn', 'cn-north-1', 'aws-cn'],
    ['aws-us-gov', 'us-gov-west-1', 'aws-us-gov'],
    ['aws-iso', 'us-iso-east-1', 'aws-us-iso'],
    ['aws-iso-b', 'us-isob-east-1', 'aws-us-iso-b'],
  ])(
    'builds %s ARNs in %s with model partition %s',
    (partition, region, modelPartition) => {
      // Act
      const finding = buildFinding(
        evaluation({
          region,
          resourceType: 'AWS::EC2::Subnet',
          resourceId: 'subnet-1',
        }),
        rule({ resourceKind: 'subnet', resourceType: 'AWS::EC2::Subnet' }),
        context({ partition, region })
      );

      // Assert
      expect(finding.ProductArn).toBe(
        `arn:${partition}:securityhub:${region}:${ACCOUNT}:product/${ACCOUNT}/default`
      );
      expect(finding.Resources?.[0]).toMatchObject({
        Type: 'AwsEc2Subnet',
        Id: `arn:${partition}:ec2:${region}:${ACCOUNT}:subnet/subnet-1`,
        Partition: modelPartition,
        Region: region,
      });
    }
  );

  it('omits Resources[].Partition for a partition the model does not know', () => {
    // Act
    const finding = buildFinding(
      evaluation(),
      rule(),
      context({ partition: 'aws-eusc' })
    );

    // Assert
    expect(finding.Resources?.[0]?.Id).toMatch(/^arn:aws-eusc:ec2:/u);
    expect(finding.Resources?.[0]).not.toHaveProperty('Partition');
  });

  it.each<[ComplianceType, string, string, string]>([
    ['NON_COMPLIANT', 'HIGH', 'FAILED', 'ACTIVE'],
    ['COMPLIANT', 'INFORMATIONAL', 'PASSED', 'ARCHIVED'],
    ['NOT_APPLICABLE', 'INFORMATIONAL', 'NOT_AVAILABLE', 'ARCHIVED'],
  ])(
    'maps %s to severity %s, status %s and record state %s',
    (complianceType, label, status, recordState) => {
      // Act
      const finding = buildFinding(
        evaluation({ complianceType }),
        rule({ severity: 'HIGH' }),
        context()
      );

      // Assert
      expect(finding.Severity).toEqual({ Label: label, Original: label });
      expect(finding.FindingProviderFields?.Severity).toEqual({
        Label: label,
        Original: label,
      });
      expect(finding.Compliance?.Status).toBe(status);
      expect(finding.RecordState).toBe(recordState);
    }
  );

  it('files a VPC rule’s finding as AwsEc2Vpc with the VPC’s CIDR blocks', () => {
    // Arrange
    const inventory = inventoryOf({
      Vpcs: [vpc('vpc-9', ['10.9.0.0/16', '100.64.0.0/16'])],
    });

    // Act
    const finding = buildFinding(
      evaluation({ resourceType: 'AWS::EC2::VPC', resourceId: 'vpc-9' }),
      rule({ resourceKind: 'vpc', resourceType: 'AWS::EC2::VPC' }),
      context({ inventory })
    );

    // Assert
    expect(finding.Resources).toEqual([
      {
        Type: 'AwsEc2Vpc',
        Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-9`,
        Partition: 'aws',
        Region: REGION,
        Details: {
          AwsEc2Vpc: {
            CidrBlockAssociationSet: [
              { CidrBlock: '10.9.0.0/16' },
              { CidrBlock: '100.64.0.0/16' },
            ],
          },
        },
      },
    ]);
  });

  it('fills subnet details from the inventory', () => {
    // Arrange
    const inventory = inventoryOf({
      Subnets: [subnet('subnet-a', { az: 'az2' })],
    });

    // Act
    const finding = buildFinding(
      evaluation({ resourceType: 'AWS::EC2::Subnet', resourceId: 'subnet-a' }),
      rule({ resourceKind: 'subnet', resourceType: 'AWS::EC2::Subnet' }),
      context({ inventory })
    );

    // Assert
    expect(finding.Resources?.[0]?.Details).toEqual({
      AwsEc2Subnet: expect.objectContaining({
        SubnetId: 'subnet-a',
        VpcId: 'vpc-1',
        AvailabilityZone: `${REGION}b`,
        AvailabilityZoneId: 'use1-az2',
        CidrBlock: '10.0.1.0/24',
      }),
    });
  });

  it('gives a subnet missing from the inventory its id as the only detail', () => {
    // Act
    const finding = buildFinding(
      evaluation({ resourceType: 'AWS::EC2::Subnet', resourceId: 'subnet-x' }),
      rule({ resourceKind: 'subnet', resourceType: 'AWS::EC2::Subnet' }),
      context()
    );

    // Assert
    expect(finding.Resources?.[0]?.Details).toEqual({
      AwsEc2Subnet: { SubnetId: 'subnet-x' },
    });
  });

  it('describes an endpoint in Details.Other with the Other type', () => {
    // Arrange
    const inventory = inventoryOf({
      Subnets: [
        subnet('subnet-a', { az: 'az1' }),
        subnet('subnet-b', { az: 'az2' }),
      ],
      VpcEndpoints: [endpoint('vpce-0123456789abcdef0')],
    });

    // Act
    const finding = buildFinding(
      evaluation({ complianceType: 'COMPLIANT', annotation: 'two zones' }),
      rule(),
      context({ inventory })
    );

    // Assert
    expect(finding.Resources?.[0]).toEqual({
      Type: 'Other',
      Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc-endpoint/vpce-0123456789abcdef0`,
      Partition: 'aws',
      Region: REGION,
      Details: {
        Other: {
          vpcEndpointId: 'vpce-0123456789abcdef0',
          vpcEndpointType: 'Interface',
          serviceName: `com.amazonaws.${REGION}.ssm`,
          vpcId: 'vpc-1',
          state: 'available',
          availabilityZoneIds: 'use1-az1,use1-az2',
          privateDnsEnabled: 'true',
          complianceType: 'COMPLIANT',
          annotation: 'two zones',
        },
      },
    });
  });

  it.each([
    [300, 300, 300],
    [3000, 2048, 1023],
  ])(
    'keeps a %d-character annotation within ProductFields (%d) and Details.Other (%d)',
    (length, productLength, otherLength) => {
      // Arrange
      const annotation = 'a'.repeat(length);

      // Act
      const finding = buildFinding(
        evaluation({ annotation }),
        rule(),
        context()
      );

      // Assert
      const product = finding.ProductFields?.['vpce-guard/Annotation'] ?? '';
      const other = finding.Resources?.[0]?.Details?.Other?.annotation ?? '';
      expect([product.length, other.length]).toEqual([
        productLength,
        otherLength,
      ]);
      expect(violationsOf(finding)).toEqual([]);
    }
  );

  it('truncates a 600-character remediation to 512 characters ending with …', () => {
    // Act
    const finding = buildFinding(
      evaluation(),
      rule({ remediation: { text: 'r'.repeat(600), actions: [] } }),
      context()
    );

    // Assert
    const text = finding.Remediation?.Recommendation?.Text ?? '';
    expect(text).toHaveLength(512);
    expect(text.endsWith('…')).toBe(true);
  });

  it('truncates an over-long title and description', () => {
    // Act
    const finding = buildFinding(
      evaluation(),
      rule({ title: 't'.repeat(300), description: 'd'.repeat(2000) }),
      context()
    );

    // Assert
    expect([finding.Title?.length, finding.Description?.length]).toEqual([
      256, 1024,
    ]);
  });
});

describe('the link of a finding', () => {
  it.each([
    [
      'aws',
      'eu-west-1',
      'https://eu-west-1.console.aws.amazon.com/systems-manager/documents/VpceGuard-InterfaceEndpointMultiAz/description?region=eu-west-1',
    ],
    [
      'aws-cn',
      'cn-north-1',
      'https://cn-north-1.console.amazonaws.cn/systems-manager/documents/VpceGuard-InterfaceEndpointMultiAz/description?region=cn-north-1',
    ],
    [
      'aws-us-gov',
      'us-gov-west-1',
      'https://us-gov-west-1.console.amazonaws-us-gov.com/systems-manager/documents/VpceGuard-InterfaceEndpointMultiAz/description?region=us-gov-west-1',
    ],
  ])(
    'opens the rule’s SSM document on the %s console in the finding’s Region (%s) when no base URL is set',
    (partition, region, expected) => {
      // Act
      const finding = buildFinding(
        evaluation({ region }),
        rule(),
        context({ partition, region, runbookBaseUrl: undefined })
      );

      // Assert
      expect(finding.Remediation?.Recommendation?.Url).toBe(expected);
    }
  );

  it.each([['aws-iso'], ['aws-iso-b'], ['aws-eusc']])(
    'is left out in %s, whose console host is not published, keeping the remediation text',
    (partition) => {
      // Act
      const finding = buildFinding(
        evaluation(),
        rule(),
        context({ partition, runbookBaseUrl: undefined })
      );

      // Assert
      expect(finding.Remediation?.Recommendation).toEqual({
        Text: 'Add a subnet in a second Availability Zone.',
      });
    }
  );

  it('points at the published runbook when a base URL is set, with or without a trailing slash', () => {
    // Act
    const urls = ['https://example.com/docs', 'https://example.com/docs/'].map(
      (runbookBaseUrl) =>
        buildFinding(evaluation(), rule(), context({ runbookBaseUrl }))
          .Remediation?.Recommendation?.Url
    );

    // Assert
    expect(urls).toEqual([
      'https://example.com/docs/rules/interface-endpoint-multi-az/runbook.md',
      'https://example.com/docs/rules/interface-endpoint-multi-az/runbook.md',
    ]);
  });

  it('never points at an .invalid host for the bundled example', async () => {
    // Arrange
    const loaded = await loadInventories();

    // Act
    const urls = loaded.flatMap(({ inventory }) =>
      rules.flatMap((r) =>
        r
          .prepare({})
          .evaluate(inventory)
          .map(
            (e) =>
              buildFinding(e, r.metadata, {
                partition: inventory.partition,
                region: inventory.region,
                accountId: inventory.accountId,
                now: NOW,
                inventory,
              }).Remediation?.Recommendation?.Url
          )
      )
    );

    // Assert
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      expect(new URL(url ?? 'missing:').hostname).toMatch(
        /^[a-z0-9-]+\.console\.aws\.amazon\.com$/u
      );
    }
  });
});

describe('the Security Hub API model', () => {
  const valid = (): AwsSecurityFinding =>
    buildFinding(evaluation(), rule(), context());

  it.each<[string, (finding: AwsSecurityFinding) => unknown, RegExp]>([
    [
      'a 300-character Title',
      (f) => ({ ...f, Title: 'x'.repeat(300) }),
      /^\$\.Title: length 300 > max 256$/u,
    ],
    [
      'an unknown key',
      (f) => ({ ...f, Colour: 'red' }),
      /^\$\.Colour: not a member of AwsSecurityFinding$/u,
    ],
    [
      'a missing required member',
      ({ Title: _title, ...rest }) => rest,
      /^\$\.Title: required$/u,
    ],
    [
      'a Partition outside the enum',
      (f) => ({
        ...f,
        Resources: [{ ...f.Resources?.[0], Partition: 'aws-iso' }],
      }),
      /^\$\.Resources\[0\]\.Partition: "aws-iso" is not one of /u,
    ],
    [
      'a severity label outside the enum',
      (f) => ({ ...f, Severity: { Label: 'SEVERE' } }),
      /^\$\.Severity\.Label: "SEVERE" is not one of /u,
    ],
    [
      'a blank string',
      (f) => ({ ...f, Description: '  ' }),
      /^\$\.Description: does not match /u,
    ],
    [
      'an empty Resources list',
      (f) => ({ ...f, Resources: [] }),
      /^\$\.Resources: items 0 < min 1$/u,
    ],
    [
      'an over-long Details.Other key',
      (f) => ({
        ...f,
        Resources: [
          {
            ...f.Resources?.[0],
            Details: { Other: { ['k'.repeat(128)]: 'v' } },
          },
        ],
      }),
      /^\$\.Resources\[0\]\.Details\.Other\{key k+\}: length 128 > max 127$/u,
    ],
  ])('reports %s', (_name, mutate, expected) => {
    // Act
    const violations = violationsOf(mutate(valid()));

    // Assert
    expect(violations).toEqual([expect.stringMatching(expected)]);
  });

  it('accepts every finding built for the bundled example as BatchImportFindings input', async () => {
    // Arrange
    const loaded = await loadInventories();
    const findings = loaded.flatMap(({ inventory }) => {
      const findingContext = context({
        partition: inventory.partition,
        region: inventory.region,
        accountId: inventory.accountId,
        inventory,
      });
      return rules.flatMap((r) =>
        r
          .prepare({})
          .evaluate(inventory)
          .map((e) => buildFinding(e, r.metadata, findingContext))
      );
    });

    // Act
    const violations = validateShape(
      model,
      'BatchImportFindingsRequest',
      { Findings: findings.slice(0, 100) },
      '$',
      SECURITY_HUB_FIELD_LIMITS
    );
    const perFinding = findings.flatMap((f) =>
      violationsOf(f).map((v) => `${f.Id}: ${v}`)
    );

    // Assert
    expect(findings.length).toBeGreaterThan(0);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
    expect(
      new Set(findings.map((f) => f.Compliance?.Status)).size
    ).toBeGreaterThan(1);
    expect(violations).toEqual([]);
    expect(perFinding).toEqual([]);
  });
});
