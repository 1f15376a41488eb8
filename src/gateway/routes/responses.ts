import { Hono } from 'hono';
import { HiragaError } from '../../core/errors.js';
import { checkModel } from '../../models/access.js';
import { retrievePassages } from '../ask.js';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { checkCollectionLabel, runGoverned, startGovernedStream, streamFailure } from '../governed-call.js';
import { hiragaOptions } from '../openai/chat-request.js';
import { responsesRequest, searchQuery, toResponsesGeneration, toResponsesMessages, toTools } from '../openai/responses-request.js';
import { finishedResponse, ResponseEvents, responseHead, type FileSearchDone } from '../openai/responses-response.js';
import { readBody } from '../request.js';
import { sseResponse } from '../sse.js';
import type { GovernedRequest } from '../types.js';
import { releaseCall, untilDeadline } from '../until-deadline.js';

/**
 * POST /v1/responses — OpenAI's Responses API over the same governed pipeline as chat completions
 * (guard, policy, model call, output checks, review, audit, usage), stateless: see openai/responses-request.ts.
 */
export function responsesRoutes(deps: RouteDeps) {
  const { services, metrics } = deps;
  const timeoutMs = services.config.server.requestTimeoutMs;
  const app = new Hono<GatewayEnv>();

  app.post('/v1/responses', async (c) => {
    const body = await readBody(c, responsesRequest);
    const modelId = body.model ?? services.config.defaultModel;
    const actor = c.get('actor');
    checkModel(services.models, modelId, actor);
    await checkCollectionLabel(services.store, actor.tenant, body.hiraga?.collection);
    const signal = c.get('signal');
    const admission = c.get('admission');
    const tools = toTools(body);
    const generation = toResponsesGeneration(body, tools.functions);
    const messages = toResponsesMessages(body);
    // file_search: hiraga searches the caller's collections first and grounds the call on what it found.
    let search: FileSearchDone | undefined;
    if (tools.fileSearch && body.tool_choice !== 'none') {
      const query = searchQuery(messages);
      const { searcher, embedder } = await services.retrieval();
      const k = tools.fileSearch.k ?? services.config.retrieval.contextPassages;
      const passages = await retrievePassages(searcher, query, { collections: tools.fileSearch.collections, tenant: actor.tenant, k, embedder });
      search = { query, passages, withResults: body.include?.includes('file_search_call.results') === true };
    }
    const req: GovernedRequest & { signal: AbortSignal } = {
      actor,
      model: modelId,
      messages,
      ...(search ? { passages: search.passages, collection: tools.fileSearch!.collections.join(',') } : {}),
      signal,
      ...(admission ? { admission } : {}),
      ...(body.max_output_tokens ? { maxTokens: body.max_output_tokens } : {}),
      ...(body.temperature != null ? { temperature: body.temperature } : {}),
      ...(generation ? { generation } : {}),
      ...hiragaOptions(body.hiraga),
    };
    c.set('modelId', modelId);
    const requestId = c.get('requestId');
    const head = responseHead(`resp_${requestId.replace(/[^A-Za-z0-9]/g, '')}`, Math.floor(Date.now() / 1000), modelId, body);

    if (!body.stream) return c.json(finishedResponse(head, await runGoverned(services.pipeline, req, timeoutMs), search));

    const started = performance.now();
    const { it, first } = await startGovernedStream(services.pipeline, req, timeoutMs);
    metrics.streams.inc();
    const ev = new ResponseEvents(head, search);

    async function* events(): AsyncGenerator<string> {
      let cur = first;
      let pending = ev.started();
      let opened = false;
      let streamed = '';
      try {
        while (!cur.done) {
          const d = cur.value;
          if (d.type === 'text') {
            if (!opened) {
              opened = true;
              pending += ev.messageOpened();
              metrics.ttft.observe((performance.now() - started) / 1000, { model: modelId });
            }
            streamed += d.text;
            yield pending + ev.textDelta(d.text);
            pending = '';
          } else {
            const r = d.result;
            const calls = r.toolCalls ?? [];
            let index = ev.messageIndex;
            if (r.refusal !== undefined && !opened) {
              pending += ev.refusalMessage(r);
              index++;
            } else if (opened || r.content || !calls.length) {
              if (!opened) pending += ev.messageOpened();
              // What the stream has not carried yet (a review notice, say, arrives only with the result).
              const rest = r.content.startsWith(streamed) ? r.content.slice(streamed.length) : '';
              if (rest) pending += ev.textDelta(rest);
              pending += ev.messageDone(r);
              index++;
            }
            calls.forEach((call, i) => (pending += ev.functionCall(index + i, i, call)));
            pending += ev.finished(r);
          }
          cur = await untilDeadline(it.next(), signal);
        }
        yield pending;
      } catch (thrown) {
        // Headers are gone: end with response.failed, as OpenAI does.
        const failure = streamFailure(deps, thrown, signal, requestId);
        if (failure) yield pending + ev.failed({ code: failure.error.code, message: failure.error.message });
      } finally {
        await releaseCall(it, signal);
      }
    }
    return sseResponse(c, events(), { 'x-request-id': requestId }, () => metrics.streams.dec());
  });

  // hiraga keeps no responses: say so, instead of a bare 404.
  app.on(['GET', 'DELETE'], '/v1/responses/:id', () => {
    throw new HiragaError(
      'not_found',
      'hiraga は応答を保存しません（store は使えません）。必要な内容は応答を受け取った側で保存してください / hiraga does not store responses, so none can be retrieved or deleted: keep what you need from the response you received',
      { reason: 'response_not_stored' },
    );
  });
  app.post('/v1/responses/:id/cancel', () => {
    throw new HiragaError('not_found', 'hiraga は応答を保存しないため、取り消す応答はありません / hiraga does not store responses, so there is none to cancel: close the connection to stop a stream', {
      reason: 'response_not_stored',
    });
  });

  return app;
}
