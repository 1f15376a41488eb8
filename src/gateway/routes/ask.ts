import { Hono } from 'hono';
import { z } from 'zod';
import { checkModel } from '../../models/access.js';
import { askCollection, retrievePassages } from '../ask.js';
import { collectionName } from '../collection-name.js';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { governedError } from '../governed.js';
import { startGovernedStream, streamFailure } from '../governed-call.js';
import { readBody } from '../request.js';
import { sseEvent, sseResponse } from '../sse.js';
import type { GovernedResult } from '../types.js';
import { releaseCall, untilDeadline } from '../until-deadline.js';

const askRequest = z.object({
  collection: collectionName(),
  question: z.string().min(1, 'question is empty: ask something').max(10_000),
  model: z.string().min(1).optional(),
  k: z.number().int().min(1).max(50).optional(),
  stream: z.boolean().optional(),
  confidentiality: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
});

function askBody(r: GovernedResult, citations: { source: string; chunk: number; quote: string; heading?: string }[]) {
  return {
    answer: r.content,
    abstained: r.abstained ?? false,
    citations,
    model: r.model.id,
    modelInfo: { origin: r.model.origin, hosting: r.model.hosting, clearance: r.model.clearance },
    confidentiality: r.confidentiality,
    masked: r.masked,
    flags: r.flags,
    ...(r.review ? { review: r.review } : {}),
    auditId: r.auditId,
    usage: r.usage,
    cost_jpy: r.costJpy,
    energy_wh: r.energyWh,
  };
}

const citationsOf = (r: GovernedResult) => (r.citations ?? []).map((c) => ({ source: c.source, chunk: c.chunk, quote: c.quote, ...(c.heading ? { heading: c.heading } : {}) }));

/** POST /api/ask — 資料QA: search the tenant's collection, then one governed, grounded model call. */
export function askRoutes(deps: RouteDeps) {
  const { services, metrics } = deps;
  const timeoutMs = services.config.server.requestTimeoutMs;
  const app = new Hono<GatewayEnv>();

  app.post('/api/ask', async (c) => {
    const body = await readBody(c, askRequest);
    if (body.model) checkModel(services.models, body.model, c.get('actor'));
    const actor = c.get('actor');
    const signal = c.get('signal');
    const { searcher, embedder } = await services.retrieval();
    const k = body.k ?? services.config.retrieval.contextPassages;

    if (!body.stream) {
      try {
        const out = await askCollection(services.pipeline, searcher, {
          question: body.question,
          collection: body.collection,
          actor,
          k,
          embedder,
          signal,
          ...(body.model ? { model: body.model } : {}),
          ...(body.confidentiality ? { declaredLevel: body.confidentiality } : {}),
        });
        return c.json(askBody(out.governed, out.citations));
      } catch (err) {
        throw governedError(err, signal, timeoutMs);
      }
    }

    const passages = await retrievePassages(searcher, body.question, { collections: [body.collection], tenant: actor.tenant, k, embedder });
    const { it, first } = await startGovernedStream(
      services.pipeline,
      {
        actor,
        messages: [{ role: 'user', content: body.question }],
        passages,
        app: 'qa',
        collection: body.collection,
        signal,
        ...(body.model ? { model: body.model } : {}),
        ...(body.confidentiality ? { declaredLevel: body.confidentiality } : {}),
      },
      timeoutMs,
    );
    const requestId = c.get('requestId');
    metrics.streams.inc();
    async function* events(): AsyncGenerator<string> {
      let cur = first;
      try {
        while (!cur.done) {
          const d = cur.value;
          if (d.type === 'text') yield sseEvent({ text: d.text }, 'delta');
          else {
            yield sseEvent(askBody(d.result, citationsOf(d.result)), 'done');
          }
          cur = await untilDeadline(it.next(), signal);
        }
      } catch (thrown) {
        const failure = streamFailure(deps, thrown, signal, requestId);
        if (failure) yield sseEvent(failure, 'error');
      } finally {
        await releaseCall(it, signal);
      }
    }
    return sseResponse(c, events(), {}, () => metrics.streams.dec());
  });
  return app;
}
