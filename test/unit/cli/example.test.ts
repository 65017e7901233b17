import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { rules } from '../../../rules/index.js';

const exec = promisify(execFile);
const BIN = 'dist/cli/main.js';
const EXAMPLE = 'examples/landscape.json';

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built command as a user would, as a child process. */
const vpceGuard = async (...args: string[]): Promise<Run> => {
  try {
    const { stdout, stderr } = await exec('node', [BIN, ...args]);
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return {
      status: failed.code,
      stdout: failed.stdout,
      stderr: failed.stderr,
    };
  }
};

interface JsonEvaluation {
  readonly ruleId: string;
  readonly resourceId: string;
  readonly complianceType: string;
  readonly annotation: string;
}

describe('vpce-guard on the bundled example (child process)', () => {
  let json: Run;

  beforeAll(async () => {
    if (!existsSync(BIN))
      throw new Error(`${BIN} is missing: run npm run build (npm test does)`);
    json = await vpceGuard('scan', '--snapshot', EXAMPLE, '--format', 'json');
  });

  it('exits 1 because the example has failures, and prints the JSON document', () => {
    // Assert
    expect(json.status).toBe(1);
    expect(json.stderr).toBe('');
    const document = JSON.parse(json.stdout);
    expect(Object.keys(document)).toEqual([
      'evaluations',
      'summary',
      'problems',
    ]);
    // The example is whole: nothing in it is undecidable.
    expect(document.problems).toEqual([]);
    expect(document.summary.evaluations).toBe(document.evaluations.length);
  });

  it.each(rules.map((r) => r.metadata.id))(
    'shows %s with both passing and failing resources',
    (ruleId) => {
      // Arrange
      const evaluations: JsonEvaluation[] = JSON.parse(json.stdout).evaluations;

      // Act
      const verdicts = new Set(
        evaluations
          .filter((e) => e.ruleId === ruleId)
          .map((e) => e.complianceType)
      );

      // Assert
      expect(verdicts).toEqual(
        new Set(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'])
      );
    }
  );

  it('explains every failing resource in examples/README.md', () => {
    // Arrange
    const readme = readFileSync('examples/README.md', 'utf8');
    const evaluations: JsonEvaluation[] = JSON.parse(json.stdout).evaluations;

    // Act
    const unexplained = evaluations
      .filter((e) => e.complianceType === 'NON_COMPLIANT')
      .filter((e) => !readme.includes(e.resourceId));

    // Assert
    expect(unexplained).toEqual([]);
  });

  it('prints the table with the same exit status', async () => {
    // Act
    const table = await vpceGuard('scan', '--snapshot', EXAMPLE);

    // Assert
    expect(table.status).toBe(1);
    expect(table.stdout).toContain('NON_COMPLIANT');
    expect(table.stdout).toMatch(/\d+ evaluations in 1 account-region/);
  });

  it('exits 2 with a one-line reason for a malformed file', async () => {
    // Act
    const run = await vpceGuard(
      'scan',
      '--snapshot',
      'test/fixtures/bad-input/not-json.json'
    );

    // Assert
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^vpce-guard: test\/fixtures\/bad-input\/not-json\.json: not valid JSON: .+\n$/
    );
  });
});
