import { Hono } from 'hono';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { publicOutcome } from '../../apps/cli-run.js';
import { appServiceFrom } from '../../apps/wiring.js';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { governedError } from '../governed.js';
import { readBody, readJson } from '../request.js';

const runBody = z.object({
  inputs: z.record(z.string(), z.unknown()).default({}),
  model: z.string().min(1).optional(),
  confidentiality: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
});

/** The apps catalogue of the caller's tenant, creating apps and running them through the governed pipeline. */
export function appRoutes({ services }: RouteDeps) {
  const app = new Hono<GatewayEnv>();
  const apps = appServiceFrom(services);

  app.get('/api/apps', async (c) => c.json(await apps.list(c.get('actor'))));

  app.post('/api/apps', async (c) => c.json(await apps.create(c.get('actor'), await readJson(c)), 201));

  app.post('/api/apps/:id/run', async (c) => {
    const body = await readBody(c, runBody);
    if (body.model && !services.models.has(body.model)) throw notFound(`モデル「${body.model}」はありません / the model "${body.model}" does not exist (GET /v1/models)`, { reason: 'model_not_found' });
    const signal = c.get('signal');
    try {
      const r = await apps.run(c.get('actor'), c.req.param('id'), body.inputs, {
        signal,
        ...(body.model ? { model: body.model } : {}),
        ...(body.confidentiality ? { declaredLevel: body.confidentiality } : {}),
      });
      const out = publicOutcome(r);
      return c.json({ ...out, ...(r.auditId !== undefined ? { auditId: r.auditId } : {}), ...(r.docx ? { docx: Buffer.from(r.docx).toString('base64') } : {}) });
    } catch (err) {
      throw governedError(err, signal, services.config.server.requestTimeoutMs);
    }
  });
  return app;
}
