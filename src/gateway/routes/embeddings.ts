import crypto from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { badInput, policyBlock } from '../../core/errors.js';
import { checkModel } from '../../models/access.js';
import type { Confidentiality } from '../../core/types.js';
import { estimateTokens } from '../../models/usage.js';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { governedError } from '../governed.js';
import { readBody } from '../request.js';

const embeddingsRequest = z
  .object({
    model: z.string().min(1),
    input: z.union([
      z.string(),
      z.array(z.string()).min(1, 'input must hold at least one text').max(2048, 'input: at most 2,048 texts per request'),
      // Token ids (what some clients send by default): recognised only to be refused with a clear reason below.
      z.array(z.number()),
      z.array(z.array(z.number())),
    ]),
    encoding_format: z.enum(['float', 'base64']).optional(),
    dimensions: z.number().int().min(1).max(65_536).optional(),
  })
  .passthrough();

/**
 * POST /v1/embeddings — for models configured with `embeddingModel`. Governed like chat: the texts are
 * scanned, blocked or masked by policy against the model's clearance, and the call is audited.
 */
export function embeddingRoutes(deps: RouteDeps) {
  const { services } = deps;
  const app = new Hono<GatewayEnv>();

  app.post('/v1/embeddings', async (c) => {
    const body = await readBody(c, embeddingsRequest);
    const actor = c.get('actor');
    checkModel(services.models, body.model, actor);
    const budget = services.budgets.admit(actor);
    if (budget) await budget;
    const entry = services.models.get(body.model);
    if (entry.config.provider !== 'openai-compatible' || !entry.config.embeddingModel || !entry.provider.embed) {
      throw badInput(`モデル「${body.model}」は埋め込みに対応していません / the model "${body.model}" has no embeddings configured (set models[].embeddingModel)`, { reason: 'embeddings_not_configured', details: { param: 'model' } });
    }
    if (typeof body.input !== 'string' && body.input.some((x) => typeof x !== 'string')) {
      throw badInput(
        '入力はトークンIDではなく文字列で送ってください（個人情報の検査は文字列に対して行います） / input holds token ids: hiraga embeds text, which it scans for personal data first; send the texts as strings (in LangChain, set check_embedding_ctx_length=False)',
        { reason: 'unsupported_parameter', details: { param: 'input' } },
      );
    }
    const texts = typeof body.input === 'string' ? [body.input] : (body.input as string[]);
    const max = services.config.server.maxMessageChars;
    texts.forEach((t, i) => {
      if (t.length > max) throw badInput(`input[${i}] is ${t.length} characters; the limit is ${max} (server.maxMessageChars)`, { reason: 'input_too_long', details: { param: 'input' } });
    });

    const { guard, audit } = services;
    const info = entry.info;
    const scans = texts.map((t) => guard.scan(t, { origin: 'prompt' }));
    const level = scans.reduce<Confidentiality>((l, s) => (s.confidentiality > l ? s.confidentiality : l), 1);
    const decision = level <= info.clearance ? 'allow' : guard.decide(level, info.clearance);
    const findings: Record<string, number> = {};
    for (const s of scans) for (const f of s.findings) findings[f.type] = (findings[f.type] ?? 0) + 1;
    const modelRef = { id: info.id, origin: info.origin, hosting: info.hosting };
    const inputSha256 = crypto.createHash('sha256').update(JSON.stringify(texts)).digest('hex');
    if (decision === 'block') {
      await audit.append({ actor, action: 'policy.decision', model: modelRef, findings, confidentiality: level, outcome: 'block', inputSha256, detail: { endpoint: 'embeddings' } });
      // Counted (outcome block) by the app's error handler, once, under this model.
      c.set('modelId', info.id);
      throw policyBlock(`機密性${level}の内容はモデル「${info.id}」（機密性${info.clearance}まで）に送信できません / confidentiality level ${level} exceeds the clearance (${info.clearance}) of model "${info.id}"`, {
        reason: 'confidentiality_exceeds_clearance',
      });
    }
    let sent = texts;
    let masked = 0;
    if (decision === 'mask') {
      const session = guard.newSession();
      sent = texts.map((t, i) => {
        const r = guard.mask(t, session, scans[i]);
        masked += r.replaced.length;
        for (const m of r.replaced) deps.metrics.guardFindings.inc({ type: m.type });
        return r.masked;
      });
    }

    const started = performance.now();
    const signal = c.get('signal');
    let vectors: number[][];
    try {
      vectors = await entry.provider.embed(sent, signal, body.dimensions !== undefined ? { dimensions: body.dimensions } : {});
    } catch (err) {
      throw governedError(err, signal, services.config.server.requestTimeoutMs);
    }
    const latencyMs = performance.now() - started;
    const promptTokens = sent.reduce((n, t) => n + estimateTokens(t), 0);
    const usage = { prompt_tokens: promptTokens, completion_tokens: 0, total_tokens: promptTokens, estimated: true };
    const costJpy = (promptTokens / 1000) * info.priceInputPer1k;
    const { id: auditId } = await audit.append({
      actor,
      action: 'model.call',
      model: modelRef,
      findings,
      confidentiality: level,
      outcome: decision,
      usage,
      costJpy,
      latencyMs: Math.round(latencyMs),
      inputSha256,
      detail: { endpoint: 'embeddings', inputs: texts.length, masked },
    });
    deps.metrics.policy.inc({ outcome: decision, model: info.id });
    deps.metrics.tokens.inc({ model: info.id, kind: 'prompt' }, promptTokens);
    services.usage.record({ tenant: actor.tenant, user: actor.user, app: 'embeddings', model: info.id, usage, costJpy, energyWh: 0, latencyMs, auditId });

    // A server that ignores `dimensions` hands back vectors of another size, which an index built for that size
    // cannot take. The call happened, so it is audited and counted above; the caller gets the reason, not the vectors.
    const wrong = body.dimensions === undefined ? undefined : vectors.find((v) => v.length !== body.dimensions);
    if (wrong) {
      throw badInput(`モデル「${info.id}」は次元数の指定に対応していません（${wrong.length}次元を返しました） / the model "${info.id}" returned ${wrong.length} dimensions, not the ${body.dimensions} asked for: it does not support \`dimensions\``, {
        reason: 'unsupported_parameter',
        details: { param: 'dimensions' },
      });
    }
    const base64 = body.encoding_format === 'base64';
    return c.json({
      object: 'list',
      model: info.id,
      data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v })),
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
      hiraga: { confidentiality: level, policy: decision, masked, audit_id: auditId },
    });
  });
  return app;
}
