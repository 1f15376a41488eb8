/**
 * Builds evals/starter/suite.jsonl and its corpus from ../shared/data plus the hand-written items in
 * evals/starter/handwritten.ts. Deterministic: the same inputs give byte-identical output.
 *
 *   node --import tsx evals/build-starter.ts [DATA_DIR]   (default /work/shared/data)
 *
 * Licences: JSQuAD and JCommonsenseQA items (and the JSQuAD corpus) are CC BY-SA 4.0 (JGLUE, Yahoo Japan
 * Corporation and Waseda University Kawahara Lab; contexts from Japanese Wikipedia); statutes are not
 * copyrighted (Copyright Act art. 13), source e-Gov 法令検索; proofread rules follow the MIT-licensed
 * ja-official-documents prh dictionary; everything else is written for hiraga (Apache-2.0).
 */
import fs from 'node:fs';
import path from 'node:path';
import { HANDWRITTEN } from './starter/handwritten.js';

const DATA = path.resolve(process.argv[2] ?? '/work/shared/data');
const OUT = path.resolve(import.meta.dirname, 'starter');
const CORPUS = path.join(OUT, 'corpus');

type Row = Record<string, unknown> & { id: string; task: string };
const rows: Row[] = [];

// 1. JSQuAD → rag items over a corpus of the chosen articles (one file per article, paragraphs kept).
const ARTICLES = 8;
const QUESTIONS_PER_ARTICLE = 10;
const jsquad = JSON.parse(fs.readFileSync(path.join(DATA, 'jglue/jsquad-valid-v1.3.json'), 'utf8')) as {
  data: { title: string; paragraphs: { context: string; qas: { id: string; question: string; answers: { text: string }[] }[] }[] }[];
};
fs.rmSync(CORPUS, { recursive: true, force: true });
fs.mkdirSync(path.join(CORPUS, 'jsquad'), { recursive: true });
const step = Math.floor(jsquad.data.length / ARTICLES);
for (let a = 0; a < ARTICLES; a++) {
  const art = jsquad.data[a * step]!;
  const file = `${art.title.replace(/[\\/:*?"<>|\s]/g, '_')}.txt`;
  const paragraphs = art.paragraphs.map((p) => p.context.split(' [SEP] ').slice(1).join(' [SEP] '));
  fs.writeFileSync(path.join(CORPUS, 'jsquad', file), `# ${art.title}\n\n${paragraphs.join('\n\n')}\n`);
  const qas = art.paragraphs.flatMap((p) => p.qas);
  const every = Math.max(1, Math.floor(qas.length / QUESTIONS_PER_ARTICLE));
  for (let i = 0; i < QUESTIONS_PER_ARTICLE && i * every < qas.length; i++) {
    const qa = qas[i * every]!;
    const answers = [...new Set(qa.answers.map((x) => x.text))];
    rows.push({ id: `jsquad-${qa.id}`, task: 'rag', input: qa.question, collection: 'starter-jsquad', expected: { answer: answers[0], accept: answers.slice(1), source: file }, tags: ['jsquad', 'CC-BY-SA-4.0'] });
  }
}

// 2. Statutes used by the hand-written rag items, copied unchanged.
fs.mkdirSync(path.join(CORPUS, 'laws'), { recursive: true });
const LAWS: Record<string, string> = {
  '行政手続法.txt': '405AC0000000088_20240926_506AC0000000065.txt',
  '情報公開法.txt': '411AC0000000042_20220401_503AC0000000037.txt',
  '公文書管理法.txt': '421AC0000000066_20250401_505AC0000000047.txt',
  'AI推進法.txt': '507AC0000000053_20250604_000000000000000.txt',
};
for (const [name, src] of Object.entries(LAWS)) fs.copyFileSync(path.join(DATA, 'egov-laws/text', src), path.join(CORPUS, 'laws', name));

// 3. JCommonsenseQA → choice items (every 22nd question, 50 items).
const jcqa = fs.readFileSync(path.join(DATA, 'jglue/jcommonsenseqa-valid-v1.3.json'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
for (let i = 0; i < jcqa.length && rows.filter((r) => r.task === 'choice').length < 50; i += 22) {
  const q = jcqa[i]!;
  rows.push({ id: `jcqa-${q.q_id}`, task: 'choice', input: String(q.question), choices: [0, 1, 2, 3, 4].map((k) => String(q[`choice${k}`])), expected: { choice: Number(q.label) }, tags: ['jcommonsenseqa', 'CC-BY-SA-4.0'] });
}

// 4. Everything written for hiraga.
rows.push(...(HANDWRITTEN as Row[]));

fs.writeFileSync(path.join(OUT, 'suite.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
const counts = rows.reduce<Record<string, number>>((a, r) => ((a[r.task] = (a[r.task] ?? 0) + 1), a), {});
process.stdout.write(`${rows.length} items: ${JSON.stringify(counts)}\n`);
