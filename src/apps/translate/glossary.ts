/** One official term and its fixed translation. */
export interface GlossaryEntry {
  ja: string;
  en: string;
}

/**
 * Official terms with fixed English renderings (following the government's 法令用語日英標準対訳辞書 and
 * ministry usage). Longer terms first where one contains another.
 */
export const OFFICIAL_GLOSSARY: GlossaryEntry[] = [
  { ja: 'マイナンバーカード', en: 'My Number Card' },
  { ja: '個人番号カード', en: 'Individual Number Card' },
  { ja: '個人番号', en: 'Individual Number' },
  { ja: '住民基本台帳', en: 'Basic Resident Register' },
  { ja: '住民票の写し', en: 'copy of the certificate of residence' },
  { ja: '住民票', en: 'certificate of residence' },
  { ja: '在留カード', en: 'Residence Card' },
  { ja: '印鑑登録証明書', en: 'certificate of seal registration' },
  { ja: '戸籍謄本', en: 'certified copy of the family register' },
  { ja: '国民健康保険', en: 'National Health Insurance' },
  { ja: '国民年金', en: 'National Pension' },
  { ja: '介護保険', en: 'Long-Term Care Insurance' },
  { ja: '児童手当', en: 'Child Allowance' },
  { ja: '生活保護', en: 'public assistance' },
  { ja: '住民税', en: 'municipal inhabitant tax' },
  { ja: '固定資産税', en: 'fixed asset tax' },
  { ja: '地方公共団体', en: 'local public entity' },
  { ja: '地方自治法', en: 'Local Autonomy Act' },
  { ja: '個人情報の保護に関する法律', en: 'Act on the Protection of Personal Information' },
  { ja: '行政手続法', en: 'Administrative Procedure Act' },
  { ja: '条例', en: 'ordinance' },
  { ja: '市役所', en: 'City Hall' },
  { ja: '区役所', en: 'Ward Office' },
  { ja: '都道府県', en: 'prefectures' },
  { ja: '市町村', en: 'municipalities' },
  { ja: '転入届', en: 'notification of moving in' },
  { ja: '転出届', en: 'notification of moving out' },
  { ja: '避難所', en: 'evacuation shelter' },
  { ja: '避難指示', en: 'Evacuation Instruction' },
];

/**
 * Parse extra entries given as lines `日本語=English` (or tab-separated). A Japanese keyboard types the full-width
 * ＝ — such lines were silently dropped, so the model never saw the term; lines that still do not parse are
 * returned in `ignored` for the app to report.
 */
export function parseGlossaryLines(text: string): { entries: GlossaryEntry[]; ignored: string[] } {
  const entries: GlossaryEntry[] = [];
  const ignored: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const p = line.split(/[\s　]*(?:=|＝|\t)[\s　]*/);
    if (p.length === 2 && p[0]!.trim() && p[1]!.trim()) entries.push({ ja: p[0]!.replace(/^[\s　]+|[\s　]+$/g, ''), en: p[1]!.trim() });
    else ignored.push(line.trim());
  }
  return { entries, ignored };
}

/** The entries of parseGlossaryLines. */
export function parseGlossary(text: string): GlossaryEntry[] {
  return parseGlossaryLines(text).entries;
}

/** Entries whose source-side term occurs in the text (user entries override built-in ones for the same term). */
export function applicableEntries(text: string, direction: 'ja-en' | 'en-ja', entries: GlossaryEntry[]): GlossaryEntry[] {
  const byTerm = new Map<string, GlossaryEntry>();
  for (const e of entries) byTerm.set(direction === 'ja-en' ? e.ja : e.en.toLowerCase(), e);
  const lower = text.toLowerCase();
  const found = [...byTerm.values()].filter((e) => (direction === 'ja-en' ? text.includes(e.ja) : lower.includes(e.en.toLowerCase())));
  // Drop an entry contained in a longer found one (住民票 inside 住民票の写し) unless it also occurs on its own.
  return found.filter((e) => {
    const term = direction === 'ja-en' ? e.ja : e.en.toLowerCase();
    const hay = direction === 'ja-en' ? text : lower;
    const longer = found.filter((o) => o !== e && (direction === 'ja-en' ? o.ja : o.en.toLowerCase()).includes(term));
    if (!longer.length) return true;
    const stripped = longer.reduce((h, o) => h.split(direction === 'ja-en' ? o.ja : o.en.toLowerCase()).join(' '), hay);
    return stripped.includes(term);
  });
}

/** Glossary targets missing from a translation. */
export function glossaryViolations(output: string, direction: 'ja-en' | 'en-ja', entries: GlossaryEntry[]): GlossaryEntry[] {
  const lower = output.toLowerCase();
  return entries.filter((e) => (direction === 'ja-en' ? !lower.includes(e.en.toLowerCase()) : !output.includes(e.ja)));
}
