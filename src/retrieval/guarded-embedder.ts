import type { Guard } from '../guard/guard.js';
import { createMaskSession } from '../guard/mask.js';
import { decide } from '../guard/policy.js';
import type { Embedder } from './embeddings.js';

/**
 * The embedding endpoint as the guard lets texts reach it: each text (a chunk at ingest, a query at search) is
 * scanned, and one whose confidentiality is above the endpoint's clearance is masked or, where the policy
 * blocks that level, not sent at all — it gets no vector, so the chunk is found by the lexical leg only and the
 * query is searched lexically. The same policy (guard.policy) as for model calls.
 */
export function guardedEmbedder(inner: Embedder, guard: Guard, clearance: 1 | 2 | 3): Embedder {
  return {
    id: inner.id,
    async embed(texts) {
      const sent: string[] = [];
      const at: number[] = [];
      texts.forEach((text, i) => {
        const scan = guard.scan(text);
        const action = decide(scan.confidentiality, clearance, guard.config.policy);
        if (action === 'block') return;
        sent.push(action === 'mask' ? guard.mask(text, createMaskSession()).masked : text);
        at.push(i);
      });
      const out: Array<number[] | null> = texts.map(() => null);
      if (sent.length) (await inner.embed(sent)).forEach((v, j) => (out[at[j]!] = v));
      return out;
    },
  };
}
