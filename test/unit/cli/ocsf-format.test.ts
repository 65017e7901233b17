import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  Ajv2020,
  type ErrorObject,
  type ValidateFunction,
} from 'ajv/dist/2020.js';
import {
  buildComplianceFinding,
  OCSF_VERSION,
  type OcsfComplianceFinding,
} from '../../../cli/report/ocsf.js';
import { rules } from '../../../rules/index.js';
import type {
  ComplianceType,
  Evaluation,
  RuleMetadata,
} from '../../../rules/model/rule.js';
import { runCli } from '../../helpers/cli.js';
import { EXAMPLE } from '../../helpers/example.js';

/**
 * The JSON Schema of OCSF Compliance Finding compiled from the official
 * OCSF sources (test/fixtures/ocsf/README.md says which and how).
 */
const SCHEMA_FILE = 'test/fixtures/ocsf/compliance-finding.schema.json';
const RUNBOOKS = 'https://runbooks.example.test';

interface AsffFinding {
  readonly Id: string;
  readonly Resources: readonly { readonly Id: string }[];
  readonly Remediation: { readonly Recommendation: { readonly Url: string } };
}

interface JsonEvaluation {
  readonly ruleId: string;
  readonly region: string;
  readonly resourceType: string;
  readonly resourceId: string;
}

const loadSchema = (): Record<string, unknown> =>
  JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));

/**
 * Ajv in strict mode, but for `strictRequired`: OCSF's `at_least_one`
 * constraints are `anyOf` branches that require a property declared by
 * the object around them, which that check does not look at.
 */
const compile = (schema: Record<string, unknown>): ValidateFunction =>
  new Ajv2020({ strict: true, strictRequired: false, allErrors: true }).compile(
    schema
  );

const scan = async (format: string): Promise<string> => {
  const result = await runCli(
    'scan',
    '--snapshot',
    EXAMPLE,
    '--format',
    format,
    '--runbook-base-url',
    RUNBOOKS
  );
  // The example has failures: exit 1, and nothing on stderr.
  expect(result.status).toBe(1);
  expect(result.stderr).toBe('');
  return result.stdout;
};

/** `path` in `event` replaced by `value`, or removed when it is undefined. */
const mutated = (
  event: OcsfComplianceFinding,
  path: readonly string[],
  value: unknown
): unknown => {
  const copy = structuredClone(event) as unknown as Record<string, unknown>;
  const parents = path.slice(0, -1);
  const key = path.at(-1) ?? '';
  let target: Record<string, unknown> = copy;
  for (const step of parents) {
    target = target[step] as Record<string, unknown>;
  }
  if (value === undefined) delete target[key];
  else target[key] = value;
  return copy;
};

/**
 * Whether a validation error is about the attribute at `path`: an error
 * at it or below it, or its parent missing it or refusing it.
 */
const concerns = (error: ErrorObject, path: readonly string[]): boolean => {
  const at = `/${path.join('/')}`;
  const parent = path.length === 1 ? '' : `/${path.slice(0, -1).join('/')}`;
  const named = [error.params.missingProperty, error.params.additionalProperty];
  return (
    error.instancePath === at ||
    error.instancePath.startsWith(`${at}/`) ||
    (error.instancePath === parent && named.includes(path.at(-1)))
  );
};

