import { describe, expect, it } from '@jest/globals';
import { median, round } from '../../../bench/stats.js';

describe('median', () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
    [[150.2, 149.8, 300, 151, 150], 150.2],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('is NaN for no values', () => {
    expect(median([])).toBeNaN();
  });

  it('leaves its input unsorted', () => {
    // Arrange
    const values = [3, 1, 2];

    // Act
    median(values);

    // Assert
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('round', () => {
  it.each([
    [34.5678, 1, 34.6],
    [34.5678, 0, 35],
    [0.125, 2, 0.13],
  ])('rounds %d to %i decimals: %d', (value, digits, expected) => {
    expect(round(value, digits)).toBe(expected);
  });
});
