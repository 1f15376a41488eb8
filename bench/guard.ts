/**
 * Guard benchmark: per-type precision/recall/F1 on the labelled set (bench/data/guard), flag P/R/F1,
 * false positives on unlabelled 12/13-digit look-alikes, throughput — each next to a pattern-only
 * baseline (the same regexes with no validation, context or analysis) measured in the same run.
 * Run: npm run bench:guard
 */
import fs from 'node:fs';
import { createGuard, type Guard } from '../src/guard/index.js';
import { resolveOverlaps } from '../src/guard/rules/index.js';
import { MY_NUMBER_RE } from '../src/guard/rules/my-number.js';
import { CORPORATE_NUMBER_RE } from '../src/guard/rules/corporate-number.js';
import { PHONE_RE } from '../src/guard/rules/phone.js';
import { EMAIL_RE } from '../src/guard/rules/email.js';
import { POSTAL_RE } from '../src/guard/rules/postal-code.js';
import { ADDRESS_RE } from '../src/guard/rules/address.js';
import { DATE_RE } from '../src/guard/rules/birth-date.js';
import { CARD_RE } from '../src/guard/rules/credit-card.js';
import { ACCOUNT_RE } from '../src/guard/rules/bank-account.js';
import { PASSPORT_RE } from '../src/guard/rules/passport-number.js';
import { IPV4_RE } from '../src/guard/rules/ip-address.js';
import { foldWidth } from '../src/guard/text/fold.js';
import type { Finding, FindingType, GuardFlag } from '../src/guard/types.js';
import { loadDocuments, loadFlags, type LabelledDoc } from './data/guard/load.js';
import { syntheticNumbers } from './data/guard/synthetic.js';

type Detector = { scan(text: string): { findings: Finding[]; flags: GuardFlag[] } };

/** The regular expressions alone: every match is a finding, every keyword a flag. */
const BASELINE_PATTERNS: Record<FindingType, RegExp> = {
  my_number: MY_NUMBER_RE,
  corporate_number: CORPORATE_NUMBER_RE,
  phone: PHONE_RE,
  email: EMAIL_RE,
  postal_code: POSTAL_RE,
  address: ADDRESS_RE,
  person_name: /[\p{Script=Han}\p{Script=Katakana}ぁ-ゖ]{2,6}(?=様|さん|氏|殿|君)/gu,
  birth_date: DATE_RE,
  credit_card: CARD_RE,
  bank_account: ACCOUNT_RE,
  passport_number: PASSPORT_RE,
  ip_address: IPV4_RE,
};
const BASELINE_FLAGS: Partial<Record<GuardFlag, RegExp>> = {
  copyright_reference: /風に|タッチで|そっくり|文体で|画風|作風|style of/i,
  prompt_injection: /無視|ignore|システムプロンプト|system prompt|指示/i,
};

const baseline: Detector = {
  scan(text) {
    const folded = foldWidth(text);
    const all: Finding[] = [];
    for (const [type, re] of Object.entries(BASELINE_PATTERNS) as [FindingType, RegExp][]) {
      for (const m of folded.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))) {
        all.push({ type, start: m.index, end: m.index + m[0].length, text: text.slice(m.index, m.index + m[0].length), score: 1 });
      }
    }
    const flags = (Object.entries(BASELINE_FLAGS) as [GuardFlag, RegExp][]).filter(([, re]) => re.test(folded)).map(([f]) => f);
    return { findings: resolveOverlaps(all), flags };
  },
};

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
const prf = (c: Counts) => {
  const p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1;
  const r = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0 };
};

