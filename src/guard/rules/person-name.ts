import type { Finding } from '../types.js';
import { isHiragana, isKanji, isKatakana, isNameMorpheme, isPersonMorpheme, kanjiAt, type NameAnalyzer } from '../names/analyzer.js';
import { featuresOf } from '../text/features.js';
import { makeFinding, matches } from './context.js';
import type { PiiRule, RuleContext } from './types.js';

/** Honorifics and titles that follow a name; the span stops before them. */
const SUFFIX_RE = /様|さま|さん|氏(?!名)|殿|君|くん|ちゃん|先生|議員|副?委員長|委員(?!会)|副?会長|課長|係長|部長|主任|主査|室長|所長|局長|教授|弁護士|と申します|でございます|です(?=[。、!！\n])/g;
/** Roles and form fields that precede a name. */
const PREFIX_RE =
  /(?:氏名|お名前|名前|申請者|届出人|代表者|世帯主|相談者|来庁者|請求者|被保険者|保護者|記入者|作成者|報告者|依頼者|担当者?|対応者?|受付者?|応対者?|差出人|宛名|受取人|契約者|名義人|口座名義|フリガナ|ふりがな|Name|name)(?:名|氏名)?["'”」』]?[ \t]*(?:[:：=]|は|が|の)?[ \t]*["'“「『]?/g;
/** A label that introduces its value (氏名：, "氏名":", 申請者は, 相談者 ＿): what follows it is the name itself. */
const INTRODUCES = /(?:[:：=]|は|["'“「『]|[ \t])$/;
/** A full name in katakana, its parts split by a space or ・ (ヤマダ タロウ, ジョン・スミス). */
const KATAKANA_FULL = /^[\p{Script=Katakana}ー]{1,12}(?:[ ・][\p{Script=Katakana}ー]{1,12}){1,3}/u;
/** A full name in hiragana (やまだ はなこ): surname, a space or ・, given name. */
const HIRAGANA_FULL = /^([ぁ-ゖー]{1,8})[ ・]([ぁ-ゖー]{1,12})/;
/** What a hiragana given name runs into: an honorific, else a particle. */
const HIRAGANA_HONORIFIC = /(?<=^[ぁ-ゖー]{1,}?)(?:さん|さま|くん|ちゃん|どの).*$/;
const HIRAGANA_PARTICLE = /(?<=^[ぁ-ゖー]{2,}?)(?:から|より|です|でした|の|は|が|を|に|と|へ|で|も|や).*$/;
/** A full name in Latin letters (John Smith, YAMADA Taro, Mary-Jane O'Neil). */
const LATIN_FULL = /^[A-Z][A-Za-z'’-]*(?:[ ・][A-Z][A-Za-z'’-]*\.?){1,3}(?![A-Za-z])/;
/** 「山口です」「伊藤と申します」: a name only when the lists know the surname. */
const SELF_INTRO = /^(?:と申します|でございます|です)$/;
/** Titles between a role label and the name (代表者：代表取締役 中村 光). */
const TITLE_PREFIX = /^(?:代表取締役|取締役|代表社員|代表理事|理事長|会長|社長|所長|院長|園長|校長|父|母|夫|妻|長男|長女|次男|次女|祖父|祖母)[ \t]*/;
/** A department before the name (対応：市民課 田村). */
const DEPT_PREFIX = /^[\p{Script=Han}]{1,8}(?:課|係|室|部|局|センター)[ \t]+/u;
/** Words before 様 that are not names (皆様, お客様, ご担当者様 are caught by analysis; these are cheap). */
const NOT_NAMES = new Set(['皆', '客', '各位', '担当者', '関係者', '利用者', '申請者', '住民', '市民', '奥', '神', '王', '殿', '貴', '同', '方々', '保護者', '来庁者']);
/** A kanji that starts an honorific or title, so it ends a name (節子様, 上田課長). */
const NAME_STOPS = '様氏殿君課係部室局委会議主先';
/** A kanji that can continue a name, by code unit. */
const nameKanjiAt = (f: string, i: number): boolean => kanjiAt(f, i) && !NAME_STOPS.includes(f[i]!);
const ROMAJI_WORD = /^(?:[kgsztdnhbpmyrwfjc]{0,2}y?[aiueo]h?|n)+$/i;

export const personNameRule: PiiRule = {
  type: 'person_name',
  label: '氏名',
  detect(ctx) {
    const out: Finding[] = [];
    for (const m of matches(ctx.folded, SUFFIX_RE)) pushName(out, ctx, nameBefore(ctx, m.index, SELF_INTRO.test(m[0])), 0.92);
    for (const m of matches(ctx.folded, PREFIX_RE)) pushName(out, ctx, nameAfter(ctx, m.index + m[0].length, m[0]), 0.9);
    freeStanding(ctx, out);
    // Romaji names start with an ASCII capital.
    if (featuresOf(ctx).upper) romaji(ctx, out);
    return out;
  },
};

type Span = { start: number; end: number; score?: number } | null;

function pushName(out: Finding[], ctx: RuleContext, span: Span, score: number): void {
  if (!span || span.end <= span.start) return;
  const text = ctx.folded.slice(span.start, span.end);
  if (NOT_NAMES.has(text.replace(/^[おご]/, ''))) return;
  out.push(makeFinding(ctx, 'person_name', span.start, span.end, span.score ?? score));
}

/** The name right before a suffix at `s`. */
function nameBefore(ctx: RuleContext, s: number, listsOnly = false): Span {
  const f = ctx.folded;
  let a = s;
  if (isHiragana(f[s - 1])) {
    if (listsOnly) return null;
    while (a > s - 8 && isHiragana(f[a - 1])) a--;
    let k = a;
    while (k > a - 4 && kanjiAt(f, k - 1)) k--;
    if (k < a && ctx.names.lexicon.surnameAt(f, k) === a - k) a = k;
    else if (s - a < 3) return null;
    return kanaName(ctx, a, s);
  }
  let spaces = 0;
  while (a > s - 10) {
    const ch = f[a - 1];
    if (kanjiAt(f, a - 1) || isKatakana(ch)) a--;
    else if ((ch === ' ' || ch === '・') && spaces === 0 && a < s && (kanjiAt(f, a - 2) || isKatakana(f[a - 2]))) {
      spaces++;
      a--;
    } else break;
  }
  if (a === s) return null;
  const lex = ctx.names.lexicon;
  for (let p = a; p < s; p++) {
    const L = lex.surnameAt(f, p);
    if (!L) continue;
    let q = p + L;
    if (f[q] === ' ' || f[q] === '・') q++;
    const rest = s - q;
    if (rest <= 0) return { start: p, end: p + L };
    if (lex.givenAt(f, q) === rest) return { start: p, end: s };
    if (rest <= 3 && [...f.slice(q, s)].every(isKanji)) return givenByAnalysis(ctx, p, p + L, s);
  }
  return listsOnly ? null : withAnalysis(ctx, a, s);
}

/** A name in kana before an honorific (やまだはなこ様): from the first person morpheme to the suffix. */
function kanaName(ctx: RuleContext, a: number, s: number): Span {
  const f = ctx.folded;
  for (let p = a; p < s - 2; p++) {
    const L = ctx.names.lexicon.kanaSurnameAt(f, p);
    if (L && s - p - L <= 6) return { start: p, end: s, score: 0.8 };
  }
  const toks = ctx.names.tokenize(f.slice(a, s) + '様');
  if (!toks) return null;
  const i = toks.findIndex(isPersonMorpheme);
  if (i < 0) return null;
  const tail = toks.slice(i, -1);
  if (tail.some((t) => t.pos === '助詞' || t.pos === '動詞' || t.pos === '助動詞')) return null;
  return { start: a + toks[i]!.start, end: s, score: 0.8 };
}

/** Surname at [p, q) + 1–3 kanji up to s: the kanji are a given name only if kuromoji says so (高木総務部長 → 高木). */
function givenByAnalysis(ctx: RuleContext, p: number, q: number, s: number): Span {
  const toks = ctx.names.tokenize(ctx.folded.slice(p, s));
  if (!toks) return { start: p, end: s, score: 0.8 };
  // The surname must be a word of its own: 関係者 is not 関 + 係者.
  if (toks.some((t) => t.start < q - p && t.start + t.surface.length > q - p)) return null;
  const rest = toks.filter((t) => t.start >= q - p && t.surface.trim());
  if (rest.length && rest.every(isNameMorpheme)) return { start: p, end: s, score: 0.88 };
  return { start: p, end: q };
}

/** Kuromoji on [a, s): the trailing run of name morphemes. */
function withAnalysis(ctx: RuleContext, a: number, s: number): Span {
  const toks = ctx.names.tokenize(ctx.folded.slice(a, s));
  if (!toks) return null;
  let i = toks.length;
  let person = false;
  while (i > 0 && (isNameMorpheme(toks[i - 1]!) || (toks[i - 1]!.surface.trim() === '' && i < toks.length))) {
    if (isPersonMorpheme(toks[i - 1]!) || (!toks[i - 1]!.known && toks[i - 1]!.surface.length >= 2)) person = true;
    i--;
  }
  while (i < toks.length && toks[i]!.surface.trim() === '') i++;
  if (i === toks.length || !person) return null;
  return { start: a + toks[i]!.start, end: s, score: 0.85 };
}

/** The name right after a role or field label ending at `i`. */
function nameAfter(ctx: RuleContext, i: number, cue: string): Span {
  const f = ctx.folded;
  const title = TITLE_PREFIX.exec(f.slice(i, i + 8)) ?? DEPT_PREFIX.exec(f.slice(i, i + 12));
  if (title) i += title[0].length;
  const lex = ctx.names.lexicon;
  if (/フリガナ|ふりがな/.test(cue)) {
    const kana = /^[\p{Script=Katakana}ぁ-ゖー]+(?:[ ・][\p{Script=Katakana}ぁ-ゖー]+)?/u.exec(f.slice(i, i + 20));
    return kana ? { start: i, end: i + kana[0].length } : null;
  }
  const full = INTRODUCES.test(cue) ? fullNameAfter(ctx, i) : null;
  if (full) return full;
  const L = lex.surnameAt(f, i);
  if (L) {
    let q = i + L;
    const spaced = f[q] === ' ';
    if (spaced) q++;
    const g = lex.givenAt(f, q);
    if (g && !nameKanjiAt(f, q + g)) return { start: i, end: q + g };
    let e = q;
    while (e < q + 3 && nameKanjiAt(f, e)) e++;
    if (e > q && !nameKanjiAt(f, e)) return { start: i, end: e };
    return nameKanjiAt(f, i + L) ? null : { start: i, end: i + L };
  }
  const line = f.slice(i, i + 14).split(/[\n、。,，)）]/)[0]!;
  if (!line.trim()) return null;
  const rom = /^[A-Z][a-z]+(?: [A-Z][a-zA-Z]+)?/.exec(line);
  if (rom && rom[0].split(' ').every((w) => ROMAJI_WORD.test(w))) return { start: i, end: i + rom[0].length };
  const toks = ctx.names.tokenize(line);
  if (!toks) return null;
  let j = 0;
  let person = false;
  while (j < toks.length && (isNameMorpheme(toks[j]!) || (toks[j]!.surface === ' ' && j > 0))) {
    if (isPersonMorpheme(toks[j]!) || !toks[j]!.known) person = true;
    j++;
  }
  while (j > 0 && toks[j - 1]!.surface === ' ') j--;
  if (!j || !person) return null;
  const last = toks[j - 1]!;
  return { start: i, end: i + last.start + last.surface.length, score: 0.85 };
}

/**
 * Right after a label that introduces a name, a name of two or more parts split by a space or ・, in
 * katakana, hiragana, Latin letters or kanji (ヤマダ タロウ, やまだ はなこ, John Smith, 伊集院 光): all of it.
 */
function fullNameAfter(ctx: RuleContext, i: number): Span {
  const f = ctx.folded;
  const ahead = f.slice(i, i + 48);
  const kata = KATAKANA_FULL.exec(ahead);
  if (kata) return { start: i, end: i + kata[0].length, score: 0.88 };
  const hira = HIRAGANA_FULL.exec(ahead);
  if (hira) {
    const run = hira[2]!;
    const honorific = HIRAGANA_HONORIFIC.exec(run);
    const given = honorific ? run.slice(0, honorific.index) : run.replace(HIRAGANA_PARTICLE, '');
    if (given) return { start: i, end: i + hira[1]!.length + 1 + given.length, score: 0.85 };
  }
  const latin = LATIN_FULL.exec(ahead);
  // Words in capitals must read as romaji (YAMADA Taro), so "IT Support" is not a name.
  if (latin && latin[0].split(/[ ・]/).every((w) => !/^[A-Z'’.-]+$/.test(w) || ROMAJI_WORD.test(w.replace(/\.$/, '')))) {
    return { start: i, end: i + latin[0].length, score: 0.85 };
  }
  // Kanji: surname, a space or ・, given name (伊集院 光), each up to 6 code units, then no more kanji.
  let e = i;
  while (e < i + 6 && nameKanjiAt(f, e)) e++;
  if (e === i || (f[e] !== ' ' && f[e] !== '・')) return null;
  let g = e + 1;
  while (g < e + 7 && nameKanjiAt(f, g)) g++;
  if (g === e + 1 || nameKanjiAt(f, g)) return null;
  return { start: i, end: g, score: 0.85 };
}

/** Surname + listed given name (鈴木一郎), or surname + space + 1–3 kanji (山田 太郎), anywhere. */
function freeStanding(ctx: RuleContext, out: Finding[]): void {
  const f = ctx.folded;
  const lex = ctx.names.lexicon;
  for (let p = 0; p < f.length; p++) {
    if (!kanjiAt(f, p) || kanjiAt(f, p - 1)) continue;
    const L = lex.surnameAt(f, p);
    if (!L) continue;
    let q = p + L;
    const spaced = f.charCodeAt(q) === 32;
    if (spaced) q++;
    const g = lex.givenAt(f, q);
    if (g && !nameKanjiAt(f, q + g)) {
      out.push(makeFinding(ctx, 'person_name', p, q + g, 0.85));
      p = q + g;
      continue;
    }
    if (spaced) {
      let e = q;
      while (e < q + 3 && nameKanjiAt(f, e)) e++;
      if (e > q && !nameKanjiAt(f, e)) {
        out.push(makeFinding(ctx, 'person_name', p, e, 0.75));
        p = e;
      }
    }
  }
}

/** Romaji names: "Taro Yamada", "YAMADA Taro", "Yamada-san". */
function romaji(ctx: RuleContext, out: Finding[]): void {
  const lex = ctx.names.lexicon;
  const PAIR = /(?<![A-Za-z])([A-Z][a-z]+|[A-Z]{2,})[ ]([A-Z][a-z]+|[A-Z]{2,})(?![A-Za-z])/g;
  for (const m of matches(ctx.folded, PAIR)) {
    const [a, b] = [m[1]!.toLowerCase(), m[2]!.toLowerCase()];
    if (!ROMAJI_WORD.test(a) || !ROMAJI_WORD.test(b) || (!lex.romajiSurnames.has(a) && !lex.romajiSurnames.has(b))) {
      PAIR.lastIndex = m.index + m[1]!.length + 1; // "From Taro Yamada": retry from the second word
      continue;
    }
    out.push(makeFinding(ctx, 'person_name', m.index, m.index + m[0].length, 0.85));
  }
  for (const m of matches(ctx.folded, /(?<![A-Za-z])([A-Z][a-z]+)(?=[- ]san\b|[- ]sama\b)/g)) {
    if (lex.romajiSurnames.has(m[1]!.toLowerCase())) out.push(makeFinding(ctx, 'person_name', m.index, m.index + m[0].length, 0.85));
  }
}
