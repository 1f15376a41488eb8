/**
 * Retrieval benchmark: hiraga vs MiniSearch + kuromoji in the same run.
 *   npm run bench:retrieval [-- --verbose]
 * JSQuAD (../shared/data/jglue): every paragraph a document, each question's gold its paragraph.
 * Statutes (../shared/data/egov-laws/text): bench/data/statute-questions.jsonl, gold law + article.
 * --verbose lists the statute questions whose article is not in hiraga's top 5.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getTokenizer, loadKuromojiTokenizer } from '../src/retrieval/analysis/tokenizer.js';
import { Analyzer } from '../src/retrieval/analysis/analyzer.js';
import { coldStartMs } from './retrieval/cold-start-measure.js';
import { HiragaRun } from './retrieval/hiraga-run.js';
import { loadJsquad, writeJsquadFiles, type BenchQuestion } from './retrieval/jsquad.js';
import { distinct, percentile, scoreRankings, utf8Bytes, type RankingScores } from './retrieval/metrics.js';
import { buildMiniSearch, miniSearchIds, type BaselineDoc } from './retrieval/minisearch-baseline.js';
import { asBenchQuestions, hitArticleKey, loadStatuteQuestions, splitArticles } from './retrieval/statutes.js';

const shared = path.resolve(import.meta.dirname, '../../shared/data');
const jsquadFile = path.join(shared, 'jglue/jsquad-valid-v1.3.json');
const lawsDir = path.join(shared, 'egov-laws/text');
const questionsFile = path.join(import.meta.dirname, 'data/statute-questions.jsonl');
const verbose = process.argv.includes('--verbose');

for (const f of [jsquadFile, lawsDir, questionsFile]) {
  if (!fs.existsSync(f)) {
    console.error(`bench:retrieval needs ${f}`);
    process.exit(2);
  }
}

interface SystemRun {
  scores: RankingScores;
  latencies: number[];
}

/** Time each query; `rank` returns the distinct ranked gold keys. */
async function runQuestions(questions: BenchQuestion[], rank: (q: string) => Promise<string[]> | string[]): Promise<SystemRun & { ranked: string[][] }> {
  const latencies: number[] = [];
  const results: { gold: string; ranked: string[] }[] = [];
  for (const q of questions) {
    const t = performance.now();
    const ranked = await rank(q.query);
    latencies.push(performance.now() - t);
    results.push({ gold: q.gold, ranked });
  }
  return { scores: scoreRankings(results), latencies, ranked: results.map((r) => r.ranked) };
}

/** CPU seconds of this process (user + system): robust against other jobs sharing the cores, unlike wall time. */
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** UTF-8 megabytes per CPU second (one core). */
function megabytesPerCpuSecond(texts: string[], work: (t: string) => unknown): number {
  for (const t of texts.slice(0, 200)) work(t); // warm up
  const c0 = cpuSeconds();
  for (const t of texts) work(t);
  return utf8Bytes(texts) / 1e6 / (cpuSeconds() - c0);
}

const log = (msg: string) => process.stderr.write(`${msg}\n`);

// Cold start in fresh processes, before this one warms any cache.
log('cold start …');
const coldHiraga = coldStartMs('hiraga', 3);
const coldKuromoji = coldStartMs('kuromoji', 1);

const fast = await getTokenizer();
const kuromoji = await loadKuromojiTokenizer();
const { docs, questions } = loadJsquad(jsquadFile);
const paragraphTexts = docs.map((d) => `${d.title}\n${d.body}`);
log('tokenisation speed …');
const mbpsHiraga = megabytesPerCpuSecond(paragraphTexts, (t) => fast.tokenize(t));
const mbpsKuromoji = megabytesPerCpuSecond(paragraphTexts, (t) => kuromoji.tokenize(t));
const analyzer = new Analyzer(fast);
const mbpsAnalyzer = megabytesPerCpuSecond(paragraphTexts, (t) => analyzer.analyze(t));

