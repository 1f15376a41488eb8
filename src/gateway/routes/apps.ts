import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { HiragaError } from '../../core/errors.js';
import { checkModel } from '../../models/access.js';
import { extend } from '../../core/objects.js';
import type { Actor } from '../../core/types.js';
import { provenanceMeta, publicOutcome } from '../../apps/cli-run.js';
import type { ResolvedConfig } from '../../config/load.js';
import { withProvenance } from '../../provenance/index.js';
import type { AppRunOutcome, RunOptions } from '../../apps/service.js';
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

/** POST /api/apps/test: a run body plus the unsaved definition (validated by the service, as a save would). */
const testBody = runBody.extend({ app: z.record(z.string(), z.unknown()) });

/**
 * The JSON of a run (POST /api/apps/:id/run and /api/apps/test). A .docx comes signed, as `apps run --out`
 * writes it: the provenance manifest embedded in the document and returned beside it (`provenance`).
 */
async function runResponse(config: ResolvedConfig, r: AppRunOutcome, inputs: Record<string, unknown>) {
  let docx: { docx: string; provenance: unknown } | undefined;
  if (r.docx) {
    const signed = await withProvenance(`${r.app}.docx`, r.docx, provenanceMeta(config, r, JSON.stringify(inputs)), { config });
    docx = { docx: Buffer.from(signed.bytes).toString('base64'), provenance: signed.manifest };
  }
  return Object.assign(publicOutcome(r), r.auditId !== undefined ? { auditId: r.auditId } : {}, docx);
}

/** The definition's errors name fields of the definition; in the test body it sits under `app`. */
function underApp(err: unknown): unknown {
  if (!(err instanceof HiragaError) || err.reason !== 'invalid_app_definition') return err;
  const param = typeof err.details?.param === 'string' && err.details.param ? `app.${err.details.param}` : 'app';
  return new HiragaError(err.code, err.message, { reason: 'invalid_app_definition', details: extend(err.details ?? {}, { param }), cause: err });
}

/** The apps catalogue of the caller's tenant, creating apps and running them through the governed pipeline. */
export function appRoutes({ services }: RouteDeps) {
  const app = new Hono<GatewayEnv>();
  const apps = appServiceFrom(services);

  /** One governed app run: the model must exist, a passed deadline is a 504, the answer has the run shape. */
  async function governedRun(c: Context<GatewayEnv>, body: z.infer<typeof runBody>, run: (actor: Actor, inputs: Record<string, unknown>, options: RunOptions) => Promise<AppRunOutcome>) {
    if (body.model) checkModel(services.models, body.model, c.get('actor'));
    const signal = c.get('signal');
    try {
      const r = await run(c.get('actor'), body.inputs, {
        signal,
        ...(body.model ? { model: body.model } : {}),
        ...(body.confidentiality ? { declaredLevel: body.confidentiality } : {}),
      });
      return c.json(await runResponse(services.config, r, body.inputs));
    } catch (err) {
      throw governedError(err, signal, services.config.server.requestTimeoutMs);
    }
  }

  app.get('/api/apps', async (c) => c.json(await apps.list(c.get('actor'))));

  app.post('/api/apps', async (c) => c.json(await apps.create(c.get('actor'), await readJson(c)), 201));

  // Registered before /api/apps/:id/run; the paths differ in length, so neither shadows the other.
  app.post('/api/apps/test', async (c) => {
    const body = await readBody(c, testBody);
    try {
      return await governedRun(c, body, (actor, inputs, options) => apps.test(actor, body.app, inputs, options));
    } catch (err) {
      throw underApp(err);
    }
  });

  app.post('/api/apps/:id/run', async (c) => {
    const body = await readBody(c, runBody);
    return governedRun(c, body, (actor, inputs, options) => apps.run(actor, c.req.param('id'), inputs, options));
  });
  return app;
}
