import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { synthesize } from './synth.js';

const workDir = mkdtempSync(join(tmpdir(), 'vpce-guard-cfn-lint-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const stacks = () => {
  const { stacks } = synthesize({ context: { remediation: true } });
  return [
    ['VpceGuardAccount', stacks.account],
    ['VpceGuardOrganization', stacks.organization],
    ['VpceGuardMemberRole', stacks.memberRole],
  ] as const;
};

interface Acknowledged {
  readonly id: string;
  readonly reason: string;
}

const acknowledgementsUnder = (scope: IConstruct): Acknowledged[] =>
  scope.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter(
          (entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY
        )
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, string>).map(
            ([id, reason]) => ({ id, reason })
          )
        )
    );

describe('checks on the synthesized templates', () => {
  it.each(stacks())(
    'leaves no unacknowledged cdk-nag AwsSolutions finding in %s',
    (_name, stack) => {
      // Act
      const report = new AwsSolutionsChecks().validateScope(stack);

      // Assert
      expect(
        report.violations.map((violation) => ({
          rule: violation.ruleName,
          resources: violation.violatingResources.map(
            (resource) => resource.resourceLogicalId
          ),
        }))
      ).toEqual([]);
    }
  );

  it.each(stacks())(
    'gives every acknowledged finding in %s a reason',
    (_name, stack) => {
      // Act
      const acknowledged = acknowledgementsUnder(stack);

      // Assert
      expect(acknowledged.length).toBeGreaterThan(0);
      for (const { id, reason } of acknowledged) {
        expect({ id, reasonLength: reason.trim().length >= 40 }).toEqual({
          id,
          reasonLength: true,
        });
      }
    }
  );

  it.each(stacks())('passes cfn-lint with no error in %s', (name, stack) => {
    // Arrange
    const { account, organization, memberRole } = synthesize({
      context: { remediation: true },
    });
    const template = {
      VpceGuardAccount: account,
      VpceGuardOrganization: organization,
      VpceGuardMemberRole: memberRole,
    }[name];

    // Act
    const lint = cfnLint(`${stack.stackName}.template.json`, template);

    // Assert: cfn-lint's exit status is a bit mask (2 errors, 4 warnings,
    // 8 informational findings); all must be absent.
    expect(lint.error).toBeUndefined();
    expect({ status: lint.status, findings: lint.stdout }).toEqual({
      status: 0,
      findings: '',
    });
  });

  it.each(['account', 'organization'] as const)(
    'passes cfn-lint with no error in the %s stack with findingsSource config (its insights filter on Config’s findings)',
    (stack) => {
      // Arrange
      const template = synthesize({ context: { findingsSource: 'config' } })[
        stack
      ];

      // Act
      const lint = cfnLint(`${stack}-config-findings.template.json`, template);

      // Assert
      expect(lint.error).toBeUndefined();
      expect({ status: lint.status, findings: lint.stdout }).toEqual({
        status: 0,
        findings: '',
      });
    }
  );
});

/** Runs cfn-lint on one template, written to the work directory. */
const cfnLint = (fileName: string, template: Template) => {
  const file = join(workDir, fileName);
  writeFileSync(file, JSON.stringify(template.toJSON(), null, 2));
  return spawnSync(
    'cfn-lint',
    [
      '--format',
      'parseable',
      '--regions',
      'us-east-1',
      // W3005: CDK itself adds DependsOn on a function's role next to the
      // GetAtt of it; the redundancy is harmless and not ours to remove.
      '--ignore-checks',
      'W3005',
      '--',
      file,
    ],
    { encoding: 'utf8' }
  );
};
