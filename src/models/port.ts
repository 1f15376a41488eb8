import type { ModelPort } from '../gateway/pipeline.js';
import type { ModelRegistry } from './registry.js';
import { callModel, streamModel } from './resilience/call.js';

/** The model layer as the governance pipeline sees it: every call with retries, breaker and clearance-safe fallback. */
export function modelPort(registry: ModelRegistry): ModelPort {
  return {
    info: (id) => registry.get(id).info,
    async call(id, req, opts) {
      const c = await callModel(registry, id, req, opts);
      return { result: c.result, model: c.model };
    },
    async *stream(id, req, opts) {
      for await (const d of streamModel(registry, id, req, opts)) {
        if (d.type === 'text') yield { type: 'text', text: d.text, model: d.model };
        else yield { type: 'done', result: d.call.result, model: d.call.model };
      }
    },
  };
}