function spanCounts(det: Detector, docs: LabelledDoc[]): Map<FindingType | 'ALL', Counts> {
  const counts = new Map<FindingType | 'ALL', Counts>();
  const bump = (t: FindingType, k: keyof Counts) => {
    for (const key of [t, 'ALL'] as const) {
      const c = counts.get(key) ?? { tp: 0, fp: 0, fn: 0 };
      c[k]++;
      counts.set(key, c);
    }
  };
  for (const d of docs) {
    const key = (x: { type: string; start: number; end: number }) => `${x.type}:${x.start}:${x.end}`;
    const gold = new Set(d.spans.map(key));
    const pred = det.scan(d.text).findings;
    const predKeys = new Set(pred.map(key));
    for (const f of pred) bump(f.type, gold.has(key(f)) ? 'tp' : 'fp');
    for (const s of d.spans) if (!predKeys.has(key(s))) bump(s.type, 'fn');
  }
  return counts;
}

function flagCounts(det: Detector, flag: GuardFlag): Counts {
  const c = { tp: 0, fp: 0, fn: 0 };
  for (const item of loadFlags().filter((x) => x.flag === flag)) {
    const raised = det.scan(item.text).flags.includes(flag);
    if (raised && item.positive) c.tp++;
    else if (raised) c.fp++;
    else if (item.positive) c.fn++;
  }
  return c;
}

const pct = (x: number) => (x * 100).toFixed(1).padStart(5);
const f3 = (x: number) => x.toFixed(3);

interface Throughput {
  /** Wall clock: what a caller waits for (depends on the machine's load). */
  mbps: number;
  usPerMsg: number;
  /** Process CPU time: cost per core, stable on a loaded machine. */
  cpuMbps: number;
  cpuUsPerMsg: number;
}

/**
 * Throughput of several detectors, measured in alternating short slices so that a change in machine
 * load hits all of them alike (the ratio stays meaningful); wall clock and process CPU time are both kept.
 */
function throughputs(dets: Detector[], messages: string[], ms = 1500, sliceMs = 50): Throughput[] {
  const bytes = messages.reduce((n, m) => n + Buffer.byteLength(m), 0);
  for (const det of dets) for (let r = 0; r < 3; r++) for (const m of messages) det.scan(m);
  const acc = dets.map(() => ({ rounds: 0, wall: 0, cpu: 0 }));
  const t0 = performance.now();
  while (performance.now() - t0 < ms * dets.length) {
    dets.forEach((det, k) => {
      const w0 = performance.now();
      const c0 = process.cpuUsage();
      let rounds = 0;
      do {
        for (const m of messages) det.scan(m);
        rounds++;
      } while (performance.now() - w0 < sliceMs);
      const c = process.cpuUsage(c0);
      acc[k]!.wall += (performance.now() - w0) / 1000;
      acc[k]!.cpu += (c.user + c.system) / 1e6;
      acc[k]!.rounds += rounds;
    });
  }
  return acc.map(({ rounds, wall, cpu }) => ({
    mbps: (bytes * rounds) / wall / 1e6,
    usPerMsg: (wall * 1e6) / (rounds * messages.length),
    cpuMbps: (bytes * rounds) / cpu / 1e6,
    cpuUsPerMsg: (cpu * 1e6) / (rounds * messages.length),
  }));
}

/** ~500-character messages cut from the labelled documents (at line ends). */
function messagesOf(docs: LabelledDoc[]): string[] {
  const out: string[] = [];
  let cur = '';
  for (const line of docs.flatMap((d) => d.text.split('\n'))) {
    cur += line + '\n';
    if (cur.length >= 500) {
      out.push(cur.slice(0, 500));
      cur = '';
    }
  }
  return out;
}

