import { afterAll, describe, expect, it } from 'vitest';
import { hasStoredSuccess, loadCached, saveResults } from '../../src/eval/results-store.js';
import type { ItemResult } from '../../src/eval/types.js';
import type { Store } from '../../src/store/open.js';
import { dropStore, storeCases } from '../helpers/store.js';

const result = (id: string, output: string, error?: string): ItemResult => ({
  id,
  task: 'qa',
  model: 'up',
  correct: !error,
  score: error ? 0 : 1,
  abstained: false,
  refused: false,
  citation_correct: null,
  hallucinated: null,
  consistent: null,
  latency_ms: 5,
  prompt_tokens: 1,
  completion_tokens: 1,
  cost_jpy: 0,
  energy_wh: 0,
  output,
  citations: [],
  evidence: [],
  ...(error ? { error: { code: 'upstream_error', message: error } } : {}),
});

describe.each(storeCases())('eval results store on $name', (sc) => {
  let store: Store;
  afterAll(async () => {
    if (store) await dropStore(store);
  });

  it('replaces a stored result by default; with keepSuccess keeps a stored success and replaces only a stored failure', async () => {
    store = await sc.open();
    const suite = 'a'.repeat(64);
    await saveResults(store, suite, [result('q1', 'first'), result('q2', '', 'upstream failed')], 'host:1');
    expect(await hasStoredSuccess(store, suite, 'up', 'q1')).toBe(true);
    expect(await hasStoredSuccess(store, suite, 'up', 'q2')).toBe(false);
    expect(await hasStoredSuccess(store, suite, 'up', 'q3')).toBe(false);

    // A second worker that ran the same jobs (queue mode): the first success stays, the failure is replaced.
    await saveResults(store, suite, [result('q1', 'second'), result('q2', 'recovered')], 'host:2', { keepSuccess: true });
    let cached = await loadCached(store, suite, ['up'], true);
    expect(cached.get('up\u0000q1')).toMatchObject({ output: 'first', worker: 'host:1' });
    expect(cached.get('up\u0000q2')).toMatchObject({ output: 'recovered', worker: 'host:2' });
    expect(await hasStoredSuccess(store, suite, 'up', 'q2')).toBe(true);

    // Without it (a local run with --fresh), results are replaced.
    await saveResults(store, suite, [result('q1', 'third')], 'host:3');
    cached = await loadCached(store, suite, ['up']);
    expect(cached.get('up\u0000q1')).toMatchObject({ output: 'third', worker: 'host:3' });
  });
});
