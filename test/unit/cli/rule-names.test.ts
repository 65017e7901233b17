import { describe, expect, it } from '@jest/globals';
import { ruleIdOfConfigRuleName } from '../../../cli/organization/rule-names.js';
import { configRuleName } from '../../../infra/config-rules.js';
import { rules } from '../../../rules/index.js';

describe('ruleIdOfConfigRuleName', () => {
  it.each(rules.map((rule) => [rule.metadata.id, rule] as const))(
    'reads back the name the stacks give %s',
    (id, rule) => {
      // Act & Assert: the same prefix as infra/config-rules.ts
      expect(ruleIdOfConfigRuleName(configRuleName(rule))).toBe(id);
    }
  );

  it.each([
    // AWS Config's names for an organization rule in a member account
    [
      'OrgConfigRule-vpce-guard-endpoint-policy-restrictive-dbgzf8ba',
      'endpoint-policy-restrictive',
    ],
    [
      'OrgConfigRule-vpce-guard-interface-endpoint-multi-az-a1b2c3d4',
      'interface-endpoint-multi-az',
    ],
    // …and for a conformance pack's rule
    [
      'vpce-guard-vpc-required-endpoints-conformance-pack-szsm1uv0w',
      'vpc-required-endpoints',
    ],
    [
      'vpce-guard-private-subnet-gateway-endpoints',
      'private-subnet-gateway-endpoints',
    ],
    // Names that are not vpce-guard's
    ['OrgConfigRule-s3-bucket-versioning-enabled-dbgzf8ba', undefined],
    ['vpce-guard-endpoint-policy-restrictive-extra', undefined],
    ['OrgConfigRule-vpce-guard-endpoint-policy-restrictive', undefined],
    [
      'OrgConfigRule-vpce-guard-endpoint-policy-restrictive-two-parts',
      undefined,
    ],
    ['vpce-guard-unknown-rule', undefined],
    ['VPCE-GUARD-endpoint-policy-restrictive', undefined],
    ['', undefined],
  ])('reads %j as %s', (name, id) => {
    // Act & Assert
    expect(ruleIdOfConfigRuleName(name)).toBe(id);
  });
});
