import { HiragaError, policyBlock } from '../../core/errors.js';
import type { Confidentiality, TokenUsage } from '../../core/types.js';
import { failureReason, modelFailure } from '../failure.js';
import type { ModelEntry, ModelRegistry } from '../registry.js';
import type { ChatRequest, ChatResult, ModelInfo } from '../types.js';
import { costJpy, energyWh } from '../usage.js';
import { backoffDelay, sleep } from './backoff.js';

export interface CallOptions {
  /** Confidentiality level of the request: no model (and no fallback) with a lower clearance is used. Default 1. */
  requiredLevel?: Confidentiality;
  /** false: only the requested model (used by `models test`). Default true. */
  fallback?: boolean;
}

/** One try at one model, for logs and audit. */
export interface Attempt {
  model: string;
  ok: boolean;
  reason?: string;
  message?: string;
  ms: number;
}

export interface CallResult {
  /** The model that answered (a fallback when the requested one failed). */
  model: ModelInfo;
  result: ChatResult;
  usage: TokenUsage;
  costJpy: number;
  energyWh: number;
  /** From the call until the answer was complete, retries included. */
  latencyMs: number;
  /** Time the answering model spent on the successful attempt. */
  busyMs: number;
  /** Time to the first text (streaming), else equal to latencyMs. */
  firstTokenMs: number;
  attempts: Attempt[];
}

export type CallDelta = { type: 'text'; text: string; model: string } | { type: 'done'; call: CallResult };

/** A Retry-After longer than this is not waited for: the call moves on to the fallbacks. */
const MAX_RETRY_AFTER_MS = 30_000;

/** One chat call with timeouts, retries, the circuit breaker and the clearance-safe fallback chain. */
export async function callModel(registry: ModelRegistry, id: string, req: ChatRequest, options: CallOptions = {}): Promise<CallResult> {
  for await (const d of run(registry, id, req, options, 'plain')) if (d.type === 'done') return d.call;
  throw new HiragaError('internal', `model "${id}": the call ended without a result`);
}

/**
 * The streaming variant. Retries and fallbacks happen only before the first text is emitted;
 * a failure after that ends the stream with the error. The timeout applies to the wait for each piece.
 */
export function streamModel(registry: ModelRegistry, id: string, req: ChatRequest, options: CallOptions = {}): AsyncIterable<CallDelta> {
  return run(registry, id, req, options, 'stream');
}

/** The requested model and then its fallbacks (breadth-first, each once) that are cleared for the request. */
export function candidates(registry: ModelRegistry, id: string, level: Confidentiality): { use: ModelEntry[]; skipped: Attempt[] } {
  const first = registry.get(id);
  if (first.info.clearance < level) {
    throw policyBlock(`model "${id}" is cleared for confidentiality level ${first.info.clearance} but the request is level ${level}; choose a model with clearance ${level} or higher`, {
      reason: 'confidentiality_exceeds_clearance',
      details: { model: id, clearance: first.info.clearance, requiredLevel: level },
    });
  }
  const use = [first];
  const skipped: Attempt[] = [];
  const seen = new Set([id]);
  for (let i = 0; i < use.length; i++) {
    for (const f of use[i]!.info.fallback) {
      if (seen.has(f)) continue;
      seen.add(f);
      const e = registry.get(f);
      if (e.info.clearance < level) skipped.push({ model: f, ok: false, reason: 'clearance', message: `fallback "${f}" skipped: clearance ${e.info.clearance} < level ${level}`, ms: 0 });
      else use.push(e);
    }
  }
  return { use, skipped };
}

