import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { rules } from '../../../rules/index.js';
import {
  loadBotocoreModel,
  SECURITY_HUB_FIELD_LIMITS,
  validateShape,
} from '../../helpers/api-model.js';
import { runCli, writeTemp } from '../../helpers/cli.js';

interface Finding {
  readonly Id: string;
  readonly GeneratorId: string;
  readonly RecordState: string;
  readonly Compliance: { readonly Status: string };
  readonly Remediation: { readonly Recommendation: { readonly Url: string } };
}

describe('vpce-guard scan --format asff', () => {
  it('prints one finding per evaluation that BatchImportFindings would accept', async () => {
    // Act
    const json = await runCli(
      'scan',
      '--snapshot',
      'examples/landscape.json',
      '--format',
      'json'
    );
    const asff = await runCli(
      'scan',
      '--snapshot',
      'examples/landscape.json',
      '--format',
      'asff',
      '--runbook-base-url',
      'https://runbooks.example.test'
    );

    // Assert
    expect(asff.status).toBe(1);
    const findings: Finding[] = JSON.parse(asff.stdout);
    expect(findings).toHaveLength(JSON.parse(json.stdout).evaluations.length);
    const model = loadBotocoreModel('securityhub', '2018-10-26');
    const violations = validateShape(
      model,
      'BatchImportFindingsRequest',
      { Findings: findings.slice(0, 100) },
      '$',
      SECURITY_HUB_FIELD_LIMITS
    );
    expect(violations).toEqual([]);
    expect(new Set(findings.map((f) => f.GeneratorId))).toEqual(
      new Set(rules.map((r) => `vpce-guard/${r.metadata.id}`))
    );
    for (const finding of findings) {
      expect(finding.RecordState).toBe(
        finding.Compliance.Status === 'FAILED' ? 'ACTIVE' : 'ARCHIVED'
      );
      expect(finding.Remediation.Recommendation.Url).toMatch(
        /^https:\/\/runbooks\.example\.test\/rules\/[a-z-]+\/runbook\.md$/
      );
    }
  });
});

describe('vpce-guard scan --format asff without --runbook-base-url', () => {
  it('links every finding to its rule’s SSM document on the console of the finding’s Region, never to .invalid', async () => {
    // Act
    const asff = await runCli(
      'scan',
      '--snapshot',
      'examples/landscape.json',
      '--format',
      'asff'
    );

    // Assert
    const findings: (Finding & {
      readonly Region?: string;
      readonly ProductArn: string;
    })[] = JSON.parse(asff.stdout);
    expect(findings.length).toBeGreaterThan(0);
    expect(asff.stdout).not.toContain('.invalid');
    for (const finding of findings) {
      const region = finding.ProductArn.split(':')[3];
      const ruleId = finding.GeneratorId.replace('vpce-guard/', '');
      const document = `VpceGuard-${ruleId
        .split('-')
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join('')}`;
      expect(finding.Remediation.Recommendation.Url).toBe(
        `https://${region}.console.aws.amazon.com/systems-manager/documents/${document}/description?region=${region}`
      );
    }
  });
});

describe('vpce-guard scan --format html', () => {
  it('writes one self-contained report naming every failing resource', async () => {
    // Arrange
    const output = join(dirname(writeTemp('x', '')), 'report.html');
    const json = await runCli(
      'scan',
      '--snapshot',
      'examples/landscape.json',
      '--format',
      'json'
    );

    // Act
    const result = await runCli(
      'scan',
      '--snapshot',
      'examples/landscape.json',
      '--format',
      'html',
      '--output',
      output
    );

    // Assert
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const html = readFileSync(output, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=/);
    expect(html).not.toContain('.invalid');
    const hrefs = [...html.matchAll(/href="([^"]*)"/gu)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) {
      expect(html).toContain(`id="${href?.replace(/^#/u, '')}"`);
    }
    const failing: { resourceId: string; complianceType: string }[] =
      JSON.parse(json.stdout).evaluations.filter(
        (e: { complianceType: string }) => e.complianceType === 'NON_COMPLIANT'
      );
    for (const evaluation of failing)
      expect(html).toContain(evaluation.resourceId);
  });
});
