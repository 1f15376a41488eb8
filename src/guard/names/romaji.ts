/** Hiragana → Hepburn romaji, enough for name readings (with the long-vowel spellings people use). */
const BASE: Record<string, string> = {
  あ: 'a', い: 'i', う: 'u', え: 'e', お: 'o', か: 'ka', き: 'ki', く: 'ku', け: 'ke', こ: 'ko',
  さ: 'sa', し: 'shi', す: 'su', せ: 'se', そ: 'so', た: 'ta', ち: 'chi', つ: 'tsu', て: 'te', と: 'to',
  な: 'na', に: 'ni', ぬ: 'nu', ね: 'ne', の: 'no', は: 'ha', ひ: 'hi', ふ: 'fu', へ: 'he', ほ: 'ho',
  ま: 'ma', み: 'mi', む: 'mu', め: 'me', も: 'mo', や: 'ya', ゆ: 'yu', よ: 'yo',
  ら: 'ra', り: 'ri', る: 'ru', れ: 're', ろ: 'ro', わ: 'wa', を: 'o', ん: 'n',
  が: 'ga', ぎ: 'gi', ぐ: 'gu', げ: 'ge', ご: 'go', ざ: 'za', じ: 'ji', ず: 'zu', ぜ: 'ze', ぞ: 'zo',
  だ: 'da', ぢ: 'ji', づ: 'zu', で: 'de', ど: 'do', ば: 'ba', び: 'bi', ぶ: 'bu', べ: 'be', ぼ: 'bo',
  ぱ: 'pa', ぴ: 'pi', ぷ: 'pu', ぺ: 'pe', ぽ: 'po',
};
const SMALL: Record<string, string> = { ゃ: 'a', ゅ: 'u', ょ: 'o' };

export function toRomaji(hiragana: string): string {
  let out = '';
  let geminate = false;
  for (let i = 0; i < hiragana.length; i++) {
    const ch = hiragana[i]!;
    if (ch === 'っ') {
      geminate = true;
      continue;
    }
    let syl = BASE[ch] ?? '';
    const next = hiragana[i + 1];
    if (next && next in SMALL) {
      const v = SMALL[next]!;
      syl = syl === 'shi' ? 'sh' + v : syl === 'chi' ? 'ch' + v : syl === 'ji' ? 'j' + v : syl.slice(0, -1) + 'y' + v;
      i++;
    }
    if (geminate && syl) syl = (syl.startsWith('ch') ? 't' : syl[0]) + syl;
    geminate = false;
    out += syl;
  }
  return out;
}

/** The spellings a reading may take in romaji: satou, sato, satoh. */
export function romajiVariants(hiragana: string): string[] {
  const r = toRomaji(hiragana);
  const set = new Set([r, r.replace(/ou/g, 'o').replace(/uu/g, 'u').replace(/oo(?=[^aiueo]|$)/g, 'o'), r.replace(/ou/g, 'oh')]);
  return [...set];
}
