import fs from 'node:fs';
import type { ChatHistoryItem, LlamaContext, LlamaModel } from 'node-llama-cpp';
import type { ModelConfig } from '../../config/sections/models.js';
import { toAbortSignal } from '../../core/cancel.js';
import { HiragaError } from '../../core/errors.js';
import { modelFailure } from '../failure.js';
import { groundedMessages, parseCitations } from '../grounding.js';
import { modelInfo } from '../info.js';
import { Semaphore } from '../resilience/semaphore.js';
import type { ChatDelta, ChatMessage, ChatRequest, ChatResult, ModelInfo, ModelProvider } from '../types.js';
import type { ProviderDeps } from './deps.js';

type LlamaCppConfig = Extract<ModelConfig, { provider: 'llama-cpp' }>;

/** One loaded model per GGUF path for the whole process (several config entries may share a file). */
const sharedModels = new Map<string, Promise<LlamaModel>>();

function loadShared(path: string, gpuLayers: number | 'auto'): Promise<LlamaModel> {
  let p = sharedModels.get(path);
  if (!p) {
    p = (async () => {
      // Imported here, never at module load: the native addon is heavy and optional.
      const { getLlama } = await import('node-llama-cpp');
      const llama = await getLlama();
      return llama.loadModel({ modelPath: path, gpuLayers });
    })();
    p.catch(() => sharedModels.delete(path));
    sharedModels.set(path, p);
  }
  return p;
}

/**
 * A local GGUF model run in-process with node-llama-cpp (CPU here, GPU where present), with the
 * model's own chat template. Loaded on the first call; `maxConcurrency` parallel sequences.
 */
export class LlamaCppProvider implements ModelProvider {
  readonly info: ModelInfo;
  private context: Promise<LlamaContext> | null = null;
  private readonly slots: Semaphore;

  constructor(private readonly cfg: LlamaCppConfig) {
    this.info = modelInfo(cfg);
    this.slots = new Semaphore(cfg.maxConcurrency);
  }

  private getContext(): Promise<LlamaContext> {
    if (!this.context) {
      if (!fs.existsSync(this.cfg.path)) {
        throw modelFailure(this.cfg.id, 'unavailable', `GGUF file not found: ${this.cfg.path} (set "path" to a .gguf model file)`);
      }
      this.context = loadShared(this.cfg.path, this.cfg.gpuLayers)
        .then((model) => model.createContext({ contextSize: this.cfg.contextSize, sequences: this.cfg.maxConcurrency }))
        .catch((err: unknown) => {
          this.context = null;
          throw modelFailure(this.cfg.id, 'unavailable', `cannot load ${this.cfg.path}: ${(err as Error).message}`, {}, err);
        });
    }
    return this.context;
  }

  async chat(req: ChatRequest): Promise<ChatResult> {
    let result: ChatResult | undefined;
    for await (const d of this.chatStream(req)) if (d.type === 'done') result = d.result;
    return result!;
  }

  async *chatStream(req: ChatRequest): AsyncIterable<ChatDelta> {
    const context = await this.getContext();
    const release = await this.slots.acquire(req.signal);
    const { LlamaChatSession } = await import('node-llama-cpp');
    const sequence = context.getSequence();
    const session = new LlamaChatSession({ contextSequence: sequence });
    const queue: string[] = [];
    let wake: (() => void) | null = null;
    let finished = false;
    let failure: unknown = null;
    try {
      const messages = (req.passages ? groundedMessages(req.messages, req.passages) : req.messages);
      const last = messages.at(-1);
      if (!last || last.role !== 'user') throw new HiragaError('bad_input', `model "${this.cfg.id}": the last message must come from the user`);
      session.setChatHistory(toHistory(messages.slice(0, -1)));
      const before = { input: sequence.tokenMeter.usedInputTokens, output: sequence.tokenMeter.usedOutputTokens };
      const done = session
        .prompt(last.content, {
          onTextChunk: (text) => {
            queue.push(text);
            wake?.();
          },
          ...(req.maxTokens !== undefined ? { maxTokens: req.maxTokens } : {}),
          ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
          ...(req.generation?.topP !== undefined ? { topP: req.generation.topP } : {}),
          ...(req.generation?.seed !== undefined ? { seed: req.generation.seed } : {}),
          // OpenAI's stop sequences are node-llama-cpp's custom stop triggers.
          ...(req.generation?.stop?.length ? { customStopTriggers: req.generation.stop } : {}),
          ...(req.signal ? { signal: toAbortSignal(req.signal) } : {}),
        })
        .catch((err: unknown) => {
          failure = err;
          return '';
        })
        .finally(() => {
          finished = true;
          wake?.();
        });
      while (!finished || queue.length) {
        if (queue.length) yield { type: 'text', text: queue.shift()! };
        else await new Promise<void>((r) => (wake = r));
        wake = null;
      }
      if (failure) throw failure;
      const content = await done;
      const prompt = sequence.tokenMeter.usedInputTokens - before.input;
      const completion = sequence.tokenMeter.usedOutputTokens - before.output;
      const result: ChatResult = { content, usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion }, finishReason: 'stop' };
      if (req.passages) {
        const { citations, abstained } = parseCitations(content, req.passages);
        result.citations = citations;
        result.abstained = abstained;
      }
      yield { type: 'done', result };
    } catch (err) {
      if (err instanceof HiragaError) throw err;
      if (req.signal?.aborted) throw modelFailure(this.cfg.id, 'cancelled', 'the call was cancelled', {}, err);
      throw modelFailure(this.cfg.id, 'unavailable', `generation failed: ${(err as Error).message}`, {}, err);
    } finally {
      session.dispose({ disposeSequence: true });
      release();
    }
  }

  async embed(texts: string[]): Promise<number[][]> {
    const model = await loadShared(this.cfg.path, this.cfg.gpuLayers);
    const ctx = await model.createEmbeddingContext();
    try {
      const out: number[][] = [];
      for (const t of texts) out.push([...(await ctx.getEmbeddingFor(t)).vector]);
      return out;
    } finally {
      await ctx.dispose();
    }
  }

  async close(): Promise<void> {
    const ctx = this.context;
    this.context = null;
    if (ctx) await (await ctx.catch(() => null))?.dispose();
  }
}

function toHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  return messages.map((m): ChatHistoryItem =>
    m.role === 'system' ? { type: 'system', text: m.content } : m.role === 'user' ? { type: 'user', text: m.content } : { type: 'model', response: [m.content] },
  );
}

export const createLlamaCpp = (cfg: LlamaCppConfig, _deps: ProviderDeps): ModelProvider => new LlamaCppProvider(cfg);
