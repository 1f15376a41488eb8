import { LightAbortController } from '../../core/cancel.js';
import { HiragaError, policyBlock } from '../../core/errors.js';
import { extend } from '../../core/objects.js';
import type { Actor, Confidentiality, TokenUsage } from '../../core/types.js';
import { mayUse } from '../access.js';
import { failureReason, modelFailure } from '../failure.js';
import type { ModelEntry, ModelRegistry } from '../registry.js';
import { unsupportedParameter } from '../generation.js';
import type { ChatRequest, ChatResult, ModelInfo } from '../types.js';
import { costJpy, energyWh } from '../usage.js';
import { backoffDelay, sleep } from './backoff.js';

export interface CallOptions {
  /** Confidentiality level of the request: no model (and no fallback) with a lower clearance is used. Default 1. */
  requiredLevel?: Confidentiality;
  /** false: only the requested model (used by `models test`). Default true. */
  fallback?: boolean;
  /** The caller: fallbacks limited to other tenants (`models[].tenants`) are skipped. Absent: no limit (CLI tools). */
  actor?: Pick<Actor, 'tenant' | 'role' | 'models'>;
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

/**
 * The requested model and then its fallbacks (breadth-first, each once) that are cleared for the request,
 * can honour its output-changing parameters (stop, response_format) and are open to the caller's tenant.
 */
export function candidates(
  registry: ModelRegistry,
  id: string,
  level: Confidentiality,
  req?: Pick<ChatRequest, 'generation' | 'messages'>,
  actor?: Pick<Actor, 'tenant' | 'role' | 'models'>,
): { use: ModelEntry[]; skipped: Attempt[] } {
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
      const unsupported = unsupportedParameter(e.info, req?.generation, req?.messages);
      if (actor?.models && !actor.models.includes(f)) skipped.push({ model: f, ok: false, reason: 'key', message: `fallback "${f}" skipped: not among the models this key may use`, ms: 0 });
      else if (actor && !mayUse(e.info, actor)) skipped.push({ model: f, ok: false, reason: 'tenant', message: `fallback "${f}" skipped: not open to tenant "${actor.tenant}"`, ms: 0 });
      else if (e.info.clearance < level) skipped.push({ model: f, ok: false, reason: 'clearance', message: `fallback "${f}" skipped: clearance ${e.info.clearance} < level ${level}`, ms: 0 });
      else if (unsupported) skipped.push({ model: f, ok: false, reason: 'unsupported_parameter', message: `fallback "${f}" skipped: it cannot honour ${unsupported}`, ms: 0 });
      else use.push(e);
    }
  }
  return { use, skipped };
}

