import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { badInput } from '../../core/errors.js';
import { listCollections } from '../../retrieval/collections.js';
import { runIngest } from '../../retrieval/service.js';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { requireRole } from '../middleware/auth.js';

const NAME_RE = /^[\p{L}\p{N}._-]{1,100}$/u;

/** Background work of this process, so a graceful shutdown can wait for it. */
export type BackgroundTracker = (work: Promise<unknown>) => void;

/** Collections of the caller's tenant; ingest runs in the background with progress at /api/jobs/:job. */
export function collectionRoutes(deps: RouteDeps & { track: BackgroundTracker }) {
  const { services, logger } = deps;
  const app = new Hono<GatewayEnv>();

  app.get('/api/collections', async (c) => {
    const rows = await listCollections(services.store, c.get('actor').tenant);
    return c.json(rows.map((r) => ({ name: r.name, documents: r.documents ?? 0, chunks: r.chunkCount })));
  });

  app.post('/api/collections/:name/ingest', requireRole('staff', 'admin'), async (c) => {
    const name = c.req.param('name');
    if (!NAME_RE.test(name)) throw badInput(`コレクション名「${name}」は使えません / collection names use letters, digits, . _ - (at most 100)`, { reason: 'invalid_collection_name' });
    const type = c.req.header('content-type') ?? '';
    if (!type.startsWith('multipart/form-data')) {
      throw badInput('ファイルは multipart/form-data の files フィールドで送ってください / send the files as multipart/form-data in the field "files"', { reason: 'unsupported_media_type' });
    }
    let form: Awaited<ReturnType<typeof c.req.parseBody>>;
    try {
      form = await c.req.parseBody({ all: true });
    } catch (err) {
      throw badInput(`multipart/form-data の本文を読めません / the multipart/form-data body could not be read (${(err as Error).message}): send the files in the field "files" of a complete multipart body`, {
        reason: 'invalid_multipart',
      });
    }
    const raw = form.files ?? form['files[]'];
    const files = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((f): f is File => typeof f === 'object' && f !== null && 'arrayBuffer' in f);
    if (!files.length) throw badInput('ファイルがありません / no files: send them in the multipart field "files"', { reason: 'no_files' });

    const actor = c.get('actor');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hiraga-upload-'));
    const seen = new Set<string>();
    for (const f of files) {
      // Only the base name is kept: an upload can never write outside its temporary folder.
      const base = path.basename(f.name || 'upload.txt').replace(/[\u0000-\u001f]/g, '') || 'upload.txt';
      let fname = base;
      for (let i = 2; seen.has(fname); i++) fname = `${path.parse(base).name}-${i}${path.extname(base)}`;
      seen.add(fname);
      await fs.writeFile(path.join(dir, fname), new Uint8Array(await f.arrayBuffer()));
    }
    const job = await services.jobs.create(actor, 'ingest', files.length);
    const progress = services.jobs.progress(job);
    const work = (async () => {
      try {
        const report = await runIngest(services.config, services.store, [dir], { collection: name, tenant: actor.tenant, onProgress: (p) => progress(p.done, p.total) });
        await services.audit.append({ actor, action: 'ingest', collection: name, outcome: 'done', detail: { files: report.files, added: report.added, updated: report.updated, failed: report.failed.length, chunks: report.chunks } });
        await services.jobs.finish(job, { report });
      } catch (err) {
        logger.warn({ job, err: (err as Error).message }, 'ingest failed');
        await services.jobs.finish(job, { error: (err as Error).message }).catch(() => {});
      } finally {
        await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
      }
    })();
    deps.track(work);
    return c.json({ job }, 202);
  });

  app.get('/api/jobs/:job', async (c) => c.json(await services.jobs.get(c.get('actor'), c.req.param('job'))));
  return app;
}
