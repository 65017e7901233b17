/**
 * Turns V8's `JSON.parse` errors into one stable line with a location.
 *
 * V8's wording differs between Node versions (20 says `… at position 59`,
 * 22 adds `(line 4 column 3)`), and its "Unexpected token" form quotes a
 * snippet of the input that may hold newlines or control characters. The
 * message users see keeps V8's reason, drops the snippet, and says where:
 * `Expected ',' or '}' after property value (line 4, column 3)`.
 */

/** V8 quotes this many characters either side of an unexpected token. */
const V8_CONTEXT = 10;

/** `line L, column C` (both from 1) of UTF-16 offset `at` in `text`. */
const lineColumn = (text: string, at: number): string => {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
};

/** A character as a person can read it on one line: `'}'` or `U+FEFF`. */
const showCharacter = (char: string): string =>
  /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char)
    ? `'${char}'`
    : `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Where V8's "Unexpected token 'x', <snippet> is not valid JSON" points,
 * recovered from the snippet; `undefined` when it is ambiguous.
 */
const locateToken = (
  text: string,
  char: string,
  snippet: string
): number | undefined => {
  const form = /^(\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/u.exec(
    snippet
  );
  if (!form) return undefined;
  const [, before, context = '', after] = form;
  let at: number | undefined;
  if (before && after) {
    const first = text.indexOf(context);
    if (first >= 0 && first === text.lastIndexOf(context)) {
      at = first + V8_CONTEXT;
    }
  } else if (after) {
    at = context.length - V8_CONTEXT;
  } else if (before) {
    at = text.length - context.length + V8_CONTEXT;
  } else if (text.indexOf(char) === text.lastIndexOf(char)) {
    at = text.indexOf(char);
  }
  return at !== undefined && text[at] === char ? at : undefined;
};

/**
 * One line saying why `text` is not JSON and where, for an error thrown by
 * `JSON.parse(text)`. Input that stops before the JSON is complete is called
 * out as possibly truncated.
 *
 * @example
 * describeJsonError(error, '{"a": 1,') // "Unexpected end of JSON input (line 1, column 9; is it truncated?)"
 */
const describeJsonError = (error: unknown, text: string): string => {
  const message = error instanceof Error ? error.message : String(error);
  const end = text.trimEnd().length;
  const truncated = `Unexpected end of JSON input (${lineColumn(text, end)}; is it truncated?)`;
  if (message.startsWith('Unexpected end of JSON input')) return truncated;
  const positioned = /^(.*?)(?: in JSON)? at position (\d+)/u.exec(message);
  if (positioned?.[1] !== undefined && positioned[2] !== undefined) {
    const at = Number(positioned[2]);
    return at >= end ? truncated : `${positioned[1]} (${lineColumn(text, at)})`;
  }
  const token = /^Unexpected token '([\s\S])', ([\s\S]*)$/u.exec(message);
  if (token?.[1] !== undefined && token[2] !== undefined) {
    const at = locateToken(text, token[1], token[2]);
    const where = at === undefined ? '' : ` (${lineColumn(text, at)})`;
    return `Unexpected token ${showCharacter(token[1])}${where}`;
  }
  return message.replace(/\s+/gu, ' ').trim();
};

export { describeJsonError, lineColumn };
