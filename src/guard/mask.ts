import { digitsOnly } from './checks/check-digits.js';
import { PII_RULES } from './rules/index.js';
import { foldWidth } from './text/fold.js';
import { normalizeForRules } from './text/normalize.js';
import type { Finding, FindingType, MaskResult, MaskSession } from './types.js';

export function createMaskSession(): MaskSession {
  return { values: new Map(), placeholders: new Map(), counters: new Map() };
}

const NUMERIC: ReadonlySet<FindingType> = new Set(['my_number', 'corporate_number', 'phone', 'postal_code', 'credit_card', 'bank_account']);

const KANJI_DIGITS = '〇一二三四五六七八九';

/** Kanji numerals as ASCII digits (〇九〇 → 090, 零 → 0), for numbers written in kanji after a cue. */
function kanjiToDigits(s: string): string {
  let out = '';
  for (const ch of s) {
    const d = ch === '零' ? 0 : KANJI_DIGITS.indexOf(ch);
    out += d >= 0 ? String(d) : ch;
  }
  return out;
}

/**
 * The same value written differently (０９０-… vs 090…, 𝟎𝟗𝟎…, 〇九〇…, 山田 太郎 vs 山田\u200b太郎 vs 山田太郎) gets
 * the same placeholder, and different values never share one: the value is read as the rules read it
 * (normalizeForRules: invisible characters dropped, NFKC), numbers by their digits, kanji numerals included.
 */
export function canonicalValue(type: FindingType, value: string): string {
  const f = foldWidth(normalizeForRules(value).text);
  if (NUMERIC.has(type)) {
    const digits = digitsOnly(kanjiToDigits(f));
    if (digits) return digits;
  }
  if (type === 'email' || type === 'passport_number') return f.toLowerCase();
  return f.replace(/\s+/g, '');
}

/** Replace findings with typed placeholders (〔氏名1〕), reusing the session's numbering. */
export function maskFindings(text: string, findings: readonly Finding[], session: MaskSession): MaskResult {
  const ordered = [...findings].sort((a, b) => a.start - b.start);
  const replaced: MaskResult['replaced'] = [];
  let out = '';
  let at = 0;
  for (const f of ordered) {
    if (f.start < at) continue;
    const original = text.slice(f.start, f.end);
    const key = `${f.type}\u0000${canonicalValue(f.type, original)}`;
    let placeholder = session.placeholders.get(key);
    if (!placeholder) {
      const label = PII_RULES[f.type].label;
      // The next number the session has not issued and the request's text does not hold (reservePlaceholders).
      let n = session.counters.get(label) ?? 0;
      do placeholder = `〔${label}${++n}〕`;
      while (session.values.has(placeholder));
      session.counters.set(label, n);
      session.placeholders.set(key, placeholder);
      session.values.set(placeholder, original);
      replaced.push({ type: f.type, placeholder });
    }
    out += text.slice(at, f.start) + placeholder;
    at = f.end;
  }
  return { masked: out + text.slice(at), replaced };
}

const PLACEHOLDER_RE = /〔([^〔〕\s\d]{1,12})(\d{1,4})〕/g;

let labels: ReadonlySet<string> | null = null;
/** The labels of the placeholders a session issues (〔氏名1〕, 〔電話番号1〕…). */
const placeholderLabels = (): ReadonlySet<string> => (labels ??= new Set(Object.values(PII_RULES).map((r) => r.label)));

/**
 * Keep the placeholders a request's own text already holds out of the session's numbering, before anything of
 * that request is masked: a caller may type 〔氏名1〕, and if the session then issued 〔氏名1〕 for a value from
 * elsewhere (an app's system prompt, a passage), a model echoing the caller's text would have it restored into
 * that value for the caller. A reserved placeholder stands for itself: restored, it comes back as it was (and is
 * not a leak). Full-width digits and leading zeros are reserved in the form the session writes (〔氏名１〕 → 〔氏名1〕),
 * as a model may write them back so.
 */
export function reservePlaceholders(text: string, session: MaskSession): void {
  if (!text.includes('〔')) return;
  for (const m of foldWidth(text).matchAll(PLACEHOLDER_RE)) {
    const label = m[1]!;
    if (!placeholderLabels().has(label)) continue;
    const written = `〔${label}${Number(m[2])}〕`;
    if (!session.values.has(written)) session.values.set(written, written);
    if (m[0] !== written && !session.values.has(m[0])) session.values.set(m[0], m[0]);
  }
}

/** Restore placeholders the session issued; unknown ones stay as they are. */
export function unmask(text: string, session: MaskSession): string {
  // Nothing issued, or no placeholder in the text: the usual case, per streamed piece too.
  if (!session.values.size || !text.includes('〔')) return text;
  return text.replace(PLACEHOLDER_RE, (ph) => session.values.get(ph) ?? ph);
}

/** Placeholder-shaped tokens in a text, and whether the session issued them. */
export function findPlaceholders(text: string, session?: MaskSession): { placeholder: string; start: number; end: number; known: boolean }[] {
  if (!text.includes('〔')) return [];
  const labels = placeholderLabels();
  const out = [];
  for (const m of text.matchAll(PLACEHOLDER_RE)) {
    if (!labels.has(m[1]!)) continue;
    out.push({ placeholder: m[0], start: m.index, end: m.index + m[0].length, known: !!session?.values.has(m[0]) });
  }
  return out;
}
