import { Hono } from 'hono';
import { checkModel } from '../../models/access.js';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { checkCollectionLabel, runGoverned, startGovernedStream, streamFailure } from '../governed-call.js';
import { chatCompletionRequest, hiragaOptions, toChatMessages, toGeneration } from '../openai/chat-request.js';
import { chatCompletion, chunk, finalChunk, refusalChunk, textEventWriter, toolCallsChunk, usageChunk } from '../openai/chat-response.js';
import { readBody } from '../request.js';
import { sseEvent, sseResponse } from '../sse.js';
import type { GovernedRequest } from '../types.js';
import { releaseCall, untilDeadline } from '../until-deadline.js';

/** POST /v1/chat/completions — OpenAI-compatible, every call through the governed pipeline. */
export function chatRoutes(deps: RouteDeps) {
  const { services, metrics } = deps;
  const timeoutMs = services.config.server.requestTimeoutMs;
  const app = new Hono<GatewayEnv>();

  app.post('/v1/chat/completions', async (c) => {
    const body = await readBody(c, chatCompletionRequest);
    const modelId = body.model ?? services.config.defaultModel;
    const actor = c.get('actor');
    checkModel(services.models, modelId, actor);
    await checkCollectionLabel(services.store, actor.tenant, body.hiraga?.collection);
    const signal = c.get('signal');
    const admission = c.get('admission');
    const maxTokens = body.max_completion_tokens ?? body.max_tokens;
    const generation = toGeneration(body);
    const req: GovernedRequest & { signal: AbortSignal } = {
      actor,
      model: modelId,
      messages: toChatMessages(body.messages),
      signal,
      ...(admission ? { admission } : {}),
      ...(maxTokens ? { maxTokens } : {}),
      ...(body.temperature !== undefined && body.temperature !== null ? { temperature: body.temperature } : {}),
      ...(generation ? { generation } : {}),
      ...hiragaOptions(body.hiraga),
    };
    c.set('modelId', modelId);
    const id = `chatcmpl-${c.get('requestId').replace(/-/g, '')}`;
    const created = Math.floor(Date.now() / 1000);

    if (!body.stream) return c.json(chatCompletion(id, created, await runGoverned(services.pipeline, req, timeoutMs)));

    const started = performance.now();
    const { it, first } = await startGovernedStream(services.pipeline, req, timeoutMs);
    const includeUsage = body.stream_options?.include_usage === true;
    const requestId = c.get('requestId');
    metrics.streams.inc();

    // Chunks name the model that answers: known with the first text (a fallback, perhaps, not the one asked for).
    let textEvent: ((content: string) => string) | undefined;

    // Events that are ready together go out in one write: the role chunk with the first text, and the
    // final chunk (with usage) with [DONE].
    async function* events(): AsyncGenerator<string> {
      let cur = first;
      let pending = '';
      try {
        while (!cur.done) {
          const d = cur.value;
          if (d.type === 'text') {
            if (!textEvent) {
              metrics.ttft.observe((performance.now() - started) / 1000, { model: modelId });
              pending = sseEvent(chunk(id, created, d.model, { role: 'assistant', content: '' }));
              textEvent = textEventWriter(id, created, d.model);
            }
            yield pending + textEvent(d.text);
            pending = '';
          } else {
            if (!textEvent) pending = sseEvent(chunk(id, created, d.result.model.id, { role: 'assistant', content: '' }));
            if (d.result.refusal !== undefined) pending += sseEvent(refusalChunk(id, created, d.result));
            if (d.result.toolCalls?.length) pending += sseEvent(toolCallsChunk(id, created, d.result));
            pending += sseEvent(finalChunk(id, created, d.result));
            if (includeUsage) pending += sseEvent(usageChunk(id, created, d.result));
          }
          cur = await untilDeadline(it.next(), signal);
        }
        yield pending + 'data: [DONE]\n\n';
      } catch (thrown) {
        // Headers are gone: report the failure as an error event and end without [DONE].
        const failure = streamFailure(deps, thrown, signal, requestId);
        if (failure) yield pending + sseEvent(failure);
      } finally {
        await releaseCall(it, signal);
      }
    }
    return sseResponse(c, events(), { 'x-request-id': requestId }, () => metrics.streams.dec());
  });

  return app;
}
