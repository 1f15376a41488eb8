import { z } from 'zod';

export const retrievalSchema = z
  .strictObject({
    /** Target chunk length in characters; statutes split per article, then per paragraph above this. */
    chunkChars: z.number().int().min(100).max(20_000).default(800),
    /** Largest file ingest accepts, in bytes. */
    maxFileBytes: z.number().int().positive().default(50 * 1024 * 1024),
    /** BM25 parameters; unset = the tuned defaults in src/retrieval/search.ts (DEFAULT_WEIGHTS). */
    k1: z.number().positive().optional(),
    b: z.number().min(0).max(1).optional(),
    /** Optional dense leg: an OpenAI-compatible /v1/embeddings endpoint. Off unless set. */
    embeddings: z
      .strictObject({
        baseUrl: z
          .string()
          .url()
          .refine((u) => /^https?:\/\//i.test(u), 'baseUrl must be an http:// or https:// URL ending in /v1, e.g. http://127.0.0.1:8080/v1'),
        model: z.string().min(1),
        apiKey: z.string().optional(),
        batchSize: z.number().int().min(1).max(2048).default(64),
        timeoutMs: z.number().int().positive().default(30_000),
        /**
         * The highest confidentiality level the endpoint may receive, as for a model: it is sent every chunk at
         * ingest and every query at search. 3 (the default) for a server in the building; below 3, texts above it
         * are masked or, where guard.policy blocks that level, not sent (no vector: found lexically only).
         */
        clearance: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(3),
        origin: z.enum(['domestic', 'foreign']).default('domestic'),
        hosting: z.enum(['on-prem', 'domestic-cloud', 'foreign-cloud']).default('on-prem'),
      })
      .optional(),
    /** Extractive answerer: minimum support (0–1) of the best sentence, below which it abstains. */
    minSupport: z.number().min(0).max(1).default(0.5),
    /** Passages given to a model when answering. */
    contextPassages: z.number().int().min(1).max(50).default(5),
  })
  .prefault({});
