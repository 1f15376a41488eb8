import { upstreamError } from '../core/errors.js';
import { resolveSecret } from '../config/load.js';

/** Turns texts into vectors (the optional dense retrieval leg). */
export interface Embedder {
  readonly id: string;
  /** One vector per text, in order; null for a text that was not sent (the guard's policy blocked it). */
  embed(texts: string[]): Promise<Array<number[] | null>>;
}

export interface EmbeddingEndpoint {
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
  batchSize?: number;
  timeoutMs?: number;
}

/** An OpenAI-compatible /v1/embeddings endpoint (vLLM, Ollama, llama.cpp server, TEI, …). */
export async function openAiEmbedder(ep: EmbeddingEndpoint): Promise<Embedder> {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ baseURL: ep.baseUrl, apiKey: resolveSecret(ep.apiKey) ?? 'none', timeout: ep.timeoutMs ?? 30_000, maxRetries: 2 });
  const batch = ep.batchSize ?? 64;
  return {
    id: `${ep.baseUrl}#${ep.model}`,
    async embed(texts: string[]): Promise<number[][]> {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += batch) {
        try {
          const res = await client.embeddings.create({ model: ep.model, input: texts.slice(i, i + batch) });
          const sorted = [...res.data].sort((a, b) => a.index - b.index);
          for (const d of sorted) out.push(d.embedding as number[]);
        } catch (err) {
          throw upstreamError(`embedding endpoint ${ep.baseUrl} (model ${ep.model}) failed: ${(err as Error).message}`, { cause: err, retryable: true });
        }
      }
      if (out.length !== texts.length) throw upstreamError(`embedding endpoint ${ep.baseUrl} returned ${out.length} vectors for ${texts.length} texts`);
      return out;
    },
  };
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
