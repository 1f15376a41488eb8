/** Small inline SVG charts for the report: no scripts, no external files, print-friendly. */

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const PALETTE = ['#0017c1', '#c1272d', '#1a7f37', '#b35900', '#6f42c1', '#00798c', '#7a5c00', '#444444'];
export const colorFor = (i: number) => PALETTE[i % PALETTE.length]!;

export interface Point {
  label: string;
  x: number;
  y: number;
  /** Palette index (the model's place in the legend); default: the point's own index. */
  color?: number;
}

const W = 420;
const H = 260;
const M = { l: 52, r: 16, t: 28, b: 40 };

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v) ?? v;
}

/** Scatter of models: quality (0–1, y) against a cost axis (x). */
export function scatterChart(title: string, xLabel: string, yLabel: string, points: Point[]): string {
  const xmax = niceMax(Math.max(0, ...points.map((p) => p.x)) * 1.1);
  const sx = (x: number) => M.l + (x / xmax) * (W - M.l - M.r);
  const sy = (y: number) => H - M.b - y * (H - M.t - M.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const xticks = [0, 0.5, 1].map((f) => f * xmax);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">
<text x="${W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${esc(title)}</text>
${ticks.map((t) => `<line x1="${M.l}" x2="${W - M.r}" y1="${sy(t)}" y2="${sy(t)}" stroke="#ddd"/><text x="${M.l - 6}" y="${sy(t) + 4}" text-anchor="end" font-size="10">${t.toFixed(2)}</text>`).join('\n')}
${xticks.map((t) => `<text x="${sx(t)}" y="${H - M.b + 14}" text-anchor="middle" font-size="10">${fmt(t)}</text>`).join('\n')}
<line x1="${M.l}" x2="${W - M.r}" y1="${H - M.b}" y2="${H - M.b}" stroke="#333"/><line x1="${M.l}" x2="${M.l}" y1="${M.t}" y2="${H - M.b}" stroke="#333"/>
<text x="${(M.l + W - M.r) / 2}" y="${H - 6}" text-anchor="middle" font-size="11">${esc(xLabel)}</text>
<text transform="translate(12 ${(M.t + H - M.b) / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(yLabel)}</text>
${points.map((p, i) => `<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="6" fill="${colorFor(p.color ?? i)}" fill-opacity="0.8"><title>${esc(`${p.label}: ${fmt(p.x)}, ${p.y.toFixed(3)}`)}</title></circle><text x="${sx(p.x) + 9}" y="${sy(p.y) + 4}" font-size="11">${esc(p.label)}</text>`).join('\n')}
</svg>`;
}

/** Horizontal bars per model: p50 solid, p95 pale behind it. */
export function latencyChart(title: string, rows: { label: string; p50: number; p95: number; color?: number }[]): string {
  const rowH = 26;
  const h = M.t + rows.length * rowH + 30;
  const max = niceMax(Math.max(1, ...rows.map((r) => r.p95)));
  const left = 120;
  const sx = (v: number) => left + (v / max) * (W - left - M.r - 110);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="${esc(title)}">
<text x="${W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${esc(title)}</text>
${rows
  .map((r, i) => {
    const y = M.t + i * rowH;
    return `<text x="${left - 6}" y="${y + 15}" text-anchor="end" font-size="11">${esc(r.label)}</text>
<rect x="${left}" y="${y + 3}" width="${sx(r.p95) - left}" height="16" fill="${colorFor(r.color ?? i)}" fill-opacity="0.25"><title>p95 ${fmt(r.p95)} ms</title></rect>
<rect x="${left}" y="${y + 3}" width="${sx(r.p50) - left}" height="16" fill="${colorFor(r.color ?? i)}"><title>p50 ${fmt(r.p50)} ms</title></rect>
<text x="${sx(r.p95) + 4}" y="${y + 15}" font-size="10">${fmt(r.p50)} / ${fmt(r.p95)} ms</text>`;
  })
  .join('\n')}
<text x="${left}" y="${h - 8}" font-size="10">p50 (濃) / p95 (淡), 0 – ${fmt(max)} ms</text>
</svg>`;
}

export function fmt(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}
