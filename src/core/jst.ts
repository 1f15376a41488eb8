/** Japan has one offset all year (no daylight saving time): UTC+9. */
export const JST_OFFSET_MS = 9 * 3600_000;

/** The calendar month in Japan time of an instant, as `YYYY-MM`, and when that month starts and ends (UTC ms). */
export function jstMonth(ms: number): { key: string; start: number; end: number } {
  const d = new Date(ms + JST_OFFSET_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return { key: d.toISOString().slice(0, 7), start: Date.UTC(y, m, 1) - JST_OFFSET_MS, end: Date.UTC(y, m + 1, 1) - JST_OFFSET_MS };
}
