/**
 * Did-you-mean suggestions by edit distance, for unknown fields, steps, parameters and outputs.
 */

/** Levenshtein distance with adjacent transpositions (so `instnaceType` is one edit away). */
export function editDistance(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  // Three rolling rows: the transposition case needs the row two back.
  let prev2: number[] = new Array<number>(lb + 1).fill(0);
  let prev: number[] = Array.from({ length: lb + 1 }, (_, j) => j);
  for (let i = 1; i <= la; i++) {
    const cur: number[] = new Array<number>(lb + 1).fill(0);
    cur[0] = i;
    for (let j = 1; j <= lb; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      cur[j] = v;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[lb] ?? 0;
}

/**
 * The closest candidate to `word`, when it is close enough to be a plausible typo: at most a third
 * of the word's length in edits (and at least 1), compared case-insensitively first.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    if (c.toLowerCase() === lower) return c;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  // A suggestion must keep something of the word: `c` is not a typo of `a`.
  return best !== undefined && bestDistance <= limit && bestDistance < Math.min(word.length, best.length) ? best : undefined;
}

/** `did you mean \`x\`?` or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const c = closest(word, candidates);
  return c === undefined ? undefined : `did you mean \`${c}\`?`;
}