async function* run(registry: ModelRegistry, id: string, req: ChatRequest, options: CallOptions, mode: 'plain' | 'stream'): AsyncGenerator<CallDelta> {
  const started = performance.now();
  const chain = candidates(registry, id, options.requiredLevel ?? 1);
  const { use, skipped } = options.fallback === false ? { use: chain.use.slice(0, 1), skipped: [] } : chain;
  const attempts: Attempt[] = [];
  const failures: HiragaError[] = [];
  for (const entry of use) {
    const retries = entry.config.retries;
    for (let attempt = 0; ; attempt++) {
      if (!entry.breaker.tryEnter()) {
        const err = modelFailure(entry.info.id, 'circuit_open', `circuit open after repeated failures; next try in ${Math.ceil(entry.breaker.retryInMs / 1000)} s`);
        attempts.push({ model: entry.info.id, ok: false, reason: 'circuit_open', message: err.message, ms: 0 });
        failures.push(err);
        break;
      }
      const t0 = performance.now();
      let emitted = false;
      try {
        let firstTokenMs = -1;
        for await (const d of once(entry, req, mode)) {
          if (d.type === 'text') {
            if (firstTokenMs < 0) firstTokenMs = performance.now() - started;
            emitted = true;
            yield { type: 'text', text: d.text, model: entry.info.id };
            continue;
          }
          entry.breaker.success();
          const now = performance.now();
          const busyMs = now - t0;
          attempts.push({ model: entry.info.id, ok: true, ms: busyMs });
          const usage = d.result.usage;
          yield {
            type: 'done',
            call: {
              model: entry.info,
              result: d.result,
              usage,
              costJpy: costJpy(entry.info, usage),
              energyWh: energyWh(entry.info, busyMs),
              latencyMs: now - started,
              busyMs,
              firstTokenMs: firstTokenMs < 0 ? now - started : firstTokenMs,
              attempts: [...skipped, ...attempts],
            },
          };
          return;
        }
        throw modelFailure(entry.info.id, 'malformed_response', 'the reply ended without a result');
      } catch (raw) {
        const err = raw instanceof HiragaError ? raw : modelFailure(entry.info.id, 'unavailable', (raw as Error)?.message ?? String(raw), {}, raw);
        const reason = failureReason(err);
        attempts.push({ model: entry.info.id, ok: false, ...(reason ? { reason } : {}), message: err.message, ms: performance.now() - t0 });
        if (reason === 'cancelled' || err.code === 'bad_input') {
          entry.breaker.release();
          throw err;
        }
        entry.breaker.failure();
        if (emitted) throw err;
        if ((reason === 'rate_limited' || reason === 'server_error') && attempt < retries) {
          const after = (err.details?.retryAfterMs as number | undefined) ?? 0;
          if (after <= MAX_RETRY_AFTER_MS) {
            await sleep(Math.max(after, backoffDelay(attempt, registry.backoff)), req.signal).catch(() => {
              throw modelFailure(entry.info.id, 'cancelled', 'the call was cancelled');
            });
            continue;
          }
        }
        failures.push(err);
        break;
      }
    }
  }
  throw combine(failures, skipped);
}

/** One provider call with the model's timeout and the caller's cancellation wired into one signal. */
async function* once(entry: ModelEntry, req: ChatRequest, mode: 'plain' | 'stream'): AsyncGenerator<{ type: 'text'; text: string } | { type: 'done'; result: ChatResult }> {
  const release = await entry.slots.acquire(req.signal).catch(() => {
    throw modelFailure(entry.info.id, 'cancelled', 'the call was cancelled');
  });
  const ctl = new AbortController();
  const timeoutMs = entry.config.timeoutMs;
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      ctl.abort(new Error('timeout'));
    }, timeoutMs);
  };
  const onCallerAbort = () => ctl.abort(req.signal!.reason);
  req.signal?.addEventListener('abort', onCallerAbort, { once: true });
  let finished = false;
  try {
    if (req.signal?.aborted) throw modelFailure(entry.info.id, 'cancelled', 'the call was cancelled');
    arm();
    const call = { ...req, signal: ctl.signal };
    if (mode === 'plain') {
      yield { type: 'done', result: await entry.provider.chat(call) };
    } else {
      for await (const d of entry.provider.chatStream(call)) {
        arm();
        yield d;
      }
    }
    finished = true;
  } catch (err) {
    if (timedOut) {
      const what = mode === 'stream' ? `no data for ${timeoutMs} ms (timeout)` : `no response within ${timeoutMs} ms (timeout)`;
      throw modelFailure(entry.info.id, 'timeout', what, {}, err);
    }
    if (req.signal?.aborted) throw modelFailure(entry.info.id, 'cancelled', 'the call was cancelled', {}, err);
    throw err;
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onCallerAbort);
    if (!finished) ctl.abort(new Error('stopped'));
    release();
  }
}

/** One error for the whole chain: the requested model's cause first, then each fallback's. */
function combine(failures: HiragaError[], skipped: Attempt[]): HiragaError {
  const first = failures[0]!;
  if (failures.length === 1 && !skipped.length) return first;
  const rest = [...failures.slice(1).map((f) => `fallback ${f.message}`), ...skipped.map((s) => s.message!)];
  return new HiragaError(first.code, `${first.message}; ${rest.join('; ')}`, {
    ...(first.reason ? { reason: first.reason } : {}),
    retryable: first.retryable,
    details: { ...first.details, fallbacks: failures.slice(1).map((f) => ({ model: f.details?.model, reason: f.reason })) },
  });
}
