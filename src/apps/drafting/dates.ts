/** Japanese eras, newest first (start dates in the Gregorian calendar). */
const ERAS: { name: string; start: [number, number, number] }[] = [
  { name: '令和', start: [2019, 5, 1] },
  { name: '平成', start: [1989, 1, 8] },
  { name: '昭和', start: [1926, 12, 25] },
];

/** 令和6年4月1日 (wareki, 元年 for the first year) or 2024年4月1日 (seireki); 算用数字は半角. */
export function formatDate(date: Date, style: 'wareki' | 'seireki'): string {
  const y = date.getFullYear();
  const m = date.getMonth() + 1;
  const d = date.getDate();
  if (style === 'seireki') return `${y}年${m}月${d}日`;
  const key = y * 10_000 + m * 100 + d;
  const era = ERAS.find((e) => key >= e.start[0] * 10_000 + e.start[1] * 100 + e.start[2]);
  if (!era) return `${y}年${m}月${d}日`;
  const n = y - era.start[0] + 1;
  return `${era.name}${n === 1 ? '元' : n}年${m}月${d}日`;
}

/** Parse YYYY-MM-DD (or YYYY/MM/DD); null when the text is not such a date. */
export function parseIsoDate(text: string): Date | null {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text.trim().normalize('NFKC'));
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getMonth() === Number(m[2]) - 1 ? d : null;
}
