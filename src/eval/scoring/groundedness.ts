import { charBigrams, extractNumbers, isNegated, splitSentences } from '../text/normalize.js';

export interface CitedPassage {
  source: string;
  chunk: number;
  text: string;
}

export interface SentenceCheck {
  sentence: string;
  /** Share (0–1) of the sentence's character bigrams found in the cited passages. */
  support: number;
  /** Numbers the sentence states that no cited passage states. */
  missingNumbers: string[];
  /** The sentence's polarity (negated or not) differs from the passage sentence that supports it best. */
  negationMismatch: boolean;
  supported: boolean;
  /** The cited passage sentence closest to this one. */
  best?: { source: string; chunk: number; sentence: string };
}

export interface GroundednessResult {
  grounded: boolean;
  /** Sentences that were checked (very short ones and abstentions are skipped). */
  sentences: SentenceCheck[];
  /** Why the answer is not grounded, in one line (for the report). */
  reason?: string;
}

export interface GroundednessOptions {
  /** Minimum bigram support for a sentence to count as supported (default 0.5). */
  minSupport?: number;
}

const MIN_CHARS = 4;

/**
 * Check each sentence of an answer against the passages it cites, offline:
 * token overlap (character bigrams, robust to Japanese word boundaries), numbers (each number stated must
 * appear in a cited passage, kanji numerals normalised), and polarity (a sentence must not flip the negation of
 * the passage sentence it matches best). An answer with sentences but no cited passages is not grounded.
 */
export function checkGroundedness(answer: string, cited: CitedPassage[], options: GroundednessOptions = {}): GroundednessResult {
  const minSupport = options.minSupport ?? 0.5;
  const sentences = splitSentences(answer).filter((s) => charBigrams(s).length >= MIN_CHARS - 1);
  if (!sentences.length) return { grounded: true, sentences: [] };
  if (!cited.length) {
    return { grounded: false, sentences: sentences.map((s) => ({ sentence: s, support: 0, missingNumbers: extractNumbers(s), negationMismatch: false, supported: false })), reason: 'the answer cites no passage' };
  }
  const passageSentences = cited.flatMap((p) => splitSentences(p.text).map((sentence) => ({ source: p.source, chunk: p.chunk, sentence, grams: new Set(charBigrams(sentence)) })));
  const allGrams = new Set<string>();
  for (const ps of passageSentences) for (const g of ps.grams) allGrams.add(g);
  const passageNumbers = new Set(cited.flatMap((p) => extractNumbers(p.text)));

  const checks = sentences.map((sentence): SentenceCheck => {
    const grams = [...new Set(charBigrams(sentence))];
    const support = grams.length ? grams.filter((g) => allGrams.has(g)).length / grams.length : 1;
    let best: (typeof passageSentences)[number] | undefined;
    let bestCover = -1;
    for (const ps of passageSentences) {
      const cover = grams.filter((g) => ps.grams.has(g)).length;
      if (cover > bestCover) {
        bestCover = cover;
        best = ps;
      }
    }
    const missingNumbers = [...new Set(extractNumbers(sentence))].filter((n) => !passageNumbers.has(n));
    const negationMismatch = best !== undefined && bestCover > 0 && isNegated(sentence) !== isNegated(best.sentence);
    const supported = support >= minSupport && missingNumbers.length === 0 && !negationMismatch;
    return { sentence, support: round(support), missingNumbers, negationMismatch, supported, ...(best ? { best: { source: best.source, chunk: best.chunk, sentence: best.sentence } } : {}) };
  });
  const bad = checks.find((c) => !c.supported);
  if (!bad) return { grounded: true, sentences: checks };
  const why =
    bad.missingNumbers.length > 0
      ? `number ${bad.missingNumbers.join(', ')} is not in the cited passages`
      : bad.negationMismatch
        ? 'the sentence flips the negation of the passage it matches'
        : `support ${bad.support} is below ${minSupport}`;
  return { grounded: false, sentences: checks, reason: `「${bad.sentence.slice(0, 60)}」: ${why}` };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
