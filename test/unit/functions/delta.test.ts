import { describe, expect, it } from '@jest/globals';
import {
  type DeltaOptions,
  goneSinceRecorded,
  planDelta,
  type RecordedResult,
  recordOf,
  sendReasonOf,
} from '../../../functions/shared/report/delta.js';
import type { Evaluation } from '../../../rules/model/rule.js';

const NOW = new Date('2026-11-23T11:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;

const evaluation = (
  resourceId: string,
  complianceType: Evaluation['complianceType'] = 'COMPLIANT',
  annotation = 'all good'
): Evaluation => ({
  ruleId: 'interface-endpoint-multi-az',
  accountId: '111122223333',
  region: 'us-east-1',
  resourceType: 'AWS::EC2::VPCEndpoint',
  resourceId,
  complianceType,
  annotation,
});

const daysAgo = (days: number): Date => new Date(NOW.getTime() - days * DAY_MS);

const recorded = (
  complianceType: RecordedResult['complianceType'] = 'COMPLIANT',
  annotation = 'all good',
  extra: Partial<RecordedResult> = {}
): RecordedResult => ({
  complianceType,
  annotation,
  recordedAt: daysAgo(1),
  findingImported: true,
  ...extra,
});

const OPTIONS: DeltaOptions = {
  now: NOW,
  refreshDays: 30,
  importsFindings: true,
};

describe('sendReasonOf', () => {
  it.each([
    ['nothing recorded', evaluation('r'), undefined, OPTIONS, 'new'],
    [
      'the same verdict and annotation, recorded a day ago',
      evaluation('r'),
      recorded(),
      OPTIONS,
      undefined,
    ],
    [
      'another verdict',
      evaluation('r', 'NON_COMPLIANT', 'all good'),
      recorded(),
      OPTIONS,
      'changed',
    ],
    [
      'another annotation',
      evaluation('r', 'COMPLIANT', 'routes via vpce-2'),
      recorded(),
      OPTIONS,
      'changed',
    ],
    [
      'an annotation over 256 characters, recorded as Config cut it',
      evaluation('r', 'NON_COMPLIANT', 'x'.repeat(300)),
      recorded('NON_COMPLIANT', `${'x'.repeat(255)}…`),
      OPTIONS,
      undefined,
    ],
    [
      'no annotation, recorded as none',
      evaluation('r', 'COMPLIANT', ''),
      recorded('COMPLIANT', ''),
      OPTIONS,
      undefined,
    ],
    [
      'a result recorded 29 days ago',
      evaluation('r'),
      recorded('COMPLIANT', 'all good', { recordedAt: daysAgo(29) }),
      OPTIONS,
      undefined,
    ],
    [
      'a result recorded exactly refreshDays ago',
      evaluation('r'),
      recorded('COMPLIANT', 'all good', { recordedAt: daysAgo(30) }),
      OPTIONS,
      'refresh',
    ],
    [
      'refreshDays 0',
      evaluation('r'),
      recorded('COMPLIANT', 'all good', { recordedAt: NOW }),
      { ...OPTIONS, refreshDays: 0 },
      'refresh',
    ],
    [
      'a result with no recording time (a scan document)',
      evaluation('r'),
      recorded('COMPLIANT', 'all good', { recordedAt: undefined }),
      OPTIONS,
      undefined,
    ],
    [
      'a result recorded without its finding, findings now wanted',
      evaluation('r'),
      recorded('COMPLIANT', 'all good', { findingImported: false }),
      OPTIONS,
      'finding',
    ],
    [
      'a result recorded without its finding, findings still not wanted',
      evaluation('r'),
      recorded('COMPLIANT', 'all good', { findingImported: false }),
      { ...OPTIONS, importsFindings: false },
      undefined,
    ],
  ] as const)('is %s → %s', (_name, current, last, options, expected) => {
    // Act
    const reason = sendReasonOf(current, last, options);

    // Assert
    expect(reason).toBe(expected);
  });
});

describe('planDelta', () => {
  it('sends the new and the changed, skips the rest, and counts the reasons', () => {
    // Arrange
    const records = new Map([
      ['same', recorded()],
      ['changed', recorded('NON_COMPLIANT', 'open')],
      ['old', recorded('COMPLIANT', 'all good', { recordedAt: daysAgo(40) })],
    ]);

    // Act
    const delta = planDelta(
      [
        evaluation('changed'),
        evaluation('new'),
        evaluation('old'),
        evaluation('same'),
      ],
      records,
      OPTIONS
    );

    // Assert
    expect(delta.send.map((e) => e.resourceId)).toEqual([
      'changed',
      'new',
      'old',
    ]);
    expect(delta.skipped.map((e) => e.resourceId)).toEqual(['same']);
    expect(delta.reasons).toEqual({ changed: 1, new: 1, refresh: 1 });
  });

  it('sends everything when the records could not be read', () => {
    // Act
    const delta = planDelta(
      [evaluation('a'), evaluation('b')],
      undefined,
      OPTIONS
    );

    // Assert
    expect(delta.send).toHaveLength(2);
    expect(delta.skipped).toEqual([]);
    expect(delta.reasons).toEqual({ unknown: 2 });
  });
});

describe('goneSinceRecorded', () => {
  it('lists, sorted, what was recorded with a verdict other than NOT_APPLICABLE and is not current', () => {
    // Arrange
    const records = new Map([
      ['vpce-z', recorded('NON_COMPLIANT')],
      ['vpce-a', recorded('COMPLIANT')],
      ['vpce-na', recorded('NOT_APPLICABLE')],
      ['vpce-here', recorded('COMPLIANT')],
    ]);

    // Act
    const gone = goneSinceRecorded(records, new Set(['vpce-here']));

    // Assert
    expect(gone).toEqual(['vpce-a', 'vpce-z']);
  });
});

describe('recordOf', () => {
  it('records the annotation as Config stores it', () => {
    // Act
    const record = recordOf(
      evaluation('r', 'NON_COMPLIANT', 'y'.repeat(300)),
      NOW,
      false
    );

    // Assert
    expect(record).toEqual({
      complianceType: 'NON_COMPLIANT',
      annotation: `${'y'.repeat(255)}…`,
      recordedAt: NOW,
      findingImported: false,
    });
  });
});
