import type { ResolvedConfig } from '../config/load.js';
import type { Citation } from '../core/types.js';
import type { ModelInfo } from '../models/types.js';
import type { Embedder } from '../retrieval/embeddings.js';
import type { Searcher } from '../retrieval/search.js';
import type { Store } from '../store/open.js';
import { composeServices } from './compose.js';
import type { GatewayServices } from './services.js';

/** The governed services for one CLI process (the same wiring the server uses), plus retrieval and file output. */
export interface Runtime extends GatewayServices {
  searcher: Searcher;
  embedder: Embedder | null;
  /** Write a generated result to FILE with its signed FILE.provenance.json. */
  writeOutput(
    file: string,
    content: string | Uint8Array,
    meta: { app?: string; model: ModelInfo; auditId: number; input: string; citations?: Citation[]; review?: { id: number; status: string } | undefined },
  ): Promise<void>;
}

export async function createRuntime(config: ResolvedConfig, store: Store): Promise<Runtime> {
  const services = await composeServices(config, { store });
  const { searcher, embedder } = await services.retrieval();
  return {
    ...services,
    searcher,
    embedder,
    async writeOutput(file, content, meta) {
      const { writeWithProvenance } = await import('../provenance/index.js');
      await writeWithProvenance(
        file,
        content,
        {
          model: { id: meta.model.id, origin: meta.model.origin, hosting: meta.model.hosting },
          ...(meta.app ? { app: meta.app } : {}),
          input: meta.input,
          ...(meta.citations ? { sources: meta.citations.map((c) => ({ source: c.source, chunk: c.chunk })) } : {}),
          ...(meta.review ? { review: { id: meta.review.id, status: meta.review.status } } : {}),
          auditEventId: meta.auditId,
        },
        { config },
      );
    },
  };
}
