import type { ResolvedConfig } from '../../config/load.js';
import type { SearchHit } from '../../core/types.js';
import type { Passage } from '../../models/types.js';
import type { Store } from '../../store/open.js';
import type { EvalRuntime } from './run-command.js';

/** The real governed runtime (pipeline + retrieval) for the CLI and workers. */
export async function createEvalRuntime(config: ResolvedConfig, store: Store): Promise<EvalRuntime & { close(): Promise<void> }> {
  const { createRuntime } = await import('../../gateway/runtime.js');
  const rt = await createRuntime(config, store);
  const byId = new Map(config.models.map((m) => [m.id, m]));
  const k = config.eval.passages;
  return {
    run: (req) => rt.pipeline.run(req),
    async retrieve(query, collection) {
      const hits = await rt.searcher.search(query, { collection, tenant: config.eval.tenant, k, embedder: rt.embedder });
      return hits.map((h: SearchHit, i: number): Passage => ({ n: i + 1, source: h.source, chunk: h.chunk, heading: h.heading, text: h.text, score: h.score }));
    },
    modelInfo(id) {
      const m = byId.get(id);
      return m ? { origin: m.origin, hosting: m.hosting, provider: m.provider } : null;
    },
    close: () => rt.close(),
  };
}
