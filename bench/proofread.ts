/**
 * 公用文校正 bench: precision and recall per rule family on the labelled set in
 * test/apps/fixtures/proofread-labelled.jsonl, and the share of clean sentences flagged.
 *   npm run bench:proofread [-- --verbose]
 */
import fs from 'node:fs';
import path from 'node:path';
import { scoreLabelled, type LabelledSentence } from '../src/apps/proofread/score.js';

const file = path.resolve(import.meta.dirname, '../test/apps/fixtures/proofread-labelled.jsonl');
const set = fs
  .readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as LabelledSentence);
const t0 = performance.now();
const score = await scoreLabelled(set);
const ms = performance.now() - t0;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`labelled set: ${set.length} sentences (${score.clean.sentences} clean), ${ms.toFixed(0)} ms`);
console.log('rule'.padEnd(22) + 'expected  found  precision  recall');
for (const f of score.families) {
  console.log(f.rule.padEnd(22) + String(f.expected).padStart(8) + String(f.found).padStart(7) + pct(f.precision).padStart(11) + pct(f.recall).padStart(8));
}
console.log(`clean sentences flagged: ${score.clean.flagged}/${score.clean.sentences} = ${pct(score.clean.rate)}`);
if (process.argv.includes('--verbose')) {
  for (const m of score.misses) console.log(`MISS ${m.rule} 「${m.span}」 in ${m.text}`);
  for (const f of score.falsePositives) console.log(`FP   ${f.issue.rule} 「${f.text.slice(f.issue.start, f.issue.end)}」→「${f.issue.suggestion}」 in ${f.text}`);
}
