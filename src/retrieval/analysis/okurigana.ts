/**
 * Okurigana variants: the same word is written 問い合わせ or 問合せ, 取り扱い, 取扱い or 取扱, 申し込み,
 * 申込み or 申込 (公用文 and everyday writing differ, and so do offices). kuromoji keeps each spelling as its own
 * word, and their character bigrams barely overlap, so a query in one spelling missed a document in another.
 * The kanji skeleton — the word without its kana — is the same for all of them; it is indexed and searched as
 * one more word (`w:` field), alongside the word as written.
 */
const HAN = /\p{Script=Han}/u;
const KANJI_AND_HIRAGANA = /^[\p{Script=Han}\u3041-\u309f]+$/u;
const HIRAGANA = /[\u3041-\u309f]/gu;

/**
 * The kanji skeleton of a word written with kanji and okurigana (取り扱い → 取扱, 問合せ → 問合, 申し込む → 申込),
 * or null when there is none to add: a word without hiragana is its own skeleton, and a skeleton of one kanji
 * (見る → 見) would join unrelated words.
 */
export function kanjiSkeleton(word: string): string | null {
  if (!KANJI_AND_HIRAGANA.test(word) || !HAN.test(word[0]!)) return null;
  const skeleton = word.replace(HIRAGANA, '');
  return skeleton.length >= 2 && skeleton !== word ? skeleton : null;
}

/** The skeletons of a word list, for the words that have one. */
export function skeletons(words: string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    const s = kanjiSkeleton(w);
    if (s) out.push(s);
  }
  return out;
}
