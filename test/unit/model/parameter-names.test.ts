/**
 * Rule parameter names: a near miss of a name the rule knows is an error
 * that says which name was meant, the names Config tooling adds pass
 * silently, and any other name is ignored and reported to the caller.
 */
import { describe, expect, it } from '@jest/globals';
import { rules } from '../../../rules/index.js';
import { editDistance } from '../../../rules/model/edit-distance.js';
import { InvalidParameterError } from '../../../rules/model/errors.js';
import { CONFIG_ACCEPTED_PARAMETERS } from '../../../rules/model/parameters.js';
import { ruleNamed } from '../../helpers/factories.js';

/** Returns what `run` throws, so assertions stay outside any catch. */
const thrownBy = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, none was thrown');
};

describe('a parameter name that is a near miss', () => {
  it.each([
    // case only
    ['interface-endpoint-multi-az', 'minAZs', 'minAzs'],
    ['interface-endpoint-multi-az', 'MINAZS', 'minAzs'],
    ['interface-endpoint-https-ingress', 'securityhub', 'securityHub'],
    ['private-subnet-gateway-endpoints', 'Services', 'services'],
    ['interface-endpoint-private-dns', 'ExemptTagKey', 'exemptTagKey'],
    // one edit: deletion, insertion, substitution
    ['endpoint-policy-restrictive', 'trustedOrgId', 'trustedOrgIds'],
    ['private-subnet-gateway-endpoints', 'servicess', 'services'],
    ['interface-endpoint-multi-az', 'minAxs', 'minAzs'],
    ['interface-endpoint-private-dns', 'exemptService', 'exemptServices'],
    // two edits
    [
      'private-subnet-gateway-endpoints',
      'requireGatwayRout',
      'requireGatewayRoute',
    ],
    ['endpoint-policy-restrictive', 'trustedAcountId', 'trustedAccountIds'],
    ['interface-endpoint-multi-az', 'mnAz', 'minAzs'],
    ['interface-endpoint-https-ingress', 'exemptTagKeys_', 'exemptTagKey'],
    // transposition: one edit, and one plus another edit
    ['interface-endpoint-multi-az', 'minAsz', 'minAzs'],
    ['interface-endpoint-https-ingress', 'secuirtyHub', 'securityHub'],
    ['private-subnet-gateway-endpoints', 'servcies', 'services'],
    ['endpoint-policy-restrictive', 'trsutedOrgId', 'trustedOrgIds'],
    // of a name Config tooling adds: a typo there would silently act as
    // the function instead of the member role
    ['interface-endpoint-multi-az', 'ExecutionRolename', 'ExecutionRoleName'],
    ['endpoint-policy-restrictive', 'ExecutionRoleNmae', 'ExecutionRoleName'],
  ])('%s refuses %s as a typo of %s', (ruleId, given, meant) => {
    // Act
    const error = thrownBy(() =>
      ruleNamed(ruleId).prepare({ [given]: 'x', securityHub: 'false' })
    );

    // Assert
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error).toMatchObject({
      parameter: given,
      message: `${ruleId}: unknown parameter ${given} — did you mean ${meant}?`,
    });
  });

  it('is refused before the values are read', () => {
    // Act: minAzs is also invalid, but the typo is what the user must fix
    const error = thrownBy(() =>
      ruleNamed('interface-endpoint-multi-az').prepare({
        minAzs: 'zero',
        securityHUB: 'false',
      })
    );

    // Assert
    expect(error).toMatchObject({ parameter: 'securityHUB' });
  });
});

describe('a parameter name far from every known one', () => {
  it.each([
    ['interface-endpoint-multi-az', ['colour']],
    ['interface-endpoint-multi-az', ['minimumAzs']],
    ['private-subnet-gateway-endpoints', ['gatewayServices', 'owner']],
    ['interface-endpoint-private-dns', ['dnsServices']],
    ['endpoint-policy-restrictive', ['trustedPrincipals', 'ou']],
    ['interface-endpoint-https-ingress', ['port']],
  ])('%s ignores %j and reports it', (ruleId, names) => {
    // Arrange
    const rule = ruleNamed(ruleId);
    const raw = Object.fromEntries(names.map((name) => [name, 'x']));

    // Act
    const prepared = rule.prepare({ ...raw, securityHub: 'false' });

    // Assert
    expect(prepared.ignoredParameters).toEqual(names);
    expect(prepared.parameters).toEqual({
      ...rule.prepare({}).parameters,
      securityHub: false,
    });
  });

  it('reports nothing when every name is known', () => {
    // Act
    const prepared = ruleNamed('interface-endpoint-multi-az').prepare({
      minAzs: '3',
      exemptTagKey: 'skip',
    });

    // Assert
    expect(prepared.ignoredParameters).toEqual([]);
  });
});

describe('the names Config tooling adds', () => {
  it.each(
    rules.flatMap((rule) =>
      CONFIG_ACCEPTED_PARAMETERS.map((name) => [rule.metadata.id, name])
    )
  )('%s accepts %s silently', (ruleId, name) => {
    // Arrange
    const rule = ruleNamed(ruleId);

    // Act
    const prepared = rule.prepare({ [name]: 'VpceGuardMemberRole' });

    // Assert
    expect(prepared.ignoredParameters).toEqual([]);
    expect(prepared.parameters).toEqual(rule.prepare({}).parameters);
  });

  it('include ExecutionRoleName, which organization rules carry', () => {
    expect(CONFIG_ACCEPTED_PARAMETERS).toContain('ExecutionRoleName');
  });
});

describe('the names a rule knows', () => {
  it.each(rules.map((rule) => [rule.metadata.id, rule] as const))(
    '%s has none within four edits of another, so a typo is near one at most',
    (_id, rule) => {
      // Arrange
      const names = [
        ...rule.metadata.parameters.map((spec) => spec.name),
        ...CONFIG_ACCEPTED_PARAMETERS,
      ].map((name) => name.toLowerCase());

      // Act
      const closest = Math.min(
        ...names.flatMap((a, i) =>
          names.slice(i + 1).map((b) => editDistance(a, b))
        )
      );

      // Assert
      expect(closest).toBeGreaterThan(4);
    }
  );
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['minAzs', 'minAzs', 0],
    ['minAzs', 'minAz', 1],
    ['minAzs', 'minAzzs', 1],
    ['minAzs', 'minAxs', 1],
    ['minAzs', 'minAsz', 1],
    ['minAzs', 'imnAzs', 1],
    ['services', 'servcies', 1],
    ['trustedOrgIds', 'trsutedOrgId', 2],
    ['kitten', 'sitting', 3],
    // optimal string alignment: no substring is edited twice
    ['ca', 'abc', 3],
    ['minAzs', 'MINAZS', 5],
  ])('is %j → %j: %d', (a, b, expected) => {
    // Act and Assert
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});
