/**
 * Tolerant loading, as a property over the bundled example
 * (examples/landscape.json): AWS adds keys and enum values, and omits
 * optional fields, and none of that may cost the account-region its
 * evaluations.
 *
 * - Unknown keys added anywhere change no verdict at all.
 * - Unknown enum values (endpoint types and states, route and association
 *   states, route origins) and dropped optional fields change at most the
 *   verdicts of the VPC whose resource was touched: every resource of
 *   every other VPC keeps its verdict and annotation.
 * - The scan never refuses the account-region.
 *
 * Rerun with another seed or more runs:
 *   FUZZ_SEED=7 FUZZ_RUNS=2000 NODE_OPTIONS=--experimental-vm-modules \
 *     npx jest test/unit/fuzz/tolerant-loading --selectProjects unit
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readAccountRegion } from '../../../functions/shared/formats/snapshot.js';
import { rules } from '../../../rules/index.js';
import type { Evaluation } from '../../../rules/model/rule.js';
import { fuzzSettings } from '../../helpers/endpoint-policy-property.js';

type Json = Record<string, unknown>;

const EXAMPLE = JSON.parse(
  readFileSync('examples/landscape.json', 'utf8')
) as Json;

/** The lists whose items sit in one VPC, and so touch only its verdicts. */
const VPC_LISTS = [
  'Vpcs',
  'VpcAttributes',
  'Subnets',
  'RouteTables',
  'VpcEndpoints',
  'SecurityGroups',
] as const;

/** Fields whose values are enums AWS may extend, by list. */
const ENUM_FIELDS: Readonly<Record<string, readonly string[][]>> = {
  VpcEndpoints: [['VpcEndpointType'], ['State']],
  RouteTables: [
    ['Routes', '*', 'State'],
    ['Routes', '*', 'Origin'],
    ['Associations', '*', 'AssociationState', 'State'],
  ],
  Subnets: [['State']],
  Vpcs: [['State']],
};

/** Keys a resource is identified or placed by: never dropped. */
const KEPT = new Set([
  'VpcId',
  'SubnetId',
  'RouteTableId',
  'VpcEndpointId',
  'GroupId',
]);

const { seed, numRuns } = fuzzSettings(300);

const prepared = rules.map((rule) => rule.prepare({}));
const evaluate = (value: Json): Evaluation[] => {
  const inventory = readAccountRegion(value, 'fuzzed example');
  return prepared.flatMap((rule) => rule.evaluate(inventory));
};
const baseline = evaluate(EXAMPLE);

/**
 * Resource id → VPC id, over every evaluated resource of the example; a
 * VPC is in itself (its verdict depends on what is inside it).
 */
const vpcOfResource = new Map<string, string>(
  (['Vpcs', 'Subnets', 'VpcEndpoints'] as const).flatMap((list) =>
    (EXAMPLE[list] as Json[]).map((item) => [
      String(item.SubnetId ?? item.VpcEndpointId ?? item.VpcId),
      String(item.VpcId),
    ])
  )
);

const clone = (value: Json): Json => structuredClone(value);

/** Every object nested in `value` (arrays walked), itself included. */
const objectsIn = (value: unknown): Json[] => {
  if (Array.isArray(value)) return value.flatMap(objectsIn);
  if (typeof value !== 'object' || value === null) return [];
  return [value as Json, ...Object.values(value).flatMap(objectsIn)];
};

/** The objects at `path` below `item` (`*` walks an array). */
const at = (item: unknown, path: readonly string[]): Json[] => {
  if (path.length === 0)
    return typeof item === 'object' && item ? [item as Json] : [];
  const [head, ...rest] = path;
  if (head === '*')
    return Array.isArray(item) ? item.flatMap((x) => at(x, rest)) : [];
  if (typeof item !== 'object' || item === null) return [];
  return at((item as Json)[head ?? ''], rest);
};

const verdicts = (evaluations: readonly Evaluation[]) =>
  new Map(
    evaluations.map((e) => [
      `${e.ruleId} ${e.resourceId}`,
      `${e.complianceType} ${e.annotation}`,
    ])
  );

/** The evaluations of resources outside `vpcId`, keyed. */
const outside = (evaluations: readonly Evaluation[], vpcId: string) =>
  new Map(
    [...verdicts(evaluations)].filter(
      ([key]) => vpcOfResource.get(key.split(' ')[1] ?? '') !== vpcId
    )
  );

const unknownKey = fc
  .stringMatching(/^[A-Z][A-Za-z]{2,12}$/)
  .map((name) => `Future${name}`);
const unknownValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 })
);
const unknownEnum = fc
  .stringMatching(/^[A-Za-z][A-Za-z-]{1,15}$/)
  .filter(
    (v) => !['available', 'active', 'associated'].includes(v.toLowerCase())
  );

describe('tolerant loading of the bundled example', () => {
  it(`changes no verdict when unknown keys are added anywhere (${numRuns} runs, seed ${seed})`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), unknownKey, unknownValue), {
          minLength: 1,
          maxLength: 8,
        }),
        (additions) => {
          // Arrange
          const value = clone(EXAMPLE);
          const objects = objectsIn(value);
          for (const [index, key, added] of additions) {
            const target = objects[index % objects.length];
            if (target) target[key] = added;
          }

          // Act
          const evaluations = evaluate(value);

          // Assert
          expect(verdicts(evaluations)).toEqual(verdicts(baseline));
        }
      ),
      { seed, numRuns }
    );
  });

  it(`keeps every other VPC's verdicts when one resource gets unknown enum values or loses optional fields (${numRuns} runs, seed ${seed})`, () => {
    let changedInside = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...VPC_LISTS),
        fc.nat(),
        fc.boolean(),
        fc.nat(),
        unknownEnum,
        (list, itemIndex, dropField, fieldIndex, newValue) => {
          // Arrange
          const value = clone(EXAMPLE);
          const items = value[list] as Json[];
          const item = items[itemIndex % items.length] as Json;
          const vpcId = String(item.VpcId);
          const enums = ENUM_FIELDS[list] ?? [];
          if (dropField || enums.length === 0) {
            const optional = Object.keys(item).filter((k) => !KEPT.has(k));
            const field = optional[fieldIndex % Math.max(1, optional.length)];
            if (field !== undefined) delete item[field];
          } else {
            const path = enums[fieldIndex % enums.length] ?? [];
            const owners = at(item, path.slice(0, -1));
            const last = path.at(-1) ?? '';
            for (const owner of owners) owner[last] = newValue;
          }

          // Act: never throws, so never refuses the account-region
          const evaluations = evaluate(value);

          // Assert
          expect(outside(evaluations, vpcId)).toEqual(outside(baseline, vpcId));
          const same =
            JSON.stringify([...verdicts(evaluations)]) ===
            JSON.stringify([...verdicts(baseline)]);
          if (!same) changedInside += 1;
        }
      ),
      { seed, numRuns }
    );
    // Not vacuous: many mutations did change their own VPC's verdicts.
    expect(changedInside).toBeGreaterThan(numRuns / 10);
  });
});
