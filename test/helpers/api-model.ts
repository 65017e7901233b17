import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One shape of a botocore service model, the parts the validator reads. */
interface ModelShape {
  readonly type: string;
  readonly required?: readonly string[];
  readonly members?: Readonly<Record<string, { readonly shape: string }>>;
  readonly member?: { readonly shape: string };
  readonly key?: { readonly shape: string };
  readonly value?: { readonly shape: string };
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly min?: number;
  readonly max?: number;
}

/** A botocore service model (`service-2.json`). */
interface ServiceModel {
  readonly shapes: Readonly<Record<string, ModelShape>>;
}

/**
 * Extra limits for one structure member, keyed `Shape.Member`: documented
 * limits the model omits. `min`/`max` bound string lengths, list lengths or
 * map sizes; `keyMax`/`valueMax` bound map key and value lengths.
 */
interface MemberLimits {
  readonly min?: number;
  readonly max?: number;
  readonly keyMax?: number;
  readonly valueMax?: number;
}

/** Limits by `Shape.Member`. */
type LimitOverlay = Readonly<Record<string, MemberLimits>>;

/**
 * Loads botocore's model of a service, plain or gzipped, from the botocore
 * that python3 imports (installed with moto).
 */
const loadBotocoreModel = (service: string, version: string): ServiceModel => {
  const root = execFileSync(
    'python3',
    ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'],
    { encoding: 'utf8' }
  ).trim();
  const file = join(root, 'data', service, version, 'service-2.json');
  const text = existsSync(file)
    ? readFileSync(file, 'utf8')
    : gunzipSync(readFileSync(`${file}.gz`)).toString('utf8');
  return JSON.parse(text) as ServiceModel;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const checkSize = (
  path: string,
  size: number,
  unit: string,
  min: number | undefined,
  max: number | undefined
): string[] => [
  ...(min !== undefined && size < min
    ? [`${path}: ${unit} ${size} < min ${min}`]
    : []),
  ...(max !== undefined && size > max
    ? [`${path}: ${unit} ${size} > max ${max}`]
    : []),
];

const validateString = (
  shape: ModelShape,
  value: unknown,
  path: string,
  limits: MemberLimits
): string[] => {
  if (typeof value !== 'string') return [`${path}: expected a string`];
  return [
    ...(shape.enum && !shape.enum.includes(value)
      ? [
          `${path}: ${JSON.stringify(value)} is not one of ${shape.enum.join('|')}`,
        ]
      : []),
    ...(shape.pattern && !new RegExp(`^(?:${shape.pattern})$`, 'su').test(value)
      ? [`${path}: does not match /${shape.pattern}/`]
      : []),
    ...checkSize(path, value.length, 'length', shape.min, shape.max),
    ...checkSize(path, value.length, 'length', limits.min, limits.max),
  ];
};

/**
 * Validates `value` against shape `shapeName` of a botocore model: required
 * members, unknown structure keys, list and map elements, string enums and
 * patterns, and min/max of strings, lists and maps (from the model and from
 * `overlay`). Returns the violations, each prefixed with its path; empty
 * when the value conforms.
 */
const validateShape = (
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  path = '$',
  overlay: LimitOverlay = {},
  limits: MemberLimits = {}
): string[] => {
  const shape = model.shapes[shapeName];
  if (!shape) return [`${path}: unknown shape ${shapeName}`];
  const recurse = (
    name: string,
    item: unknown,
    itemPath: string,
    itemLimits: MemberLimits = {}
  ): string[] =>
    validateShape(model, name, item, itemPath, overlay, itemLimits);
  switch (shape.type) {
    case 'structure': {
      if (!isRecord(value)) return [`${path}: expected an object`];
      const members = shape.members ?? {};
      const missing = (shape.required ?? [])
        .filter((name) => value[name] === undefined)
        .map((name) => `${path}.${name}: required`);
      const found = Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .flatMap(([key, item]) => {
          const member = members[key];
          if (!member) return [`${path}.${key}: not a member of ${shapeName}`];
          return recurse(
            member.shape,
            item,
            `${path}.${key}`,
            overlay[`${shapeName}.${key}`]
          );
        });
      return [...missing, ...found];
    }
    case 'list': {
      if (!Array.isArray(value)) return [`${path}: expected an array`];
      const element = shape.member?.shape ?? '';
      return [
        ...checkSize(path, value.length, 'items', shape.min, shape.max),
        ...checkSize(path, value.length, 'items', limits.min, limits.max),
        ...value.flatMap((item, index) =>
          recurse(element, item, `${path}[${index}]`)
        ),
      ];
    }
    case 'map': {
      if (!isRecord(value)) return [`${path}: expected an object`];
      const entries = Object.entries(value);
      return [
        ...checkSize(path, entries.length, 'entries', shape.min, shape.max),
        ...checkSize(path, entries.length, 'entries', limits.min, limits.max),
        ...entries.flatMap(([key, item]) => [
          ...recurse(shape.key?.shape ?? '', key, `${path}{key ${key}}`, {
            max: limits.keyMax,
          }),
          ...recurse(shape.value?.shape ?? '', item, `${path}.${key}`, {
            max: limits.valueMax,
          }),
        ]),
      ];
    }
    case 'string':
      return validateString(shape, value, path, limits);
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean`];
    case 'integer':
    case 'long':
      return Number.isInteger(value) ? [] : [`${path}: expected an integer`];
    case 'float':
    case 'double':
      return typeof value === 'number' ? [] : [`${path}: expected a number`];
    case 'timestamp':
      return value instanceof Date || typeof value === 'string'
        ? []
        : [`${path}: expected a timestamp`];
    default:
      return [`${path}: unsupported shape type ${shape.type}`];
  }
};

/**
 * ASFF limits the botocore model does not carry: the AwsSecurityFinding page
 * of the Security Hub API reference documents them.
 */
const SECURITY_HUB_FIELD_LIMITS: LimitOverlay = {
  'AwsSecurityFinding.Id': { max: 512 },
  'AwsSecurityFinding.GeneratorId': { max: 512 },
  'AwsSecurityFinding.Title': { max: 256 },
  'AwsSecurityFinding.Description': { max: 1024 },
  'AwsSecurityFinding.AwsAccountId': { min: 12, max: 12 },
  'AwsSecurityFinding.ProductArn': { min: 12, max: 2048 },
  'AwsSecurityFinding.Types': { max: 50 },
  'AwsSecurityFinding.Resources': { min: 1, max: 32 },
  'AwsSecurityFinding.ProductFields': { max: 50, keyMax: 128, valueMax: 2048 },
  'Recommendation.Text': { min: 1, max: 512 },
  'Severity.Original': { max: 64 },
  'FindingProviderSeverity.Original': { max: 64 },
  'ResourceDetails.Other': { max: 50, keyMax: 127, valueMax: 1023 },
};

export type { LimitOverlay, MemberLimits, ModelShape, ServiceModel };
export { loadBotocoreModel, SECURITY_HUB_FIELD_LIMITS, validateShape };
