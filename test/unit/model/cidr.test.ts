import { describe, expect, it } from '@jest/globals';
import {
  cidrContains,
  cidrsOverlap,
  parseCidr,
} from '../../../rules/model/cidr.js';

const cidr = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`not a CIDR: ${text}`);
  return parsed;
};

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/16', 4, 16],
    ['0.0.0.0/0', 4, 0],
    ['2600:1f18::/56', 6, 56],
    ['::/0', 6, 0],
  ])('reads %s as IPv%s with prefix %s', (text, family, prefix) => {
    expect(parseCidr(text)).toMatchObject({ text, family, prefix });
  });

  it.each([
    '10.0.0.0',
    '10.0.0.0/33',
    '10.0.0/16',
    '010.0.0.0/8',
    'nat-1',
    '',
    '::/129',
  ])('rejects %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('cidrsOverlap and cidrContains', () => {
  it.each([
    ['10.0.0.0/16', '10.0.1.0/24', true, true],
    ['10.0.1.0/24', '10.0.0.0/16', true, false],
    ['10.0.0.0/16', '10.1.0.0/16', false, false],
    ['0.0.0.0/0', '192.168.0.0/16', true, true],
    ['10.0.0.0/16', '::/0', false, false],
    ['2600:1f18::/56', '2600:1f18:0:1::/64', true, true],
  ])(
    '%s and %s overlap: %s, first contains second: %s',
    (a, b, overlap, contains) => {
      expect(cidrsOverlap(cidr(a), cidr(b))).toBe(overlap);
      expect(cidrContains(cidr(a), cidr(b))).toBe(contains);
    }
  );
});
