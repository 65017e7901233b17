import { describe, expect, it } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import {
  accountActionsOf,
  inventoryActionsOf,
  MEMBER_ROLE_ACTIONS,
  ORGANIZATION_READ_ACTIONS,
  VERDICT_TABLE_ACTIONS,
} from '../../functions/shared/aws/aws-actions.js';
import { pascalCase } from '../../infra/names.js';
import { rules } from '../../rules/index.js';
import { INVENTORY_SOURCES } from '../../rules/model/rule.js';
import { actionsCalledUnder } from './code-actions.js';
import { resourcesOf, synthesize } from './synth.js';

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
}

const actionsOf = (statement: Statement): string[] =>
  typeof statement.Action === 'string' ? [statement.Action] : statement.Action;

/** Every statement of every role and policy, with where it is. */
const statementsOf = (template: Template): [string, Statement][] => [
  ...Object.entries(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(
    ([id, policy]) =>
      (
        policy.Properties.PolicyDocument as { Statement: Statement[] }
      ).Statement.map((s): [string, Statement] => [id, s])
  ),
  ...Object.entries(resourcesOf(template, 'AWS::IAM::Role')).flatMap(
    ([id, role]) =>
      (
        (role.Properties.Policies ?? []) as {
          PolicyDocument: { Statement: Statement[] };
        }[]
      ).flatMap((policy) =>
        policy.PolicyDocument.Statement.map((s): [string, Statement] => [id, s])
      )
  ),
];

const stacks = () => {
  const synthesized = synthesize();
  return [
    ['VpceGuardAccount', synthesized.account],
    ['VpceGuardOrganization', synthesized.organization],
    ['VpceGuardMemberRole', synthesized.memberRole],
  ] as const;
};

describe('IAM of the stacks', () => {
  it('declares exactly the actions the functions’ SDK commands call', () => {
    // Act
    const called = actionsCalledUnder('functions');

    // Assert
    expect(called).toEqual(
      [
        ...accountActionsOf(INVENTORY_SOURCES),
        ...MEMBER_ROLE_ACTIONS,
        ...ORGANIZATION_READ_ACTIONS,
        ...VERDICT_TABLE_ACTIONS,
      ].sort()
    );
  });

  it.each(stacks())('grants no wildcard action in %s', (_name, template) => {
    // Act
    const wildcards = statementsOf(template).filter(([, statement]) =>
      actionsOf(statement).some((action) => action.includes('*'))
    );

    // Assert
    expect(statementsOf(template).length).toBeGreaterThan(0);
    expect(wildcards).toEqual([]);
  });

  it.each([
    ['each account function role', 'account'],
    ['the member role', 'memberRole'],
  ] as const)(
    'grants %s every action the code calls in the evaluated account for the sources the rules read',
    (_name, stack) => {
      // Arrange
      const template = synthesize()[stack];
      // Sources no deployed rule reads are never loaded, so not granted.
      const unread = inventoryActionsOf(
        INVENTORY_SOURCES.filter(
          (source) =>
            !rules.some((rule) => rule.metadata.inventory.includes(source))
        )
      );
      // STS, Organizations and the table of last verdicts are called in
      // the central account, as the function itself, never in a member.
      const called = actionsCalledUnder('functions').filter(
        (action) =>
          !action.startsWith('sts:') &&
          !action.startsWith('organizations:') &&
          !action.startsWith('dynamodb:') &&
          !unread.includes(action)
      );

      // Act
      const granted = new Set(
        statementsOf(template).flatMap(([, s]) => actionsOf(s))
      );

      // Assert
      expect(called.filter((action) => !granted.has(action))).toEqual([]);
    }
  );

  it('grants each account function its evaluation actions in a policy of its own', () => {
    // Arrange
    const { account } = synthesize();
    const evaluationPolicies = Object.values(
      resourcesOf(account, 'AWS::IAM::Policy')
    ).filter((policy) =>
      String(policy.Properties.PolicyName).includes('Evaluation')
    );

    // Assert
    expect(evaluationPolicies).toHaveLength(rules.length);
    for (const rule of rules) {
      const [policy, ...others] = Object.entries(
        resourcesOf(account, 'AWS::IAM::Policy')
      )
        .filter(([logicalId]) =>
          logicalId.startsWith(`${pascalCase(rule.metadata.id)}Evaluation`)
        )
        .map(([, resource]) => resource);
      expect(others).toEqual([]);
      if (!policy)
        throw new Error(`no evaluation policy for ${rule.metadata.id}`);
      const actions = (
        policy.Properties.PolicyDocument as { Statement: Statement[] }
      ).Statement.flatMap(actionsOf);
      expect([...actions].sort()).toEqual([
        ...accountActionsOf(rule.metadata.inventory),
      ]);
      expect(policy.Properties.Roles).toHaveLength(1);
    }
  });

  it.each([
    ['VpceGuardAccount', 'account'],
    ['VpceGuardOrganization', 'organization'],
  ] as const)(
    'lets each function of %s read and write its stack’s verdict table, and no other',
    (_name, stack) => {
      // Arrange
      const template = synthesize()[stack];
      const [tableId, ...others] = Object.keys(
        resourcesOf(template, 'AWS::DynamoDB::Table')
      );

      // Act
      const grants = statementsOf(template).filter(([, statement]) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:'))
      );

      // Assert
      expect(others).toEqual([]);
      expect(grants).toHaveLength(rules.length);
      for (const [, statement] of grants) {
        expect([...actionsOf(statement)].sort()).toEqual([
          ...VERDICT_TABLE_ACTIONS,
        ]);
        expect(statement.Resource).toEqual({
          'Fn::GetAtt': [tableId, 'Arn'],
        });
      }
    }
  );

  it('grants the member role nothing on any table', () => {
    // Act
    const actions = statementsOf(synthesize().memberRole).flatMap(([, s]) =>
      actionsOf(s)
    );

    // Assert
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });
});
