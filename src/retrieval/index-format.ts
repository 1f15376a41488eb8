/**
 * The version of what ingest writes for a file: its chunks (statute units, headings) and index terms (the
 * analyser's normalization, variants). A file is skipped as unchanged only when both its bytes and this version
 * are the same, so after an upgrade that changes either, ingesting the same folder again re-indexes every file
 * (reported as updated) instead of leaving it chunked and indexed the old way next to files done the new way.
 *
 * Bump it with any change to chunking/ or analysis/ that changes chunks or terms. History:
 * 1 (no suffix) — the first format; 2 — 附則 paragraphs and 別表 as their own units, 旧字体 → 新字体,
 * okurigana skeletons, 別表第N references; 3 — a statute without a title of its format is titled by its first
 * line (行政手続法 beside 平成五年法律第八十八号) instead of its file name; 4 — PDF lines wrapped at the margin joined; 5 — counts in Arabic (三十日 → 30日); 6 — 様式第N号 lines start a unit.
 */
export const INDEX_FORMAT = 6;

/** What documents.content_hash holds: the file's SHA-256 and the index format it was written with. */
export function contentStamp(sha256: string): string {
  return `${sha256}:f${INDEX_FORMAT}`;
}
