import { describe, expect, it } from '@jest/globals';
import { truncate } from '../../../functions/shared/formats/asff.js';
import { describeJsonError } from '../../../functions/shared/formats/json-error.js';
import { clampAnnotation } from '../../../rules/model/rule.js';

const PARTIAL = '{\n  "AccountId": "111122223333",\n  "Vpcs": [\n';

/** What JSON.parse throws for `text` on the Node running the tests. */
const parseError = (text: string): unknown => {
  let thrown: unknown;
  try {
    JSON.parse(text);
  } catch (error) {
    thrown = error;
  }
  return thrown;
};

describe('describeJsonError', () => {
  it.each([
    [
      'Node 20',
      "Expected ',' or '}' after property value in JSON at position 31",
    ],
    [
      'Node 22',
      "Expected ',' or '}' after property value in JSON at position 31 (line 2 column 30)",
    ],
  ])('words a %s positional error the same way', (_node, message) => {
    // Act
    const text = describeJsonError(
      new SyntaxError(message),
      '{\n  "AccountId": "111122223333" "Region": "us-east-1"}'
    );

    // Assert
    expect(text).toBe(
      "Expected ',' or '}' after property value (line 2, column 30)"
    );
  });

  it('says where input that stops early ends, and that it may be truncated', () => {
    // Act
    const text = describeJsonError(parseError(PARTIAL), PARTIAL);

    // Assert
    expect(text).toBe(
      'Unexpected end of JSON input (line 3, column 12; is it truncated?)'
    );
  });

  it('drops the snippet V8 quotes, which may span lines, and keeps the location', () => {
    // Arrange: long enough for V8 to quote context around the token
    const input = '{\n  "Vpcs": [],\n  "Subnets": [}\n  "RouteTables": []\n}';

    // Act
    const text = describeJsonError(parseError(input), input);

    // Assert
    expect(text).toBe("Unexpected token '}' (line 3, column 15)");
  });

  it('names an invisible character by its code point', () => {
    // Arrange: a zero-width space pasted before the document
    const input = '\u200b{"AccountId": "111122223333"}';

    // Act
    const text = describeJsonError(parseError(input), input);

    // Assert
    expect(text).toBe('Unexpected token U+200B (line 1, column 1)');
  });
});

describe('cutting text to an AWS limit', () => {
  it('never leaves half of a surrogate pair in an annotation', () => {
    // Arrange: the 255th UTF-16 unit is the first half of an emoji
    const text = `${'x'.repeat(254)}${'🚀'.repeat(10)}`;

    // Act
    const annotation = clampAnnotation(text);

    // Assert
    expect(annotation).toBe(`${'x'.repeat(254)}…`);
  });

  it('never leaves half of a surrogate pair in a finding field', () => {
    // Act
    const title = truncate(`${'y'.repeat(8)}🚀🚀`, 10);

    // Assert
    expect(title).toBe(`${'y'.repeat(8)}…`);
  });
});
