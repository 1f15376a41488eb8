import { PRH_ENTRIES } from '../data/prh-entries.js';
import { isHiragana, isKanji, tokenIndexAt } from '../morphology.js';
import type { RuleContext, RuleFamily } from '../types.js';
import { allowedAt, DROPPED } from './prh-overrides.js';

interface PrhRule {
  pattern: string;
  /** The replacement drops okurigana (受け付け → 受付): a noun rule, never applied to a verb. */
  nounOnly: boolean;
  /** Replacement, or null when the dictionary only says "use another word / rephrase". */
  replacement: string | null;
  message: string;
}

/** Prepare the dictionary once: drop broken (`?`) and no-op entries and the punctuation the 句読点 family owns. */
function compile(): PrhRule[] {
  const rules: PrhRule[] = [];
  for (const [pattern, expected, note] of PRH_ENTRIES) {
    if (pattern.includes('?') || pattern === expected || pattern === '，' || pattern === '．' || DROPPED.has(pattern)) continue;
    const tail = note ? `（${note}）` : '';
    if (expected === '××') {
      rules.push({ pattern, replacement: null, nounOnly: false, message: `「${pattern}」は公用文では言い換えます${tail} / rephrase this word` });
    } else if (expected.startsWith('〔')) {
      const alternatives = expected.replace(/[〔〕]/g, '');
      rules.push({ pattern, replacement: null, nounOnly: false, message: `「${pattern}」は「${alternatives}」などに言い換えます${tail} / use another word` });
    } else {
      // 暗渠 → 暗渠（きょ） keeps the annotation; ヶ → か（箇） drops it.
      const bare = expected.replace(/（[^）]*）/g, '').replace(/〔[^〕]*〕/g, '');
      const replacement = bare === pattern ? expected : bare;
      rules.push({ pattern, replacement, nounOnly: dropsOkurigana(pattern, replacement), message: `「${pattern}」は「${expected}」と書きます${tail} / official wording` });
    }
  }
  // Longest first, so 然しながら wins over 然し where both match at one place.
  return rules.sort((a, b) => b.pattern.length - a.pattern.length);
}

/** 受け付け → 受付, 申し込み → 申込み: the replacement is the pattern with some kana removed. */
function dropsOkurigana(pattern: string, replacement: string): boolean {
  if (replacement.length >= pattern.length || !/[\u3400-\u9fff]/.test(replacement)) return false;
  let j = 0;
  for (const c of pattern) if (c === replacement[j]) j++;
  return j === replacement.length;
}

let compiled: PrhRule[] | null = null;

/** Whether a verb morpheme lies in start … end (the match starts at a morpheme: atBoundaries). */
function coversVerb(ctx: RuleContext, start: number, end: number): boolean {
  for (let j = tokenIndexAt(ctx, start) ?? ctx.tokens.length; j < ctx.tokens.length && ctx.tokens[j]!.start < end; j++) {
    if (ctx.tokens[j]!.pos === '動詞') return true;
  }
  return false;
}

/**
 * A match must start where a morpheme starts, and end where one ends — or after a kanji whose
 * okurigana follows inside the same morpheme (て来 in て来る). That keeps 所 out of 場所, 已 out of words, …
 */
function atBoundaries(ctx: RuleContext, start: number, end: number, pattern: string): boolean {
  if (!ctx.starts.has(start)) return false;
  if (ctx.ends.has(end)) return true;
  return isKanji(pattern[pattern.length - 1]) && isHiragana(ctx.text[end]) && !isKanji(pattern[0]) ;
}

export const prh: RuleFamily = {
  id: 'prh',
  title: '公用文用字用語辞書 / official wording dictionary',
  check(ctx) {
    compiled ??= compile();
    const out = [];
    const taken: [number, number][] = [];
    for (const r of compiled) {
      for (let i = ctx.text.indexOf(r.pattern); i >= 0; i = ctx.text.indexOf(r.pattern, i + 1)) {
        const end = i + r.pattern.length;
        if (!atBoundaries(ctx, i, end, r.pattern)) continue;
        if (taken.some(([s, e]) => i < e && end > s)) continue;
        if (!allowedAt(ctx, r.pattern, i)) continue;
        if (r.nounOnly && coversVerb(ctx, i, end)) continue;
        taken.push([i, end]);
        out.push({ start: i, end, suggestion: r.replacement ?? r.pattern, message: r.message, fix: r.replacement !== null });
      }
    }
    return out;
  },
};
