import { describe, expect, it } from '@jest/globals';
import * as z from 'zod/mini';
import {
  describeFound,
  describeIssues,
  formatPath,
  typeName,
} from '../../../functions/shared/formats/zod-messages.js';

const issuesOf = (
  schema: z.ZodMiniType,
  value: unknown
): z.core.$ZodIssue[] => {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) throw new Error('expected the value to be refused');
  return result.error.issues;
};

describe('typeName and describeFound', () => {
  it.each<[unknown, string, string]>([
    ['text', 'a string', 'the string "text"'],
    [3, 'a number', 'a number'],
    [false, 'true or false', 'true or false'],
    [null, 'null', 'null'],
    [[1], 'an array', 'an array'],
    [{ a: 1 }, 'an object', 'an object'],
    ['x'.repeat(60), 'a string', `the string "${'x'.repeat(46)}..."`],
  ])('names %p as %s, found as %s', (value, name, found) => {
    // Act
    const named = [typeName(value), describeFound(value)];

    // Assert
    expect(named).toEqual([name, found]);
  });
});

describe('formatPath', () => {
  it.each<[readonly PropertyKey[], string | undefined, string]>([
    [
      ['Subnets', 2, 'AvailabilityZoneId'],
      undefined,
      'Subnets[2].AvailabilityZoneId',
    ],
    [[], undefined, '(top level)'],
    [[], 'event', 'event'],
    [['invokingEvent', 'messageType'], 'event', 'invokingEvent.messageType'],
  ])('writes %p (root %s) as %s', (path, root, text) => {
    // Act
    const formatted = formatPath(path, root);

    // Assert
    expect(formatted).toBe(text);
  });
});

describe('describeIssues', () => {
  const Shape = z.object({
    id: z.string(),
    count: z.optional(z.number()),
    cidr: z.optional(
      z.string().check(
        z.refine((text) => text.includes('/'), {
          message: 'expected a CIDR block',
        })
      )
    ),
    list: z.optional(z.array(z.object({ name: z.string() }))),
  });

  const Tagged = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('a') }),
    z.object({ kind: z.literal('b') }),
    z.object({ kind: z.literal('c') }),
  ]);

  it.each<[string, z.ZodMiniType, unknown, string]>([
    ['a missing field', Shape, {}, 'id: missing (expected a string)'],
    [
      'a field of the wrong type',
      Shape,
      { id: 'x', count: '3' },
      'count: expected a number, got the string "3"',
    ],
    [
      'a refinement, with the string it refused',
      Shape,
      { id: 'x', cidr: '10.0.0.0' },
      'cidr: expected a CIDR block, got "10.0.0.0"',
    ],
    [
      'a list element',
      Shape,
      { id: 'x', list: [{ name: 'a' }, 7] },
      'list[1]: expected an object, got a number',
    ],
    [
      'the value itself',
      Shape,
      [],
      '(top level): expected an object, got an array',
    ],
    [
      'several problems',
      Shape,
      { count: 'x', list: {} },
      'id: missing (expected a string) (and 2 more problems)',
    ],
    [
      'an unknown tag',
      Tagged,
      { kind: 'd' },
      'kind: unsupported kind "d" (expected a, b or c)',
    ],
    ['a missing tag', Tagged, {}, 'kind: missing (expected a, b or c)'],
    [
      'a tag that is not a string',
      Tagged,
      { kind: 1 },
      'kind: expected a, b or c, got a number',
    ],
  ])('describes %s', (_label, schema, value, message) => {
    // Act
    const described = describeIssues(issuesOf(schema, value));

    // Assert
    expect(described).toBe(message);
  });

  it.each<[{ root?: string; under?: readonly PropertyKey[] }, unknown, string]>(
    [
      [{ root: 'event' }, 'x', 'event: expected an object, got the string "x"'],
      [
        { under: ['GetResourceConfigHistory configurationItems', 0] },
        {},
        'GetResourceConfigHistory configurationItems[0].id: missing (expected a string)',
      ],
    ]
  )('places the path with %p', (options, value, message) => {
    // Act
    const described = describeIssues(issuesOf(Shape, value), options);

    // Assert
    expect(described).toBe(message);
  });
});