async function* run(registry: ModelRegistry, id: string, req: ChatRequest, options: CallOptions, mode: 'plain' | 'stream'): AsyncGenerator<CallDelta> {
  const started = performance.now();
  const chain = candidates(registry, id, options.requiredLevel ?? 1, req, options.actor);
  const { use, skipped } = options.fallback === false ? { use: chain.use.slice(0, 1), skipped: [] } : chain;
  const attempts: Attempt[] = [];
  const failures: HiragaError[] = [];
  for (const entry of use) {
    const modelId = entry.info.id;
    for (let attempt = 0; ; attempt++) {
      if (!entry.breaker.tryEnter()) {
        const err = modelFailure(modelId, 'circuit_open', `circuit open after repeated failures; next try in ${Math.ceil(entry.breaker.retryInMs / 1000)} s`);
        attempts.push({ model: modelId, ok: false, reason: 'circuit_open', message: err.message, ms: 0 });
        failures.push(err);
        break;
      }
      const release = await entry.slots.acquire(req.signal).catch(() => {
        entry.breaker.release();
        throw modelFailure(modelId, 'cancelled', 'the call was cancelled');
      });
      // One signal for the provider: the caller's cancellation or this model's timeout. In streaming the
      // timeout is an idle limit (no data for timeoutMs); a watchdog checks the last activity instead of
      // re-arming a timer per piece.
      const ctl = new LightAbortController();
      const timeoutMs = entry.config.timeoutMs;
      let timedOut = false;
      let last = performance.now();
      const watchdog = () => {
        const idle = performance.now() - last;
        if (idle < timeoutMs) timer = setTimeout(watchdog, timeoutMs - idle);
        else {
          timedOut = true;
          ctl.abort(new Error('timeout'));
        }
      };
      let timer = setTimeout(watchdog, timeoutMs);
      const onCallerAbort = () => ctl.abort(req.signal!.reason);
      req.signal?.addEventListener('abort', onCallerAbort, { once: true });
      const t0 = last;
      let emitted = false;
      let finished = false;
      try {
        if (req.signal?.aborted) throw modelFailure(modelId, 'cancelled', 'the call was cancelled');
        const call = extend(req, { signal: ctl.signal });
        let result: ChatResult | undefined;
        let firstTokenMs = -1;
        if (mode === 'plain') result = await entry.provider.chat(call);
        else {
          for await (const d of entry.provider.chatStream(call)) {
            last = performance.now();
            if (d.type === 'text') {
              if (firstTokenMs < 0) firstTokenMs = last - started;
              emitted = true;
              yield { type: 'text', text: d.text, model: modelId };
            } else result = d.result;
          }
        }
        if (!result) throw modelFailure(modelId, 'malformed_response', 'the reply ended without a result');
        finished = true;
        entry.breaker.success();
        const now = performance.now();
        const busyMs = now - t0;
        attempts.push({ model: modelId, ok: true, ms: busyMs });
        yield {
          type: 'done',
          call: {
            model: entry.info,
            result,
            usage: result.usage,
            costJpy: costJpy(entry.info, result.usage),
            energyWh: energyWh(entry.info, busyMs),
            latencyMs: now - started,
            busyMs,
            firstTokenMs: firstTokenMs < 0 ? now - started : firstTokenMs,
            attempts: [...skipped, ...attempts],
          },
        };
        return;
      } catch (raw) {
        const err = normalize(raw, modelId, timedOut, req.signal?.aborted === true, mode, timeoutMs);
        const reason = failureReason(err);
        attempts.push({ model: modelId, ok: false, ...(reason ? { reason } : {}), message: err.message, ms: performance.now() - t0 });
        if (reason === 'cancelled' || err.code === 'bad_input') {
          entry.breaker.release();
          throw err;
        }
        // A connection lost before any text, on the first attempt, is retried at once and not held against
        // the model: the usual cause is a kept-alive connection the server closed as the call went out (a
        // burst of them must not open the breaker), and the retry opens a fresh connection. If the server is
        // really down, the retry fails to connect, and that counts.
        const lostConnection = reason === 'connection_lost' && !emitted && attempt === 0 && retries(entry) > 0;
        if (lostConnection) {
          entry.breaker.release();
          continue;
        }
        entry.breaker.failure();
        if (emitted) throw err;
        if ((reason === 'rate_limited' || reason === 'server_error' || reason === 'connection_lost') && attempt < retries(entry)) {
          const after = (err.details?.retryAfterMs as number | undefined) ?? 0;
          if (after <= MAX_RETRY_AFTER_MS) {
            clearTimeout(timer);
            await sleep(Math.max(after, backoffDelay(attempt, registry.backoff)), req.signal).catch(() => {
              throw modelFailure(modelId, 'cancelled', 'the call was cancelled');
            });
            continue;
          }
        }
        failures.push(err);
        break;
      } finally {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onCallerAbort);
        if (!finished) ctl.abort(new Error('stopped'));
        release();
      }
    }
  }
  throw combine(failures, skipped);
}

const retries = (entry: ModelEntry) => entry.config.retries;

/** Whatever a provider threw, as one HiragaError: our own timeout and the caller's cancellation take precedence. */
function normalize(raw: unknown, model: string, timedOut: boolean, callerAborted: boolean, mode: 'plain' | 'stream', timeoutMs: number): HiragaError {
  if (timedOut) return modelFailure(model, 'timeout', mode === 'stream' ? `no data for ${timeoutMs} ms (timeout)` : `no response within ${timeoutMs} ms (timeout)`, {}, raw);
  if (callerAborted) return raw instanceof HiragaError && raw.reason === 'cancelled' ? raw : modelFailure(model, 'cancelled', 'the call was cancelled', {}, raw);
  if (raw instanceof HiragaError) return raw;
  return modelFailure(model, 'unavailable', raw instanceof Error ? raw.message : String(raw), {}, raw);
}

/** One error for the whole chain: the requested model's cause first, then each fallback's. */
function combine(failures: HiragaError[], skipped: Attempt[]): HiragaError {
  const first = failures[0]!;
  if (failures.length === 1 && !skipped.length) return first;
  const rest = [...failures.slice(1).map((f) => `fallback ${f.message}`), ...skipped.map((s) => s.message!)];
  return new HiragaError(first.code, `${first.message}; ${rest.join('; ')}`, {
    retryable: first.retryable,
    ...(first.reason ? { reason: first.reason } : {}),
    details: extend(first.details ?? {}, { fallbacks: failures.slice(1).map((f) => ({ model: f.details?.model, reason: f.reason })) }),
  });
}
