import crypto from 'node:crypto';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { runThroughQueue } from '../../src/eval/queue/enqueue.js';
import { redisOptions } from '../../src/eval/queue/jobs.js';
import { loadCached, saveResults } from '../../src/eval/results-store.js';
import { startEvalWorker } from '../../src/eval/queue/worker.js';
import { parseSuite } from '../../src/eval/suite/parse.js';
import { openStore } from '../../src/store/open.js';
import { dropStore } from '../helpers/store.js';
import { fakePipeline } from './fake-pipeline.js';

const redisUrl = process.env.HIRAGA_TEST_REDIS_URL;
const dbUrl = process.env.HIRAGA_TEST_DATABASE_URL;
const settings = { minSupport: 0.5, biasMinSimilarity: 0.6, proofreadMinSimilarity: 0.5, judgeRepeats: 3 };
const actor = { user: 'eval', role: 'staff' as const, tenant: 'default' };

describe.runIf(redisUrl && dbUrl)('eval through a BullMQ queue into PostgreSQL', () => {
  it('two workers share one run; a failing item is retried, then recorded as failed', async () => {
    const schema = `t_${process.env.HIRAGA_TEST_RUN ?? 'x'}_${crypto.randomBytes(5).toString('hex')}`;
    // Each worker has its own connection to the same PostgreSQL schema, as on separate machines.
    // (opened one after another: the first one creates and migrates the schema)
    const s0 = await openStore({ kind: 'postgres', url: dbUrl!, schema }, { poolSize: 4 });
    const s1 = await openStore({ kind: 'postgres', url: dbUrl!, schema }, { poolSize: 4 });
    const s2 = await openStore({ kind: 'postgres', url: dbUrl!, schema }, { poolSize: 4 });
    const queue = `hiraga-eval-test-${crypto.randomBytes(4).toString('hex')}`;
    const rows = Array.from({ length: 40 }, (_, i) => ({ id: `q${i}`, task: 'qa', input: `質問${i}`, expected: { answer: `答え${i}` } }));
    const suite = parseSuite(rows.map((r) => JSON.stringify(r)).join('\n'));
    let flaky = 0;
    const replies = {
      '*': {
        '*': (req: any) => `答え${String(req.messages.at(-1).content).slice(2)}`,
        質問7: () => {
          flaky++;
          return { fail: 'upstream 503' };
        },
      },
    };
    const a = fakePipeline(replies, 5);
    const b = fakePipeline(replies, 5);
    const wa = startEvalWorker({ redisUrl: redisUrl!, store: s1!, queue, concurrency: 4, workerId: 'worker-a', deps: { run: a.run, settings } });
    const wb = startEvalWorker({ redisUrl: redisUrl!, store: s2!, queue, concurrency: 4, workerId: 'worker-b', deps: { run: b.run, settings } });
    try {
      const r = await runThroughQueue({ redisUrl: redisUrl!, store: s0!, items: suite.items, suiteSha256: suite.sha256, models: ['m1', 'm2'], actor, queue, attempts: 2, pollMs: 100 });
      expect(r.interrupted).toBe(false);
      expect(r.enqueued).toBe(80);
      const all = [...r.results.values()].flat();
      expect(all).toHaveLength(80);
      expect(all.filter((x) => x.correct)).toHaveLength(78);
      expect(all.filter((x) => x.error).map((x) => x.id)).toEqual(['q7', 'q7']);
      expect(flaky).toBe(4); // 2 models × 2 attempts
      const byWorker = new Set(all.map((x) => x.worker));
      expect(byWorker).toEqual(new Set(['worker-a', 'worker-b']));
      expect(a.calls.length + b.calls.length).toBe(78 + 4);
      expect(a.calls.every((c) => c.actor.user === 'eval')).toBe(true);

      // A second run re-queues only the failed items.
      const again = await runThroughQueue({ redisUrl: redisUrl!, store: s0!, items: suite.items, suiteSha256: suite.sha256, models: ['m1', 'm2'], actor, queue, attempts: 1, pollMs: 100 });
      expect(again.cached).toBe(78);
      expect(again.enqueued).toBe(2);
    } finally {
      await Promise.all([wa.close(), wb.close()]);
      const q = new Queue(queue, { connection: redisOptions(redisUrl!) });
      await q.obliterate({ force: true });
      await q.close();
      await Promise.all([s1!.close(), s2!.close()]);
      await dropStore(s0!);
    }
  });

  it('a job whose result is already stored (its worker died before acknowledging it) is completed without running it again', async () => {
    const schema = `t_${process.env.HIRAGA_TEST_RUN ?? 'x'}_${crypto.randomBytes(5).toString('hex')}`;
    const store = await openStore({ kind: 'postgres', url: dbUrl!, schema }, { poolSize: 2 });
    const queue = `hiraga-eval-test-${crypto.randomBytes(4).toString('hex')}`;
    const suite = parseSuite(['q0', 'q1'].map((id) => JSON.stringify({ id, task: 'qa', input: `質問${id}`, expected: { answer: '答え' } })).join('\n'));
    const q = new Queue(queue, { connection: redisOptions(redisUrl!) });
    const fake = fakePipeline({ '*': { '*': () => '答え' } });
    let worker: ReturnType<typeof startEvalWorker> | null = null;
    try {
      const stored = { id: 'q0', task: 'qa' as const, model: 'm', correct: true, score: 1, abstained: false, refused: false, citation_correct: null, hallucinated: null, consistent: null, latency_ms: 1, prompt_tokens: 1, completion_tokens: 1, cost_jpy: 0, energy_wh: 0, output: '答え', citations: [], evidence: [] };
      await saveResults(store, suite.sha256, [stored], 'dead-worker');
      const done: string[] = [];
      worker = startEvalWorker({ redisUrl: redisUrl!, store, queue, concurrency: 2, workerId: 'live-worker', deps: { run: fake.run, settings }, onDone: (d) => done.push(d.item.id) });
      await q.addBulk(suite.items.map((item) => ({ name: 'item', data: { suiteSha256: suite.sha256, model: 'm', item, actor }, opts: { removeOnComplete: true } })));
      while (done.length < 2) await new Promise((r) => setTimeout(r, 20));
      expect(fake.calls).toHaveLength(1); // q1 only
      const rows = await loadCached(store, suite.sha256, ['m']);
      expect(rows.get('m\u0000q0')!.worker).toBe('dead-worker');
      expect(rows.get('m\u0000q1')!.worker).toBe('live-worker');
    } finally {
      await worker?.close();
      await q.obliterate({ force: true });
      await q.close();
      await dropStore(store);
    }
  });

  it('re-queues items whose jobs were lost (queue drained) once nothing is pending', async () => {
    const schema = `t_${process.env.HIRAGA_TEST_RUN ?? 'x'}_${crypto.randomBytes(5).toString('hex')}`;
    const store = await openStore({ kind: 'postgres', url: dbUrl!, schema }, { poolSize: 4 });
    const queue = `hiraga-eval-test-${crypto.randomBytes(4).toString('hex')}`;
    const suite = parseSuite(Array.from({ length: 6 }, (_, i) => JSON.stringify({ id: `q${i}`, task: 'qa', input: `質問${i}`, expected: { answer: `答え${i}` } })).join('\n'));
    const q = new Queue(queue, { connection: redisOptions(redisUrl!) });
    const fake = fakePipeline({ '*': { '*': (req: any) => `答え${String(req.messages.at(-1).content).slice(2)}` } });
    let worker: ReturnType<typeof startEvalWorker> | null = null;
    try {
      const running = runThroughQueue({ redisUrl: redisUrl!, store, items: suite.items, suiteSha256: suite.sha256, models: ['m'], actor, queue, pollMs: 50, stallMs: 300 });
      while ((await q.getJobCounts('waiting')).waiting < 6) await new Promise((r) => setTimeout(r, 20));
      await q.drain(true); // the jobs are gone before any worker saw them
      worker = startEvalWorker({ redisUrl: redisUrl!, store, queue, concurrency: 2, deps: { run: fake.run, settings } });
      const r = await running;
      expect(r.results.get('m')!.filter((x) => x.correct)).toHaveLength(6);
      expect(r.enqueued).toBe(12);
      expect(fake.calls).toHaveLength(6);
    } finally {
      await worker?.close();
      await q.obliterate({ force: true });
      await q.close();
      await dropStore(store);
    }
  });
});
