import { describe, expect, it } from '@jest/globals';
import { rules } from '../../rules/index.js';
import { resourcesOf, synthesize } from './synth.js';

const stacks = [
  ['VpceGuardAccount', 'account'],
  ['VpceGuardOrganization', 'organization'],
] as const;

describe('the table of last verdicts', () => {
  it.each(stacks)(
    'is one on-demand table in %s, keyed by rule and resource, expiring on expiresAt, deleted with the stack',
    (_name, stack) => {
      // Arrange
      const template = synthesize()[stack];

      // Act
      const tables = Object.values(
        resourcesOf(template, 'AWS::DynamoDB::Table')
      );
      const raw = template.findResources('AWS::DynamoDB::Table');

      // Assert
      expect(tables).toHaveLength(1);
      expect(tables[0]?.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'rule', KeyType: 'HASH' },
          { AttributeName: 'resource', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'rule', AttributeType: 'S' },
          { AttributeName: 'resource', AttributeType: 'S' },
        ],
        TimeToLiveSpecification: {
          AttributeName: 'expiresAt',
          Enabled: true,
        },
      });
      expect(Object.values(raw)[0]).toMatchObject({
        DeletionPolicy: 'Delete',
      });
    }
  );

  it.each(stacks)(
    'is named to every function of %s in VERDICT_TABLE_NAME',
    (_name, stack) => {
      // Arrange
      const template = synthesize()[stack];
      const [tableId] = Object.keys(
        resourcesOf(template, 'AWS::DynamoDB::Table')
      );

      // Act
      // The rule functions: those with a RULE_ID (a stack may hold others,
      // such as the organization stack's root lookup).
      const names = Object.values(
        resourcesOf(template, 'AWS::Lambda::Function')
      )
        .map(
          (fn) =>
            (
              fn.Properties.Environment as
                | { Variables?: Record<string, unknown> }
                | undefined
            )?.Variables ?? {}
        )
        .filter((variables) => variables.RULE_ID !== undefined)
        .map((variables) => variables.VERDICT_TABLE_NAME);

      // Assert
      expect(names).toEqual(rules.map(() => ({ Ref: tableId })));
    }
  );
});
