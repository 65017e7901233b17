/**
 * The optimal-string-alignment distance between `a` and `b`: the fewest
 * single-character insertions, deletions, substitutions and transpositions
 * of two adjacent characters that turn one into the other, no substring
 * being edited twice. A transposition (`minAsz` for `minAzs`) is one edit,
 * as a typist makes it; plain Levenshtein would count two.
 *
 * Compared by UTF-16 code unit, which is exact for the ASCII parameter
 * names it is used on (README "Dependencies" says why this is not a
 * library).
 */
const editDistance = (a: string, b: string): number => {
  // Three rows of the dynamic-programming table are all a transposition
  // looks back at.
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (beforePrevious[j - 2] ?? 0) + 1);
      }
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
};

export { editDistance };