describe('vpce-guard scan --format ocsf', () => {
  let lines: string[];
  let events: OcsfComplianceFinding[];
  let evaluations: JsonEvaluation[];
  let asff: AsffFinding[];
  let validate: ValidateFunction;

  beforeAll(async () => {
    const ocsf = await scan('ocsf');
    lines = ocsf.split('\n');
    events = lines.filter((line) => line !== '').map((l) => JSON.parse(l));
    evaluations = JSON.parse(await scan('json')).evaluations;
    asff = JSON.parse(await scan('asff'));
    validate = compile(loadSchema());
  });

  it('writes JSON Lines: one event per line, one line per evaluation', () => {
    // Assert
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).every((line) => line.startsWith('{'))).toBe(true);
    expect(events).toHaveLength(evaluations.length);
  });

  it('writes events that all validate against the OCSF schema of the pinned version', () => {
    // Act
    const invalid = events.flatMap((event) => {
      const valid: boolean = validate(event);
      return valid
        ? []
        : [{ uid: event.finding_info.uid, errors: validate.errors }];
    });

    // Assert
    expect(invalid).toEqual([]);
    const schema = loadSchema();
    expect(schema.$id).toBe(
      `urn:vpce-guard:test:ocsf:${OCSF_VERSION}:compliance_finding`
    );
    expect(new Set(events.map((e) => e.metadata.version))).toEqual(
      new Set([OCSF_VERSION])
    );
  });

  it('covers every rule and every compliance status of the example', () => {
    // Assert
    expect(new Set(events.map((e) => e.compliance.control))).toEqual(
      new Set(rules.map((r) => r.metadata.id))
    );
    expect(new Set(events.map((e) => e.compliance.status))).toEqual(
      new Set(['Pass', 'Fail', 'Not Applicable'])
    );
  });

  it('names each finding, resource and runbook as the ASFF finding of the same evaluation does', () => {
    // Act
    const pairs = events.map((event, index) => ({
      ocsf: [
        event.finding_info.uid,
        event.resources[0]?.uid,
        event.remediation.references[0],
      ],
      asff: [
        asff[index]?.Id,
        asff[index]?.Resources[0]?.Id,
        asff[index]?.Remediation.Recommendation.Url,
      ],
    }));

    // Assert
    expect(asff).toHaveLength(events.length);
    for (const { ocsf, asff: expected } of pairs)
      expect(ocsf).toEqual(expected);
    expect(events[0]?.remediation.references[0]).toMatch(
      /^https:\/\/runbooks\.example\.test\/rules\/[a-z-]+\/runbook\.md$/
    );
  });

  it('types each resource as the AWS type its evaluation was reported under', () => {
    // Act
    const types = events.map((event, index) => ({
      id: event.resources[0]?.uid_alt,
      type: event.resources[0]?.type,
      expected: {
        id: evaluations[index]?.resourceId,
        type: evaluations[index]?.resourceType,
      },
    }));

    // Assert
    for (const { id, type, expected } of types) {
      expect({ id, type }).toEqual(expected);
    }
    expect(new Set(types.map((t) => t.type))).toEqual(
      new Set(['AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::VPCEndpoint'])
    );
  });

  it.each([
    ['a compliance status outside the enum', ['compliance', 'status_id'], 4],
    [
      'a status caption that is not the status_id one',
      ['compliance', 'status'],
      'Warning',
    ],
    ['no finding_info.uid', ['finding_info', 'uid'], undefined],
    ['no compliance object', ['compliance'], undefined],
    ['no metadata.version', ['metadata', 'version'], undefined],
    ['another class', ['class_uid'], 2004],
    ['a type_uid of no Compliance Finding activity', ['type_uid'], 200305],
    [
      'an activity caption that is not the activity_id one',
      ['activity_name'],
      'Update',
    ],
    ['a severity outside the enum', ['severity_id'], 7],
    ['a time that is not epoch milliseconds', ['time'], '2025-01-01T00:00:00Z'],
    ['an attribute the class does not have', ['unknown_attribute'], true],
    ['no cloud object, which the cloud profile requires', ['cloud'], undefined],
    ['no cloud provider', ['cloud', 'provider'], undefined],
    [
      'metadata.profiles without the cloud profile',
      ['metadata', 'profiles'],
      [],
    ],
    [
      'a remediation without its description',
      ['remediation', 'desc'],
      undefined,
    ],
  ] as const)('the schema refuses an event with %s', (_case, path, value) => {
    // Arrange
    const event = events.find((e) => e.compliance.status === 'Fail');
    if (event === undefined) throw new Error('the example has no failure');

    // Act
    const valid = validate(mutated(event, path, value));

    // Assert
    expect(valid).toBe(false);
    expect(validate.errors?.some((error) => concerns(error, path))).toBe(true);
    expect(validate(event)).toBe(true);
  });
});

describe('buildComplianceFinding', () => {
  const found = rules.find((r) => r.metadata.resourceKind === 'vpc');
  if (found === undefined) throw new Error('no rule reports on VPCs');
  const rule: RuleMetadata = found.metadata;
  const evaluationOf = (complianceType: ComplianceType): Evaluation => ({
    ruleId: rule.id,
    accountId: '111122223333',
    region: 'cn-north-1',
    resourceType: rule.resourceType,
    resourceId: 'vpc-0123456789abcdef0',
    complianceType,
    annotation: 'why',
  });
  const context = {
    partition: 'aws-cn',
    runbookBaseUrl: RUNBOOKS,
    now: new Date('2025-06-01T12:00:00.000Z'),
    productVersion: '9.9.9',
  };

  it.each([
    ['COMPLIANT', 1, 'Pass', 3, 'Close', 'INFORMATIONAL'],
    ['NON_COMPLIANT', 3, 'Fail', 1, 'Create', 'RULE'],
    ['NOT_APPLICABLE', 99, 'Not Applicable', 3, 'Close', 'INFORMATIONAL'],
  ] as const)(
    '%s is compliance status %i (%s), activity %i (%s), severity %s',
    (complianceType, statusId, status, activityId, activity, severity) => {
      // Act
      const event = buildComplianceFinding(
        evaluationOf(complianceType),
        rule,
        context
      );

      // Assert
      expect(event.compliance).toMatchObject({ status_id: statusId, status });
      expect(event).toMatchObject({
        activity_id: activityId,
        activity_name: activity,
        type_uid: 2003 * 100 + activityId,
        type_name: `Compliance Finding: ${activity}`,
      });
      expect(event.severity.toUpperCase()).toBe(
        severity === 'RULE' ? rule.severity : severity
      );
    }
  );

  it('stamps the partition, the account, the product version and the time it is given', () => {
    // Act
    const event = buildComplianceFinding(
      evaluationOf('NON_COMPLIANT'),
      rule,
      context
    );

    // Assert
    expect(event.resources[0]?.uid).toMatch(
      /^arn:aws-cn:ec2:cn-north-1:111122223333:vpc\/vpc-0123456789abcdef0$/
    );
    expect(event.resources[0]?.cloud_partition).toBe('aws-cn');
    expect(event.cloud).toMatchObject({
      provider: 'AWS',
      region: 'cn-north-1',
      cloud_partition: 'aws-cn',
      account: { uid: '111122223333' },
    });
    expect(event.metadata.product).toEqual({
      name: 'vpce-guard',
      vendor_name: 'vpce-guard',
      version: '9.9.9',
    });
    expect(event.time).toBe(Date.parse('2025-06-01T12:00:00.000Z'));
    expect(event.finding_info.modified_time).toBe(event.time);
  });
});
