/**
 * One cheap pass over the folded text that tells which rules can possibly fire, so most rules stop
 * before running their regexes. Every check built on these counts is a necessary condition of the
 * rule's own patterns (e.g. a My Number needs 12 ASCII digits), so skipping never changes a result.
 */
export interface TextFeatures {
  /** ASCII digits (after width folding). */
  digits: number;
  /** Longest run of ASCII digits. */
  maxDigitRun: number;
  at: boolean;
  /** ASCII colons. */
  colons: number;
  /** ASCII capital letters. */
  upper: number;
}

export function textFeatures(folded: string): TextFeatures {
  let digits = 0;
  let run = 0;
  let maxDigitRun = 0;
  let at = false;
  let colons = 0;
  let upper = 0;
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      if (++run > maxDigitRun) maxDigitRun = run;
      continue;
    }
    run = 0;
    if (c >= 65 && c <= 90) upper++;
    else if (c === 64) at = true;
    else if (c === 58) colons++;
  }
  return { digits, maxDigitRun, at, colons, upper };
}

/** The features computed once per scan (see guard.ts), or computed now for a context built elsewhere. */
export function featuresOf(ctx: { folded: string; features?: TextFeatures }): TextFeatures {
  return ctx.features ?? textFeatures(ctx.folded);
}
