import { describe, expect, it } from '@jest/globals';
import type { ScanResult } from '../../../cli/evaluate.js';
import { summarizeOrganization } from '../../../cli/report/organization.js';
import { rules } from '../../../rules/index.js';
import type { ComplianceType, Evaluation } from '../../../rules/model/rule.js';

const RULE_IDS = rules.map((rule) => rule.metadata.id);

const evaluation = (
  accountId: string,
  ruleId: string,
  complianceType: ComplianceType,
  resourceId = `r-${accountId}-${ruleId}`,
  region = 'us-east-1'
): Evaluation => ({
  ruleId,
  accountId,
  region,
  resourceType: 'AWS::EC2::VPCEndpoint',
  resourceId,
  complianceType,
  annotation: 'a',
});

const result = (
  evaluations: Evaluation[],
  problems: ScanResult['problems'] = []
): ScanResult => ({ evaluations, notOwned: [], problems, inventories: [] });

const SCOPE = {
  source: 'AWS Organizations o-a1b2c3d4e5, role Audit',
  accounts: [
    { id: '111111111111', name: 'clean' },
    { id: '222222222222', name: 'one failure' },
    { id: '333333333333', name: 'blind spot' },
    { id: '444444444444', name: 'two failures' },
  ],
  regions: ['us-east-1', 'eu-west-1'],
};

describe('summarizeOrganization', () => {
  const summary = summarizeOrganization(
    result(
      [
        evaluation('111111111111', 'interface-endpoint-multi-az', 'COMPLIANT'),
        evaluation(
          '222222222222',
          'interface-endpoint-multi-az',
          'NON_COMPLIANT'
        ),
        evaluation(
          '444444444444',
          'endpoint-policy-restrictive',
          'NON_COMPLIANT',
          'a'
        ),
        evaluation(
          '444444444444',
          'interface-endpoint-multi-az',
          'NON_COMPLIANT',
          'b'
        ),
        evaluation(
          '444444444444',
          'interface-endpoint-multi-az',
          'NOT_APPLICABLE',
          'c'
        ),
        evaluation(
          '222222222222',
          'endpoint-policy-restrictive',
          'COMPLIANT',
          'd',
          'eu-west-1'
        ),
      ],
      [
        {
          accountId: '333333333333',
          region: 'us-east-1',
          message: 'access denied',
        },
        {
          accountId: '333333333333',
          region: 'eu-west-1',
          message: 'access denied',
        },
        {
          accountId: '111111111111',
          region: 'us-east-1',
          resourceId: 'vpce-1',
          message: 'cannot evaluate: policy document is not JSON',
        },
      ]
    ),
    RULE_IDS,
    SCOPE
  );

  it('orders accounts worst first: failures, then Regions not loaded, then id', () => {
    // Assert
    expect(summary.accounts.map((a) => a.name)).toEqual([
      'two failures',
      'one failure',
      'blind spot',
      'clean',
    ]);
  });

  it('counts each account’s verdicts, Regions and failing rules', () => {
    // Assert
    expect(summary.accounts[0]).toEqual({
      accountId: '444444444444',
      name: 'two failures',
      nonCompliant: 2,
      compliant: 0,
      notApplicable: 1,
      regions: ['us-east-1'],
      notLoaded: [],
      // the worse rule first: the HIGH one ties the LOW one on failures
      failingRules: [
        'endpoint-policy-restrictive',
        'interface-endpoint-multi-az',
      ],
    });
    expect(summary.accounts[2]).toMatchObject({
      accountId: '333333333333',
      regions: [],
      notLoaded: ['eu-west-1', 'us-east-1'],
    });
    // A resource the rules could not evaluate does not make its Region unloaded.
    expect(summary.accounts[3]?.notLoaded).toEqual([]);
  });

  it('orders rules worst first: failures, then severity, then id, listing every rule', () => {
    // Assert
    expect(
      summary.rules.map(
        (r) => `${r.ruleId} ${r.nonCompliant} ${r.accountsFailing}`
      )
    ).toEqual([
      'interface-endpoint-multi-az 2 2',
      'endpoint-policy-restrictive 1 1',
      'interface-endpoint-https-ingress 0 0',
      'interface-endpoint-private-dns 0 0',
      'private-subnet-gateway-endpoints 0 0',
      'vpc-required-endpoints 0 0',
    ]);
  });

  it('lists accounts the results name beyond the scope (an aggregator’s)', () => {
    // Act
    const widened = summarizeOrganization(
      result([
        evaluation('555555555555', 'interface-endpoint-multi-az', 'COMPLIANT'),
      ]),
      RULE_IDS,
      {
        source: 'AWS Config aggregator org',
        accounts: [],
        regions: ['us-east-1'],
      }
    );

    // Assert
    expect(widened.accounts.map((a) => a.accountId)).toEqual(['555555555555']);
  });
});
