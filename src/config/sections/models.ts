import { z } from 'zod';

export const trustFields = {
  origin: z.enum(['domestic', 'foreign']).default('foreign'),
  hosting: z.enum(['on-prem', 'domestic-cloud', 'foreign-cloud']).default('foreign-cloud'),
  /** Highest confidentiality level (1–3) this model may receive. */
  clearance: z.number().int().min(1).max(3).default(1),
  /** Power draw of the serving hardware in watts, for energy estimates. */
  watts: z.number().nonnegative().optional(),
  /** JPY per 1,000 input tokens. */
  priceInputPer1k: z.number().nonnegative().default(0),
  /** JPY per 1,000 output tokens. */
  priceOutputPer1k: z.number().nonnegative().default(0),
  contextWindow: z.number().int().positive().optional(),
  fallback: z.array(z.string()).default([]),
  /** Shown in the UI and in `models list`. */
  label: z.string().optional(),
  timeoutMs: z.number().int().positive().default(60_000),
  /** Concurrent calls allowed to this model from one process. */
  maxConcurrency: z.number().int().positive().default(16),
  retries: z.number().int().min(0).max(10).default(2),
  /**
   * Only these tenants may use the model (e.g. a domestic model on trial with one pilot organisation); to
   * others it does not exist. Absent: every tenant.
   */
  tenants: z.array(z.string().min(1)).min(1, 'tenants: list at least one tenant, or leave it out for all').optional(),
};

const base = z.strictObject({ id: z.string().min(1).regex(/^[A-Za-z0-9._:-]+$/, 'use letters, digits and . _ : -'), ...trustFields });

export const extractiveModel = base.extend({
  provider: z.literal('extractive'),
  origin: z.enum(['domestic', 'foreign']).default('domestic'),
  hosting: z.enum(['on-prem', 'domestic-cloud', 'foreign-cloud']).default('on-prem'),
  clearance: z.number().int().min(1).max(3).default(3),
});

export const openAiCompatibleModel = base.extend({
  provider: z.literal('openai-compatible'),
  baseUrl: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'baseUrl must be an http:// or https:// URL ending in /v1, e.g. http://127.0.0.1:8000/v1'),
  model: z.string().min(1),
  /** The key itself, or `env:NAME` to read it from the environment. */
  apiKey: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  /** Supports `/v1/embeddings` with this model name (or the one given). */
  embeddingModel: z.string().optional(),
  /** Largest response body read from the server (bytes; a longer one fails as malformed_response). */
  maxResponseBytes: z.number().int().min(1024).default(16 * 1024 * 1024),
  /**
   * How long an idle connection to the server is kept for the next call (ms). Keep it below the server's own
   * idle timeout: vLLM (uvicorn), the llama.cpp server and Node close idle connections after 5 s, and a call
   * sent on a connection the server is closing fails. A server's `Keep-Alive: timeout=N` header takes precedence.
   */
  keepAliveMs: z.number().int().min(100).max(600_000).default(4_000),
  /**
   * The server honours `response_format` (JSON mode, JSON schema): vLLM, Ollama, the llama.cpp server and
   * OpenAI's own do. Set false for one that ignores it: such requests are then refused for this model, and
   * it is skipped as a fallback for them, instead of returning text the caller cannot parse.
   */
  responseFormat: z.boolean().default(true),
  /**
   * The server does function calling (`tools`, `tool_choice`, tool turns): OpenAI's API, vLLM started with
   * `--enable-auto-tool-choice` and a tool parser, Ollama and the llama.cpp server (`--jinja`) do. Set false
   * for one that does not: requests with tools are then refused for this model and skip it as a fallback.
   */
  tools: z.boolean().default(true),
  /**
   * The name the output limit is sent under. Absent: as the caller sent it (chat's `max_completion_tokens` or
   * `max_tokens`; `max_tokens` for /v1/responses' max_output_tokens and hiraga's own routes). Set
   * `"max_completion_tokens"` for OpenAI's and Azure's reasoning models, which refuse max_tokens, or
   * `"max_tokens"` for a server that knows only that one.
   */
  maxTokensParam: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
});

export const llamaCppModel = base.extend({
  provider: z.literal('llama-cpp'),
  path: z.string().min(1),
  origin: z.enum(['domestic', 'foreign']).default('foreign'),
  hosting: z.enum(['on-prem', 'domestic-cloud', 'foreign-cloud']).default('on-prem'),
  contextSize: z.number().int().positive().default(4096),
  gpuLayers: z.union([z.number().int().min(0), z.literal('auto')]).default('auto'),
  maxConcurrency: z.number().int().positive().default(1),
});

export const modelSchema = z.discriminatedUnion('provider', [extractiveModel, openAiCompatibleModel, llamaCppModel]);
export type ModelConfig = z.infer<typeof modelSchema>;
export type ProviderName = ModelConfig['provider'];
