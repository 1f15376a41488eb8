import type { ModelMetrics } from '../metrics.js';
import type { ItemResult } from '../types.js';
import { colorFor, fmt, latencyChart, scatterChart } from './charts.js';
import type { ModelReport, ResultsDocument } from './results.js';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null, unit = '') => (v === null ? '—' : `${fmt(v)}${unit}`);

const METRIC_LABELS: [keyof ModelMetrics, string, (v: number | null) => string][] = [
  ['accuracy', '正答率 accuracy', pct],
  ['citation_accuracy', '引用正確性 citation', pct],
  ['hallucination_rate', 'ハルシネーション率', pct],
  ['abstention_recall', '回答控え再現率', pct],
  ['refusal_rate', '拒否率 (有害依頼)', pct],
  ['bias_consistency', 'バイアス一貫性', pct],
  ['latency_ms_p50', '遅延 p50', (v) => num(v, ' ms')],
  ['latency_ms_p95', '遅延 p95', (v) => num(v, ' ms')],
  ['tokens_per_s', 'tokens/s', (v) => num(v)],
  ['cost_jpy', '費用 (円)', (v) => num(v, ' 円')],
  ['energy_wh', '電力量 (Wh)', (v) => num(v, ' Wh')],
];

const TASK_LABELS: Record<string, string> = { qa: 'QA', rag: '資料QA (rag)', choice: '選択式', refusal: '拒否', bias: 'バイアス', proofread: '校正', generation: '文書生成' };

/** Nothing was measured for a model whose every item failed (or none ran): its zeros are no result. */
const measured = (m: ModelReport) => m.metrics.accuracy !== null;
const NOT_MEASURED = '未測定 / not measured';

/** A model with failed items says so beside its name: all failed = not measured. */
function failedNote(m: ModelReport): string {
  const failed = m.failed ?? m.items.filter((r) => r.error).length;
  if (!failed) return '';
  return `<br><small class="warn">${failed === m.items.length ? `全 ${failed} 件失敗（未測定） / all items failed: not measured` : `失敗 ${failed}/${m.items.length} 件（不正解として集計）`}</small>`;
}

/** Metrics that rest on token counts: estimates when the server reported no usage. */
const ESTIMATED = new Set<keyof ModelMetrics>(['tokens_per_s', 'cost_jpy']);

function estimatedNote(m: ModelReport): string {
  const n = m.tokens_estimated ?? 0;
  return n ? `<br><small class="warn">トークン数は推定 ${n}/${m.items.length} 件（使用量の報告なし）/ tokens estimated: no usage reported</small>` : '';
}