const run = await HiragaRun.open();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hiraga-bench-jsquad-'));
try {
  // JSQuAD
  log(`JSQuAD: ${docs.length} paragraphs, ${questions.length} questions …`);
  writeJsquadFiles(docs, tmp);
  const jsquadIngest = await run.ingest([tmp], 'jsquad');
  const hJsquad = await runQuestions(questions, async (q) => distinct((await run.search(q, 'jsquad', 10)).map((h) => h.source.replace(/\.txt$/, ''))));

  const baselineDocs: BaselineDoc[] = docs.map((d) => ({ id: d.id, title: d.title, text: d.body }));
  const msStart = performance.now();
  const ms = buildMiniSearch(kuromoji, baselineDocs);
  const msIndexMs = performance.now() - msStart;
  const mJsquad = await runQuestions(questions, (q) => miniSearchIds(ms, q, 10));
  const jsquadChars = paragraphTexts.reduce((n, t) => n + t.length, 0);

  // Statutes (MiniSearch ids carry an index: supplementary provisions repeat article numbers)
  const lawFiles = fs.readdirSync(lawsDir).filter((f) => f.endsWith('.txt')).sort().map((f) => path.join(lawsDir, f));
  const statuteQs = loadStatuteQuestions(questionsFile);
  log(`statutes: ${lawFiles.length} laws, ${statuteQs.length} questions …`);
  const lawIngest = await run.ingest(lawFiles, 'laws');
  const statuteBench = asBenchQuestions(statuteQs);
  const hLaws = await runQuestions(statuteBench, async (q) => distinct((await run.search(q, 'laws', 30)).map((h) => hitArticleKey(h.title, h.heading))));
  const articles = lawFiles.flatMap((f) => splitArticles(f));
  const msLaws = buildMiniSearch(
    kuromoji,
    articles.map((a, i) => ({ id: `${a.key}@${i}`, title: a.law, text: a.text })),
  );
  const mLaws = await runQuestions(statuteBench, (q) => distinct(miniSearchIds(msLaws, q, 30).map((id) => id.replace(/@\d+$/, ''))));

  const subset = (named: boolean) => {
    const idx = statuteQs.map((q, i) => (q.namesArticle === named ? i : -1)).filter((i) => i >= 0);
    const score = (r: { ranked: string[][] }) => scoreRankings(idx.map((i) => ({ gold: statuteBench[i]!.gold, ranked: r.ranked[i]! }))).recallAt5;
    return { n: idx.length, h: score(hLaws), m: score(mLaws) };
  };
  const named = subset(true);
  const unnamed = subset(false);

  // Table
  type Row = [string, number, number | null, string, ((v: number) => boolean) | null, (v: number) => string];
  const f3 = (v: number) => v.toFixed(3);
  const f2 = (v: number) => v.toFixed(2);
  const f1 = (v: number) => v.toFixed(1);
  const f0 = (v: number) => Math.round(v).toLocaleString('en-US');
  const rows: Row[] = [
    ['JSQuAD recall@1', hJsquad.scores.recallAt1, mJsquad.scores.recallAt1, '≥ 0.93', (v) => v >= 0.93, f3],
    ['JSQuAD recall@5', hJsquad.scores.recallAt5, mJsquad.scores.recallAt5, '≥ 0.985', (v) => v >= 0.985, f3],
    ['JSQuAD MRR', hJsquad.scores.mrr, mJsquad.scores.mrr, '', null, f3],
    [`statutes article recall@5 (all ${statuteQs.length})`, hLaws.scores.recallAt5, mLaws.scores.recallAt5, '≥ 0.85', (v) => v >= 0.85, f3],
    [`  naming the article (${named.n})`, named.h, named.m, '', null, f3],
    [`  not naming it (${unnamed.n})`, unnamed.h, unnamed.m, '', null, f3],
    ['statutes article recall@1', hLaws.scores.recallAt1, mLaws.scores.recallAt1, '', null, f3],
    ['ingest JSQuAD (chars/s)', (jsquadIngest.chars / jsquadIngest.ms) * 1000, (jsquadChars / msIndexMs) * 1000, '', null, f0],
    ['ingest statutes (chars/s)', (lawIngest.chars / lawIngest.ms) * 1000, null, '', null, f0],
    ['tokenisation (MB per CPU-s, UTF-8)', mbpsHiraga, mbpsKuromoji, '≥ 1', (v) => v >= 1, f2],
    ['  full analysis: words + bigrams', mbpsAnalyzer, null, '', null, f2],
    ['analyser cold start (ms)', coldHiraga, coldKuromoji, '< 1000', (v) => v < 1000, f0],
    ['JSQuAD query p50 (ms)', percentile(hJsquad.latencies, 50), percentile(mJsquad.latencies, 50), '', null, f2],
    ['JSQuAD query p95 (ms)', percentile(hJsquad.latencies, 95), percentile(mJsquad.latencies, 95), '≤ 20', (v) => v <= 20, f2],
    ['statutes query p50 (ms)', percentile(hLaws.latencies, 50), percentile(mLaws.latencies, 50), '', null, f2],
    ['statutes query p95 (ms)', percentile(hLaws.latencies, 95), percentile(mLaws.latencies, 95), '≤ 20', (v) => v <= 20, f2],
  ];
  const header = ['metric', 'hiraga', 'MiniSearch+kuromoji', 'ratio', 'goal', ''];
  const body = rows.map(([name, h, m, goal, ok, fmt]) => [name, fmt(h), m === null ? '–' : fmt(m), m ? `${f2(h / m)}×` : '–', goal, ok ? (ok(h) ? 'ok' : 'MISS') : '']);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((r) => [...r[i]!].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(
    `\nJSQuAD: ${docs.length} paragraphs, ${questions.length} questions; statutes: ${lawFiles.length} laws, ${lawIngest.chunks} hiraga chunks, ${articles.length} MiniSearch articles, ${statuteQs.length} questions`,
  );
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of body) console.log(line(r));
  console.log(`(statute recall counts distinct articles; ingest = parse + chunk + analyse + SQLite write; MiniSearch ingest = addAll in memory)`);
  if (verbose) {
    console.log('\nstatute questions missing from hiraga top 5:');
    statuteQs.forEach((q, i) => {
      if (!hLaws.ranked[i]!.slice(0, 5).includes(statuteBench[i]!.gold)) console.log(`  ${q.id} ${q.question} → gold ${q.law}#${q.article}; got ${hLaws.ranked[i]!.slice(0, 3).join(', ')}`);
    });
  }
} finally {
  await run.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