function wikipediaNames(guard: Guard, limit = 1500): { recall: number; precision: number; sentences: number } | null {
  const file = '/work/shared/data/ner-wikipedia-ja/ner.json';
  if (!fs.existsSync(file)) return null;
  const rows = (JSON.parse(fs.readFileSync(file, 'utf8')) as { text: string; entities: { span: [number, number]; type: string }[] }[]).slice(0, limit);
  let gold = 0;
  let found = 0;
  let pred = 0;
  let correct = 0;
  for (const row of rows) {
    const names = row.entities.filter((e) => e.type === '人名');
    const hits = guard.scan(row.text, { types: ['person_name'] }).findings;
    gold += names.length;
    found += names.filter((n) => hits.some((h) => h.start < n.span[1] && n.span[0] < h.end)).length;
    pred += hits.length;
    correct += hits.filter((h) => names.some((n) => h.start < n.span[1] && n.span[0] < h.end)).length;
  }
  return { recall: gold ? found / gold : 1, precision: pred ? correct / pred : 1, sentences: rows.length };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const guard = await createGuard();
  const initMs = performance.now() - t0;
  const docs = loadDocuments();
  const syn = syntheticNumbers();
  const all = [...docs, ...syn.docs];
  console.log(`guard bench — ${docs.length} documents (${docs.reduce((n, d) => n + d.spans.length, 0)} spans), ${syn.docs.length} synthetic number items, init ${initMs.toFixed(0)} ms (kuromoji)`);
  const ours = spanCounts(guard, all);
  const base = spanCounts(baseline, all);
  console.log('\ntype               gold   P      R      F1   | baseline P     R      F1');
  const types = [...new Set([...ours.keys(), ...base.keys()])].filter((k) => k !== 'ALL').sort() as FindingType[];
  for (const t of [...types, 'ALL' as const]) {
    const o = ours.get(t) ?? { tp: 0, fp: 0, fn: 0 };
    const b = base.get(t) ?? { tp: 0, fp: 0, fn: 0 };
    const a = prf(o);
    const c = prf(b);
    console.log(`${t.padEnd(18)} ${String(o.tp + o.fn).padStart(4)}  ${f3(a.p)}  ${f3(a.r)}  ${f3(a.f1)} | ${f3(c.p)}  ${f3(c.r)}  ${f3(c.f1)}`);
  }
  const fpRate = (det: Detector) => {
    let hit = 0;
    for (const l of syn.lookAlikes) if (det.scan(l.text).findings.some((f) => f.start < l.end && l.start < f.end && (f.type === 'my_number' || f.type === 'corporate_number'))) hit++;
    return hit / syn.lookAlikes.length;
  };
  const valid = syn.lookAlikes.filter((l) => l.checkValid).length;
  console.log(`\nunlabelled 12/13-digit look-alikes: ${syn.lookAlikes.length} (${valid} pass the check digit) — flagged as my_number/corporate_number: ours ${pct(fpRate(guard))}%  baseline ${pct(fpRate(baseline))}%`);
  console.log('\nflag                 P      R      F1   | baseline P     R      F1');
  for (const flag of ['copyright_reference', 'prompt_injection'] as GuardFlag[]) {
    const a = prf(flagCounts(guard, flag));
    const b = prf(flagCounts(baseline, flag));
    console.log(`${flag.padEnd(20)} ${f3(a.p)}  ${f3(a.r)}  ${f3(a.f1)} | ${f3(b.p)}  ${f3(b.r)}  ${f3(b.f1)}`);
  }
  const msgs = messagesOf(docs);
  const [tg, tb] = throughputs([guard, baseline], msgs) as [Throughput, Throughput];
  console.log(`\nthroughput on ${msgs.length} messages of 500 chars: ours ${tg.mbps.toFixed(2)} MB/s, ${tg.usPerMsg.toFixed(0)} µs/message | baseline ${tb.mbps.toFixed(2)} MB/s, ${tb.usPerMsg.toFixed(0)} µs/message | ratio ${(tg.mbps / tb.mbps).toFixed(2)}×`);
  console.log(`per core (process CPU time): ours ${tg.cpuMbps.toFixed(2)} MB/s, ${tg.cpuUsPerMsg.toFixed(0)} µs/message | baseline ${tb.cpuMbps.toFixed(2)} MB/s, ${tb.cpuUsPerMsg.toFixed(0)} µs/message | ratio ${(tg.cpuMbps / tb.cpuMbps).toFixed(2)}×`);
  const wiki = wikipediaNames(guard);
  if (wiki) console.log(`\nperson_name on ner-wikipedia-ja (${wiki.sentences} sentences, no honorifics or forms; informative): recall ${f3(wiki.recall)}, precision ${f3(wiki.precision)}`);
}

await main();