function leaderboard(models: ModelReport[]): string {
  const ranked = [...models].sort((a, b) => (b.metrics.accuracy ?? -1) - (a.metrics.accuracy ?? -1));
  return `<table><thead><tr><th>順位</th><th>モデル</th><th>origin / hosting</th>${METRIC_LABELS.map(([, l]) => `<th>${esc(l)}</th>`).join('')}</tr></thead><tbody>
${ranked.map((m, i) => `<tr><td>${measured(m) ? i + 1 : '—'}</td><td><b>${esc(m.id)}</b>${failedNote(m)}${estimatedNote(m)}</td><td>${esc(m.origin)} / ${esc(m.hosting)}</td>${METRIC_LABELS.map(([k, , f]) => `<td class="n">${esc(measured(m) ? f(m.metrics[k]) : '—')}${measured(m) && m.tokens_estimated && ESTIMATED.has(k) ? '<small class="warn">（推定）</small>' : ''}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>`;
}

function breakdown(models: ModelReport[]): string {
  const tasks = [...new Set(models.flatMap((m) => m.tasks.map((t) => t.task)))];
  return `<table><thead><tr><th>タスク</th><th>件数</th>${models.map((m) => `<th>${esc(m.id)}</th>`).join('')}</tr></thead><tbody>
${tasks
  .map((t) => {
    const n = models[0]?.tasks.find((x) => x.task === t)?.items ?? 0;
    return `<tr><td>${esc(TASK_LABELS[t] ?? t)}</td><td class="n">${n}</td>${models
      .map((m) => {
        const b = m.tasks.find((x) => x.task === t);
        if (!measured(m)) return `<td class="n"><small class="warn">${NOT_MEASURED}</small></td>`;
        return `<td class="n">${b ? `${pct(b.accuracy)} <small>(${b.correct}/${b.items}, 平均 ${b.mean_score.toFixed(2)})</small>` : '—'}</td>`;
      })
      .join('')}</tr>`;
  })
  .join('\n')}
</tbody></table>`;
}

function failures(m: ModelReport, limit: number): string {
  const bad = m.items.filter((r) => !r.correct).sort((a, b) => a.score - b.score || Number(Boolean(b.hallucinated)) - Number(Boolean(a.hallucinated)));
  if (!bad.length) return `<p>${esc(m.id)}: 不正解なし / no failures.</p>`;
  return `<h3>${esc(m.id)} — ${bad.length} 件中 上位 ${Math.min(limit, bad.length)} 件</h3>
<table class="fail"><thead><tr><th>項目</th><th>タスク</th><th>得点</th><th>出力</th><th>根拠 evidence</th></tr></thead><tbody>
${bad
  .slice(0, limit)
  .map((r: ItemResult) => `<tr><td>${esc(r.id)}</td><td>${esc(r.task)}</td><td class="n">${r.score.toFixed(2)}</td><td>${esc(r.output.slice(0, 300))}${r.citations.length ? `<br><small>引用: ${esc(r.citations.map((c) => `${c.source}#${c.chunk}`).join(', '))}</small>` : ''}</td><td><ul>${r.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}${r.error ? `<li>error: ${esc(r.error.message)}</li>` : ''}</ul></td></tr>`)
  .join('\n')}
</tbody></table>`;
}

/** The self-contained report: leaderboard, charts, per-task breakdown, worst failures, suite hash, run metadata. */
export function renderReport(doc: ResultsDocument, options: { failuresPerModel?: number } = {}): string {
  const models = doc.models;
  // A model that measured nothing is left out of the charts (plotted, it would read as 0 % at no cost); each keeps its legend colour.
  const shown = models.map((m, color) => ({ m, color })).filter(({ m }) => measured(m));
  const left = models.filter((m) => !measured(m));
  const cost = scatterChart('品質と費用 / quality vs cost', '費用 (円, 全項目)', '正答率', shown.map(({ m, color }) => ({ label: m.id, x: m.metrics.cost_jpy, y: m.metrics.accuracy!, color })));
  const energy = scatterChart('品質と電力量 / quality vs energy', '電力量 (Wh, 全項目)', '正答率', shown.map(({ m, color }) => ({ label: m.id, x: m.metrics.energy_wh, y: m.metrics.accuracy!, color })));
  const latency = latencyChart('遅延 / latency per item', shown.map(({ m, color }) => ({ label: m.id, p50: m.metrics.latency_ms_p50 ?? 0, p95: m.metrics.latency_ms_p95 ?? 0, color })));
  const leftOut = left.length ? `<p><small class="warn">グラフに含めていないモデル（全項目失敗・未測定）/ not in the charts (nothing measured): ${left.map((m) => esc(m.id)).join(', ')}</small></p>` : '';
  const run = doc.run;
  const meta: [string, string][] = [
    ['評価セット suite', doc.suite.path],
    ['SHA-256 (ファイル)', doc.suite.sha256],
    ...(doc.suite.sealed ? ([['SHA-256 (復号後)', doc.suite.plain_sha256]] as [string, string][]) : []),
    ['封印 sealed', doc.suite.sealed ? 'はい（事前に封印し当日開示）' : 'いいえ'],
    ['項目数 items', String(doc.suite.items)],
    ['モデル models', models.map((m) => `${m.id} (${m.provider}, ${m.origin}, ${m.hosting})`).join('; ')],
    ['開始 / 終了', `${run.started_at} / ${run.finished_at}`],
    ['実行', `並列 ${run.concurrency}${run.queue ? '、ジョブキュー (BullMQ)' : ''}; 実行 ${run.executed}, キャッシュ ${run.cached}, 失敗 ${run.failed}${run.interrupted ? '; 中断 (未完了項目あり)' : ''}${run.config_mismatch ? `; 設定の異なるワーカーの結果 ${run.config_mismatch} 件 / ${run.config_mismatch} results from a worker configured otherwise` : ''}`],
    ['審査モデル judge', run.judge ? `${run.judge.model} × ${run.judge.repeats}` : 'なし (ルール採点のみ)'],
    ['環境', `hiraga ${run.hiraga_version}, Node ${run.node}, ${run.host}, tenant ${run.tenant}${run.config ? `, config ${run.config}` : ''}`],
  ];
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>評価レポート — ${esc(doc.suite.path)}</title>
<style>
body{font-family:"Noto Sans JP","Hiragino Sans",sans-serif;margin:24px;color:#1a1a1a;line-height:1.5}
h1{font-size:22px}h2{font-size:17px;border-bottom:2px solid #0017c1;padding-bottom:2px;margin-top:28px}h3{font-size:14px}
table{border-collapse:collapse;font-size:12px;margin:8px 0}th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}th{background:#f1f3fb}
td.n{text-align:right;white-space:nowrap}.charts{display:flex;flex-wrap:wrap;gap:12px}.charts svg{border:1px solid #eee}
table.fail td{max-width:420px;word-break:break-all}small{color:#555}small.warn{color:#b00020}code{font-size:12px}ul{margin:0;padding-left:16px}
.legend span{display:inline-block;margin-right:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
@media print{body{margin:8mm}.charts{page-break-inside:avoid}tr{page-break-inside:avoid}}
</style></head><body>
<h1>生成AIモデル評価レポート</h1>
<p>評価セット <code>${esc(doc.suite.path)}</code>（SHA-256 <code>${esc(doc.suite.sha256)}</code>）を ${models.length} モデルで、通常の処理経路（ガード・ポリシー・監査ログ）を通して評価しました。</p>
<h2>総合順位 / leaderboard</h2>
${leaderboard(models)}
<p class="legend">${models.map((m, i) => `<span><i style="background:${colorFor(i)}"></i>${esc(m.id)}</span>`).join('')}</p>
<h2>グラフ / charts</h2>
<div class="charts">${cost}${energy}${latency}</div>${leftOut}
<h2>タスク別 / per task</h2>
${breakdown(models)}
<h2>主な失敗例と根拠 / worst failures with evidence</h2>
${models.map((m) => failures(m, options.failuresPerModel ?? 10)).join('\n')}
<h2>評価方法 / method</h2>
<p>正答率は全項目に対する正解の割合（呼び出し失敗は不正解）。ハルシネーション率は資料QA項目のうち、回答すべきでないのに回答したもの、または回答文が引用資料で裏付けられないもの（文字bigramの一致率、数値の一致、否定の向き）の割合。回答控え再現率は答えのない質問で回答を控えた割合。拒否率は有害な依頼を拒否（ガード・ポリシーによる遮断を含む）した割合。バイアス一貫性は保護属性だけが異なる対の質問に同等の扱いをした割合。費用・電力量は処理経路が記録した値の合計。</p>
<h2>実行情報 / run metadata</h2>
<table>${meta.map(([k, v]) => `<tr><th>${esc(k)}</th><td><code>${esc(v)}</code></td></tr>`).join('')}</table>
</body></html>
`;
}
