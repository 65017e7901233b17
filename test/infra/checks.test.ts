import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { synthesize } from './synth.js';

const workDir = mkdtempSync(join(tmpdir(), 'vpce-guard-cfn-lint-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Every stack, and the stacks that change with deployAs in that form. */
const stacks = () => {
  const { stacks } = synthesize({ context: { remediation: true } });
  const pack = synthesize({ context: { deployAs: 'conformancePack' } }).stacks;
  return [
    ['VpceGuardAccount', stacks.account],
    ['VpceGuardOrganization', stacks.organization],
    ['VpceGuardMemberRole', stacks.memberRole],
    ['VpceGuardMemberRemediation', stacks.memberRemediation],
    ['VpceGuardAccount (conformance pack)', pack.account],
    ['VpceGuardOrganization (conformance pack)', pack.organization],
  ] as const;
};

/**
 * Lints one template file with cfn-lint; resolves with its exit status
 * (a bit mask: 2 errors, 4 warnings, 8 informational findings) and output.
 */
const cfnLint = (file: string) => {
  const lint = spawnSync(
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
  return { error: lint.error, status: lint.status, findings: lint.stdout };
};

/** cfn-lint ran, exited 0 and reported nothing. */
const expectNoFinding = (lint: ReturnType<typeof cfnLint>): void => {
  expect(lint.error).toBeUndefined();
  expect({ status: lint.status, findings: lint.findings }).toEqual({
    status: 0,
    findings: '',
  });
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

  it.each(stacks())('passes cfn-lint with no finding in %s', (name, stack) => {
    // Arrange
    const template = Template.fromStack(stack);
    const file = join(workDir, `${name.replace(/\W+/gu, '-')}.template.json`);
    writeFileSync(file, JSON.stringify(template.toJSON(), null, 2));

    // Act
    const lint = cfnLint(file);

    // Assert: all findings must be absent.
    expectNoFinding(lint);
  });

  it.each(['account', 'organization'] as const)(
    'passes cfn-lint with no finding in the %s stack with findingsSource config (its insights filter on Config’s findings)',
    (stack) => {
      // Arrange
      const template = synthesize({ context: { findingsSource: 'config' } })[
        stack
      ];
      const file = join(workDir, `${stack}-config-findings.template.json`);
      writeFileSync(file, JSON.stringify(template.toJSON(), null, 2));

      // Act
      const lint = cfnLint(file);

      // Assert
      expectNoFinding(lint);
    }
  );

  it.each([
    ['the plain organization conformance pack template', 'organization'],
    ['the plain account conformance pack template', 'account'],
    ['the template the remediation StackSet deploys', 'remediation'],
  ] as const)('passes cfn-lint with no finding in %s', (_name, file) => {
    // Arrange
    const { conformancePackFiles, memberRemediationTemplateFile } =
      synthesize().stacks;
    const path =
      file === 'remediation'
        ? memberRemediationTemplateFile
        : conformancePackFiles[file];

    // Act
    const lint = cfnLint(path);

    // Assert
    expectNoFinding(lint);
  });
});
