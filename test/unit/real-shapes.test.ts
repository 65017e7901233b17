/**
 * Snapshots in the shapes AWS returns in real accounts (test/fixtures/real-shapes,
 * one AWS fact each, in cases.json): none may cost the account-region its
 * evaluations. Each case is base.json plus one shape; the resources the
 * shape adds or changes get the verdicts the manifest names, and every
 * other resource keeps base.json's verdict and annotation exactly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { evaluateAll, type ScanResult } from '../../cli/evaluate.js';
import { rules } from '../../rules/index.js';
import { runCli } from '../helpers/cli.js';
import { loadInventories } from '../helpers/example.js';

const DIR = 'test/fixtures/real-shapes';

interface RealShape {
  readonly file: string;
  readonly shape: string;
  readonly fact: string;
  readonly expected: readonly {
    readonly ruleId: string;
    readonly resourceId: string;
    readonly complianceType: string;
    readonly annotationIncludes: string;
  }[];
  /** Resources another account owns, by owner. */
  readonly notOwned?: Readonly<Record<string, number>>;
  /** Resources that must get no evaluation at all. */
  readonly notEvaluated?: readonly string[];
  readonly problems?: readonly {
    readonly resourceId?: string;
    readonly messageIncludes: string;
  }[];
}

const cases = JSON.parse(
  readFileSync(`${DIR}/cases.json`, 'utf8')
) as RealShape[];

const scan = async (file: string): Promise<ScanResult> =>
  evaluateAll(
    rules.map((rule) => rule.prepare({})),
    await loadInventories(`${DIR}/${file}`)
  );

const key = (e: { ruleId: string; resourceId: string }) =>
  `${e.ruleId} ${e.resourceId}`;

describe('real-account shapes', () => {
  it('has at least 20 cases, each with the AWS fact behind it and a documentation link', () => {
    // Assert
    expect(cases.length).toBeGreaterThanOrEqual(20);
    for (const c of cases) {
      expect(c.fact).toMatch(/https:\/\/docs\.aws\.amazon\.com\//);
    }
  });

  it.each(cases.map((c) => [c.file, c] as const))(
    'evaluates %s without refusing the account-region',
    async (_file, c) => {
      // Act
      const result = await runCli(
        'scan',
        '--snapshot',
        `${DIR}/${c.file}`,
        '--format',
        'json',
        '--exit-zero'
      );

      // Assert
      expect({
        file: c.file,
        status: result.status,
        stderr: result.stderr,
      }).toEqual({ file: c.file, status: 0, stderr: '' });
    }
  );

  it.each(cases.map((c) => [c.file, c] as const))(
    'gives the resources %s adds or changes their verdicts, and every other one base.json’s',
    async (_file, c) => {
      // Arrange
      const base = await scan('base.json');
      const baseByKey = new Map(base.evaluations.map((e) => [key(e), e]));

      // Act
      const result = await scan(c.file);

      // Assert
      const byKey = new Map(result.evaluations.map((e) => [key(e), e]));
      for (const expected of c.expected) {
        const evaluation = byKey.get(key(expected));
        expect({
          case: key(expected),
          complianceType: evaluation?.complianceType,
        }).toEqual({
          case: key(expected),
          complianceType: expected.complianceType,
        });
        expect(evaluation?.annotation).toContain(expected.annotationIncludes);
      }
      const named = new Set(c.expected.map(key));
      for (const evaluation of result.evaluations) {
        const before = baseByKey.get(key(evaluation));
        if (named.has(key(evaluation)) || before === undefined) continue;
        expect({
          case: key(evaluation),
          complianceType: evaluation.complianceType,
          annotation: evaluation.annotation,
        }).toEqual({
          case: key(evaluation),
          complianceType: before.complianceType,
          annotation: before.annotation,
        });
      }
      for (const resourceId of c.notEvaluated ?? []) {
        expect(
          result.evaluations.filter((e) => e.resourceId === resourceId)
        ).toEqual([]);
      }
      const owners = new Map<string, Set<string>>();
      for (const entry of result.notOwned) {
        const ids = owners.get(entry.ownerId) ?? new Set<string>();
        ids.add(entry.resourceId);
        owners.set(entry.ownerId, ids);
      }
      expect(
        Object.fromEntries([...owners].map(([owner, ids]) => [owner, ids.size]))
      ).toEqual(c.notOwned ?? {});
      for (const problem of c.problems ?? []) {
        expect(result.problems).toContainEqual(
          expect.objectContaining({
            ...(problem.resourceId === undefined
              ? {}
              : { resourceId: problem.resourceId }),
            message: expect.stringContaining(problem.messageIncludes),
          })
        );
      }
      if ((c.problems ?? []).length === 0) expect(result.problems).toEqual([]);
    }
  );
});
