import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { badInput } from '../../core/errors.js';
import { listCollections } from '../../retrieval/collections.js';
import type { IngestReport } from '../../retrieval/ingest.js';
import { runIngest } from '../../retrieval/service.js';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { requireRole } from '../middleware/auth.js';

const NAME_RE = /^[\p{L}\p{N}._-]{1,100}$/u;

/** The longest file name Linux file systems take (ext4, xfs, tmpfs): 255 bytes. */
const MAX_NAME_BYTES = 255;
/** A longer "extension" is part of the name, not a type (a.b-with-a-long-tail). */
const MAX_EXT_BYTES = 32;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * The names uploads are stored (and later listed) under, in order: each file's base name — after the last
 * / or \, without control characters — made unique with -2, -3 … and cut to 255 bytes, whole characters
 * only, keeping its extension. A name with nothing left ("", ".", "..") is refused, naming it.
 */
function storedNames(files: File[]): string[] {
  const seen = new Set<string>();
  return files.map((f) => {
    const base = (f.name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '');
    if (base === '' || base === '.' || base === '..') {
      const shown = f.name.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 100);
      throw badInput(`ファイル名「${shown}」は使えません / the file name "${shown}" cannot be used: give the file a name such as "memo.txt" and send it again`, {
        reason: 'invalid_file_name',
        details: { param: 'files' },
      });
    }
    let name = fitName(base, '');
    for (let i = 2; seen.has(name); i++) name = fitName(base, `-${i}`);
    seen.add(name);
    return name;
  });
}

/** `base` with `suffix` before its extension, its stem cut (by whole characters) so the whole is at most 255 bytes. */
function fitName(base: string, suffix: string): string {
  const extension = path.extname(base);
  const ext = bytes(extension) <= MAX_EXT_BYTES ? extension : '';
  const stem = base.slice(0, base.length - ext.length);
  let budget = MAX_NAME_BYTES - bytes(suffix) - bytes(ext);
  let kept = '';
  for (const ch of stem) {
    budget -= bytes(ch);
    if (budget < 0) break;
    kept += ch;
  }
  return kept + suffix + ext;
}

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
    const entries = Array.isArray(raw) ? raw : raw ? [raw] : [];
    // A part without a file name arrives as text: refused, so no upload is ever dropped without a word.
    if (entries.some((f) => typeof f === 'string')) {
      throw badInput('フィールド files にファイル名のない値があります / a part of the field "files" has no file name: send every file with its name (filename="…")', { reason: 'invalid_file_name', details: { param: 'files' } });
    }
    const files = entries.filter((f): f is File => typeof f === 'object' && f !== null && 'arrayBuffer' in f);
    if (!files.length) throw badInput('ファイルがありません / no files: send them in the multipart field "files"', { reason: 'no_files' });

    const actor = c.get('actor');
    // Every name is checked before anything is written, so a refused upload leaves nothing behind.
    const names = storedNames(files);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hiraga-upload-'));
    // The folder belongs to this handler until the background work takes it over (and removes it when done).
    let handedOver = false;
    try {
      // Each file is named to ingest, so none is skipped the way a folder walk skips hidden files (.notes.txt).
      const paths = names.map((n) => path.join(dir, n));
      for (const [i, f] of files.entries()) await fs.writeFile(paths[i]!, new Uint8Array(await f.arrayBuffer()));
      const job = await services.jobs.create(actor, 'ingest', files.length);
      const progress = services.jobs.progress(job);
      // The folder is removed before the job says it is done, so a finished job leaves nothing behind.
      const work = (async () => {
        let outcome: { report: IngestReport } | { error: string };
        try {
          const report = await runIngest(services.config, services.store, paths, { collection: name, tenant: actor.tenant, onProgress: (p) => progress(p.done, p.total) });
          await services.audit.append({ actor, action: 'ingest', collection: name, outcome: 'done', detail: { files: report.files, added: report.added, updated: report.updated, failed: report.failed.length, chunks: report.chunks } });
          outcome = { report };
        } catch (err) {
          logger.warn({ job, err: (err as Error).message }, 'ingest failed');
          outcome = { error: (err as Error).message };
        } finally {
          await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
        }
        await services.jobs.finish(job, outcome).catch((err: unknown) => logger.warn({ job, err: (err as Error).message }, 'ingest job state not saved'));
      })();
      handedOver = true;
      deps.track(work);
      return c.json({ job }, 202);
    } finally {
      if (!handedOver) await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
    }
  });

  app.get('/api/jobs/:job', async (c) => c.json(await services.jobs.get(c.get('actor'), c.req.param('job'))));
  return app;
}
