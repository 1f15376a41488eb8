import fs from 'node:fs';
import type { TokenUsage } from '../core/types.js';
import type { ModelRegistry } from './registry.js';
import { streamModel } from './resilience/call.js';
import type { ChatMessage } from './types.js';

export interface ChatTurnRequest {
  model: string;
  messages: ChatMessage[];
  signal?: AbortSignal;
}

export type ChatTurnDelta =
  | { type: 'text'; text: string }
  /** `model` is the model that answered (a fallback when the requested one failed). `extra` is merged into --json output. */
  | { type: 'done'; model: string; content: string; usage: TokenUsage; extra?: Record<string, unknown> };

/** Runs one chat turn. The CLI uses `directRunner`; the governance pipeline provides its own. */
export type ChatRunner = (req: ChatTurnRequest) => AsyncIterable<ChatTurnDelta>;

/** A runner that calls the model layer directly (retries, breaker, fallback; no guard/policy/audit). */
export function directRunner(registry: ModelRegistry): ChatRunner {
  return async function* (req) {
    for await (const d of streamModel(registry, req.model, { messages: req.messages, ...(req.signal ? { signal: req.signal } : {}) })) {
      if (d.type === 'text') yield { type: 'text', text: d.text };
      else yield { type: 'done', model: d.call.model.id, content: d.call.result.content, usage: d.call.usage };
    }
  };
}

export interface ChatTurnOutput {
  json: boolean;
  outFile?: string;
  write(text: string): void;
}

/**
 * One `hiraga chat` turn: stream text to a person as it comes, or print {"model","content","usage"} with --json;
 * --out also writes the content to a file.
 */
export async function chatTurn(req: ChatTurnRequest, run: ChatRunner, out: ChatTurnOutput): Promise<Extract<ChatTurnDelta, { type: 'done' }>> {
  let done: Extract<ChatTurnDelta, { type: 'done' }> | undefined;
  let streamed = false;
  for await (const d of run(req)) {
    if (d.type === 'text') {
      if (!out.json) out.write(d.text);
      streamed = true;
    } else done = d;
  }
  if (!done) throw new Error(`model "${req.model}": the reply ended without a result`);
  if (out.json) out.write(JSON.stringify({ model: done.model, content: done.content, usage: done.usage, ...done.extra }, null, 2) + '\n');
  else {
    if (!streamed) out.write(done.content);
    out.write('\n');
  }
  if (out.outFile) fs.writeFileSync(out.outFile, done.content.endsWith('\n') ? done.content : `${done.content}\n`);
  return done;
}
