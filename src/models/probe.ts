import { toHiragaError } from '../core/errors.js';
import type { ModelRegistry } from './registry.js';
import { callModel, streamModel } from './resilience/call.js';

/** The short prompt `hiraga models test` sends. */
export const PROBE_PROMPT = '「こんにちは」と一言だけ返してください。 / Reply with one word: hello.';

export interface ProbeReport {
  model: string;
  ok: boolean;
  /** Plain call: total latency. */
  latencyMs?: number;
  /** Streamed call: time to first text, tokens per second over the whole stream. */
  firstTokenMs?: number;
  tokensPerS?: number;
  completionTokens?: number;
  usageEstimated?: boolean;
  streaming: boolean;
  reply?: string;
  error?: string;
}

/** Send a short prompt to one model (no fallbacks), plain and streamed, and measure it. */
export async function probeModel(registry: ModelRegistry, id: string): Promise<ProbeReport> {
  registry.get(id);
  const req = { messages: [{ role: 'user' as const, content: PROBE_PROMPT }], maxTokens: 32 };
  const report: ProbeReport = { model: id, ok: false, streaming: false };
  try {
    const plain = await callModel(registry, id, req, { fallback: false, requiredLevel: 1 });
    report.latencyMs = round(plain.latencyMs);
    report.reply = plain.result.content.slice(0, 200);
    report.ok = true;
  } catch (err) {
    report.error = toHiragaError(err).message;
    return report;
  }
  try {
    let texts = 0;
    const t0 = performance.now();
    for await (const d of streamModel(registry, id, req, { fallback: false, requiredLevel: 1 })) {
      if (d.type === 'text') texts++;
      else {
        const seconds = (performance.now() - t0) / 1000;
        report.firstTokenMs = round(d.call.firstTokenMs);
        report.completionTokens = d.call.usage.completion_tokens;
        report.usageEstimated = d.call.usage.estimated === true;
        report.tokensPerS = seconds > 0 ? round(d.call.usage.completion_tokens / seconds) : 0;
        report.streaming = texts > 0;
      }
    }
  } catch (err) {
    report.error = `streaming failed: ${toHiragaError(err).message}`;
  }
  return report;
}

const round = (n: number) => Math.round(n * 10) / 10;
