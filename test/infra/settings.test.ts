import { describe, expect, it } from '@jest/globals';
import { InvalidContextError, readSettings } from '../../infra/settings.js';
import { rules } from '../../rules/index.js';

const settingsFrom = (context: Record<string, unknown>) =>
  readSettings((key) => context[key], rules);

describe('readSettings', () => {
  it('fills in the defaults of an empty context', () => {
    // Act
    const settings = settingsFrom({});

    // Assert
    expect(settings).toEqual({
      periodicFrequency: 'TwentyFour_Hours',
      ruleParameters: {},
      logRetentionDays: 90,
      logLevel: 'info',
      runbookBaseUrl: undefined,
      findingsSource: 'vpce-guard',
      suppressConfigFindings: true,
      memberRoleName: 'VpceGuardMemberRole',
      excludedAccounts: [],
      memberAccountIds: [],
      organizationId: undefined,
      organizationRegions: ['us-east-1'],
      deployAs: 'rules',
      memberRoleStackSet: true,
      memberRemediationStackSet: true,
      remediationDocuments: true,
      memberRoleOrganizationalUnitIds: [],
      memberRoleRegion: 'us-east-1',
      stackSetCallAs: 'SELF',
      remediation: false,
      remediationParameters: {},
    });
  });

  it('deploys the member role in the first organization Region unless told otherwise', () => {
    // Act
    const settings = settingsFrom({
      organizationRegions: 'eu-west-1,us-east-1',
    });

    // Assert
    expect(settings.memberRoleRegion).toBe('eu-west-1');
  });

  it('reads the StackSet targets, Region and caller, and the deployment form', () => {
    // Act
    const settings = settingsFrom({
      deployAs: 'conformancePack',
      memberRoleStackSet: 'false',
      memberRemediationStackSet: 'false',
      memberRoleOrganizationalUnitIds: 'r-ab12,ou-ab12-cdefgh34',
      memberRoleRegion: 'eu-central-1',
      stackSetCallAs: 'DELEGATED_ADMIN',
    });

    // Assert
    expect(settings).toMatchObject({
      deployAs: 'conformancePack',
      memberRoleStackSet: false,
      memberRemediationStackSet: false,
      memberRoleOrganizationalUnitIds: ['r-ab12', 'ou-ab12-cdefgh34'],
      memberRoleRegion: 'eu-central-1',
      stackSetCallAs: 'DELEGATED_ADMIN',
    });
  });

  it('reads `cdk -c` strings: numbers, booleans, JSON and comma lists', () => {
    // Act
    const settings = settingsFrom({
      logRetentionDays: '30',
      remediation: 'true',
      findingsSource: 'config',
      suppressConfigFindings: 'false',
      excludedAccounts: '111111111111, 222222222222',
      ruleParameters: '{"interface-endpoint-multi-az":{"minAzs":3}}',
    });

    // Assert
    expect(settings).toMatchObject({
      logRetentionDays: 30,
      remediation: true,
      findingsSource: 'config',
      suppressConfigFindings: false,
      excludedAccounts: ['111111111111', '222222222222'],
      ruleParameters: { 'interface-endpoint-multi-az': { minAzs: '3' } },
    });
  });

  it.each([
    [
      'periodicFrequency',
      'Daily',
      'context periodicFrequency: expected one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours, got "Daily"',
    ],
    [
      'logRetentionDays',
      45,
      'context logRetentionDays: expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got 45',
    ],
    [
      'runbookBaseUrl',
      'http://example.com',
      'context runbookBaseUrl: expected a value matching /^https:\\/\\/[^\\s]+$/u, got "http://example.com"',
    ],
    [
      'excludedAccounts',
      '1234',
      'context excludedAccounts[0]: expected a value matching /^\\d{12}$/u, got "1234"',
    ],
    [
      'organizationId',
      'org-1',
      'context organizationId: expected a value matching /^o-[a-z0-9]{10,32}$/u, got "org-1"',
    ],
    [
      'ruleParameters',
      { 'no-such-rule': {} },
      'context ruleParameters: no rule "no-such-rule"; rules: private-subnet-gateway-endpoints, interface-endpoint-multi-az, interface-endpoint-private-dns, endpoint-policy-restrictive, interface-endpoint-https-ingress',
    ],
    [
      'ruleParameters',
      { 'interface-endpoint-multi-az': { minAzs: 'zero' } },
      'context ruleParameters.interface-endpoint-multi-az: interface-endpoint-multi-az: parameter minAzs: expected an integer ≥ 1, got "zero"',
    ],
    [
      'remediationParameters',
      { 'no-such-rule': {} },
      'context remediationParameters: no rule "no-such-rule"; rules: private-subnet-gateway-endpoints, interface-endpoint-multi-az, interface-endpoint-private-dns, endpoint-policy-restrictive, interface-endpoint-https-ingress',
    ],
    ['ruleParameters', '{oops', 'context: "{oops" is not valid JSON'],
    [
      'deployAs',
      'pack',
      'context deployAs: expected one of rules, conformancePack, functions, got "pack"',
    ],
    [
      'memberRoleOrganizationalUnitIds',
      'o-abcdefghij',
      'context memberRoleOrganizationalUnitIds[0]: expected a value matching /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/u, got "o-abcdefghij"',
    ],
    [
      'memberRoleRegion',
      'eu-west',
      'context memberRoleRegion: expected a value matching /^[a-z]{2}(-[a-z]+)+-\\d$/u, got "eu-west"',
    ],
    [
      'stackSetCallAs',
      'ADMIN',
      'context stackSetCallAs: expected one of SELF, DELEGATED_ADMIN, got "ADMIN"',
    ],
    [
      'organizationRegions',
      [],
      'context organizationRegions: expected at least one item',
    ],
    [
      'findingsSource',
      'securityhub',
      'context findingsSource: expected one of vpce-guard, config, got "securityhub"',
    ],
    [
      'suppressConfigFindings',
      'yes',
      'context suppressConfigFindings: expected one of true, false, got "yes"',
    ],
  ])(
    'stops on %s = %j with a message naming the key',
    (key, value, message) => {
      // Act
      const read = () => settingsFrom({ [key]: value });

      // Assert
      expect(read).toThrow(InvalidContextError);
      expect(read).toThrow(message);
    }
  );

  it.each(['conformancePack', 'functions'])(
    'stops on remediation configurations with deployAs %s, which creates no Config rule to name',
    (deployAs) => {
      // Act
      const read = () => settingsFrom({ deployAs, remediation: true });

      // Assert
      expect(read).toThrow(InvalidContextError);
      expect(read).toThrow(
        `context remediation: a remediation configuration names its Config rule, which deployAs=${deployAs} does not create`
      );
    }
  );
});
