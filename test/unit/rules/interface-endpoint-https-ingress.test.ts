import { describe, expect, it } from '@jest/globals';
import type {
  Ec2IpPermission,
  Ec2Vpc,
} from '../../../functions/shared/formats/snapshot-schema.js';
import {
  endpoint,
  evaluate,
  ingress,
  securityGroup,
  verdictOf,
  vpc,
} from '../../helpers/factories.js';

const RULE = 'interface-endpoint-https-ingress';
const VPC_IPV6 = '2600:1f18:abcd:1200::/56';

/** `vpc-1` with 10.0.0.0/16 and the IPv6 block {@link VPC_IPV6}. */
const dualStackVpc = (): Ec2Vpc =>
  vpc('vpc-1', ['10.0.0.0/16'], {
    Ipv6CidrBlockAssociationSet: [
      {
        Ipv6CidrBlock: VPC_IPV6,
        Ipv6CidrBlockState: { State: 'associated' },
      },
    ],
  });

/** Interface endpoint `vpce-1` whose only group `sg-1` has `permissions`. */
const withIngress = (
  permissions: readonly Ec2IpPermission[],
  vpcs: readonly Ec2Vpc[] = [vpc('vpc-1')]
) => ({
  Vpcs: [...vpcs],
  VpcEndpoints: [endpoint('vpce-1', { groups: ['sg-1'] })],
  SecurityGroups: [securityGroup('sg-1', permissions)],
});

describe('interface-endpoint-https-ingress sources', () => {
  it.each([
    ['the VPC CIDR', '10.0.0.0/16', 'COMPLIANT'],
    ['one subnet’s /24', '10.0.1.0/24', 'COMPLIANT'],
    ['one client address', '10.0.7.9/32', 'COMPLIANT'],
    ['0.0.0.0/0', '0.0.0.0/0', 'COMPLIANT'],
    ['a range containing the VPC', '10.0.0.0/8', 'COMPLIANT'],
    ['an outside range', '192.168.0.0/16', 'NON_COMPLIANT'],
    ['an adjacent range', '10.1.0.0/16', 'NON_COMPLIANT'],
  ])('judges TCP 443 from %s (%s) %s', (_label, cidr, expected) => {
    // Arrange
    const parts = withIngress([ingress.https(ingress.fromCidr(cidr))]);

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe(expected);
  });

  it.each([
    ['with the secondary CIDR', ['10.0.0.0/16', '100.64.0.0/16'], 'COMPLIANT'],
    ['without the secondary CIDR', ['10.0.0.0/16'], 'NON_COMPLIANT'],
  ])(
    'judges TCP 443 from a secondary-CIDR subnet, VPC %s',
    (_label, cidrs, expected) => {
      // Arrange
      const parts = withIngress(
        [ingress.https(ingress.fromCidr('100.64.5.0/24'))],
        [vpc('vpc-1', cidrs)]
      );

      // Act
      const verdict = verdictOf(RULE, parts, 'vpce-1');

      // Assert
      expect(verdict.complianceType).toBe(expected);
    }
  );

  it('names the admitting group and source', () => {
    // Arrange
    const parts = withIngress([ingress.https(ingress.fromCidr('10.0.1.0/24'))]);

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.annotation).toContain('sg-1');
    expect(verdict.annotation).toContain('10.0.1.0/24');
  });

  it.each([
    [
      'inside the VPC IPv6 block',
      '2600:1f18:abcd:1201::/64',
      [dualStackVpc()],
      'COMPLIANT',
    ],
    ['::/0', '::/0', [dualStackVpc()], 'COMPLIANT'],
    [
      'outside the VPC IPv6 block',
      '2600:1f18:ffff::/56',
      [dualStackVpc()],
      'NON_COMPLIANT',
    ],
    [
      'in a VPC without IPv6',
      '2600:1f18:abcd:1201::/64',
      [vpc('vpc-1')],
      'NON_COMPLIANT',
    ],
  ])('judges TCP 443 from an IPv6 range %s', (_label, cidr, vpcs, expected) => {
    // Arrange
    const parts = withIngress([ingress.https(ingress.fromCidr6(cidr))], vpcs);

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe(expected);
  });

  it.each([
    [
      'a security-group reference',
      ingress.fromGroup('sg-clients'),
      'sg-clients',
    ],
    ['a prefix-list reference', ingress.fromPrefixList('pl-0abc'), 'pl-0abc'],
  ])('admits TCP 443 from %s', (_label, source, named) => {
    // Arrange
    const parts = withIngress([ingress.https(source)]);

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('COMPLIANT');
    expect(verdict.annotation).toContain(named);
  });
});

describe('interface-endpoint-https-ingress protocols and ports', () => {
  const fromVpc = ingress.fromCidr('10.0.0.0/16');

  it.each([
    ['tcp 0-65535', ingress.tcp(0, 65535, fromVpc), 'COMPLIANT'],
    ['tcp 400-500', ingress.tcp(400, 500, fromVpc), 'COMPLIANT'],
    ['tcp 443-443', ingress.tcp(443, 443, fromVpc), 'COMPLIANT'],
    ['tcp 80 only', ingress.tcp(80, 80, fromVpc), 'NON_COMPLIANT'],
    ['tcp 444-500', ingress.tcp(444, 500, fromVpc), 'NON_COMPLIANT'],
    ['tcp 1-442', ingress.tcp(1, 442, fromVpc), 'NON_COMPLIANT'],
    [
      'protocol "6" 443',
      { IpProtocol: '6', FromPort: 443, ToPort: 443, ...fromVpc },
      'COMPLIANT',
    ],
    [
      'protocol "-1" without ports',
      { IpProtocol: '-1', ...fromVpc },
      'COMPLIANT',
    ],
    [
      'protocol "udp" 443',
      { IpProtocol: 'udp', FromPort: 443, ToPort: 443, ...fromVpc },
      'NON_COMPLIANT',
    ],
    [
      'protocol "17" 443',
      { IpProtocol: '17', FromPort: 443, ToPort: 443, ...fromVpc },
      'NON_COMPLIANT',
    ],
    [
      'protocol "udp" 0-65535',
      { IpProtocol: 'udp', FromPort: 0, ToPort: 65535, ...fromVpc },
      'NON_COMPLIANT',
    ],
  ])('judges %s from the VPC %s', (_label, permission, expected) => {
    // Arrange
    const parts = withIngress([permission]);

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe(expected);
  });

  it('does not count TCP 443 from outside plus another port from the VPC', () => {
    // Arrange
    const parts = withIngress([
      ingress.https(ingress.fromCidr('192.168.0.0/16')),
      ingress.tcp(80, 80, fromVpc),
    ]);

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
  });
});

describe('interface-endpoint-https-ingress security groups', () => {
  it('passes when only the second of several groups admits HTTPS', () => {
    // Arrange
    const parts = {
      VpcEndpoints: [endpoint('vpce-1', { groups: ['sg-1', 'sg-2', 'sg-3'] })],
      SecurityGroups: [
        securityGroup('sg-1', [
          ingress.tcp(80, 80, ingress.fromCidr('10.0.0.0/16')),
        ]),
        securityGroup('sg-2', [ingress.https(ingress.fromCidr('10.0.0.0/16'))]),
        securityGroup('sg-3'),
      ],
    };

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('COMPLIANT');
    expect(verdict.annotation).toContain('sg-2');
  });

  it('fails when no group admits HTTPS, naming the groups looked at', () => {
    // Arrange
    const parts = {
      VpcEndpoints: [endpoint('vpce-1', { groups: ['sg-1', 'sg-2'] })],
      SecurityGroups: [
        securityGroup('sg-1', [
          ingress.tcp(80, 80, ingress.fromCidr('10.0.0.0/16')),
        ]),
        securityGroup('sg-2', [
          ingress.https(ingress.fromCidr('192.168.0.0/16')),
        ]),
      ],
    };

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
    expect(verdict.annotation).toContain('sg-1');
    expect(verdict.annotation).toContain('sg-2');
  });

  it('fails an interface endpoint without security groups', () => {
    // Arrange
    const parts = { VpcEndpoints: [endpoint('vpce-1', { groups: [] })] };

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
  });

  it('cannot evaluate an endpoint whose security group is not in the inventory', () => {
    // Arrange
    const parts = {
      VpcEndpoints: [endpoint('vpce-1', { groups: ['sg-1', 'sg-gone'] })],
      SecurityGroups: [securityGroup('sg-1')],
    };

    // Act
    const [evaluation] = evaluate(RULE, parts);

    // Assert
    expect(evaluation).toMatchObject({
      complianceType: 'NON_COMPLIANT',
      annotation:
        'cannot evaluate: endpoint vpce-1 lists security group sg-gone, not in the inventory (deleted, or owned by another account)',
    });
  });
});

describe('interface-endpoint-https-ingress unreadable VPC blocks', () => {
  it.each([
    {
      name: 'a malformed block list',
      vpcs: [
        {
          VpcId: 'vpc-1',
          CidrBlock: '10.0.0.0/16',
          CidrBlockAssociationSet: [{ CidrBlock: '10.0.0/16' }],
        },
      ],
      cause:
        'VPC vpc-1: CidrBlockAssociationSet[0].CidrBlock: expected a CIDR block',
    },
    {
      name: 'a malformed primary block',
      vpcs: [{ VpcId: 'vpc-1', CidrBlock: 'ten' }],
      cause: 'VPC vpc-1: CidrBlock: expected a CIDR block',
    },
  ])('names the field that is wrong for $name', ({ vpcs, cause }) => {
    // Act
    const verdict = verdictOf(
      RULE,
      withIngress(
        [ingress.https({ IpRanges: [{ CidrIp: '192.168.0.0/16' }] })],
        vpcs
      ),
      'vpce-1'
    );

    // Assert
    expect(verdict.complianceType).toBe('NON_COMPLIANT');
    expect(verdict.annotation).toContain(`cannot evaluate: ${cause}`);
  });
});

describe('interface-endpoint-https-ingress scope', () => {
  it.each([
    ['a Gateway endpoint', { type: 'Gateway', service: 's3' }],
    ['a GatewayLoadBalancer endpoint', { type: 'GatewayLoadBalancer' }],
    ['a deleting interface endpoint', { state: 'deleting' }],
    ['a failed interface endpoint', { state: 'failed' }],
  ])('reports %s as NOT_APPLICABLE', (_label, options) => {
    // Arrange: a group that admits nothing, which fails an evaluated endpoint.
    const parts = {
      VpcEndpoints: [endpoint('vpce-1', { ...options, groups: ['sg-1'] })],
      SecurityGroups: [securityGroup('sg-1')],
    };

    // Act
    const verdict = verdictOf(RULE, parts, 'vpce-1');

    // Assert
    expect(verdict.complianceType).toBe('NOT_APPLICABLE');
  });

  it.each(['pending', 'pendingAcceptance', 'Available'])(
    'evaluates an interface endpoint in state %s',
    (state) => {
      // Arrange
      const parts = {
        VpcEndpoints: [endpoint('vpce-1', { state, groups: ['sg-1'] })],
        SecurityGroups: [securityGroup('sg-1')],
      };

      // Act
      const verdict = verdictOf(RULE, parts, 'vpce-1');

      // Assert
      expect(verdict.complianceType).toBe('NON_COMPLIANT');
    }
  );
});
