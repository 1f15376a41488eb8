import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { freshPostgresDatabase, tempDir } from '../helpers/store.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, upstreamModels } from './helpers.js';

const DB_URL = process.env.HIRAGA_TEST_DATABASE_URL;
const REDIS_URL = process.env.HIRAGA_TEST_REDIS_URL;
if (!DB_URL || !REDIS_URL) throw new Error('the scale-out test needs HIRAGA_TEST_DATABASE_URL and HIRAGA_TEST_REDIS_URL (a local PostgreSQL and Redis)');

interface Node {
  child: ChildProcess;
  url: string;
  stdout: () => string;
}

/** `hiraga serve --port 0` as a real process; resolves once it prints its URL. */
function serve(config: string, dataDir: string): Promise<Node> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--config', config, '--data-dir', dataDir], {
      cwd: ROOT,
      env: { ...process.env, HIRAGA_CONFIG: '', HIRAGA_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /hiraga gateway: (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, stdout: () => out });
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`hiraga serve exited with ${code}: ${err}`)));
  });
}

const stop = (n: Node) =>
  new Promise<number | null>((resolve) => {
    n.child.removeAllListeners('exit');
    n.child.once('exit', (code) => resolve(code));
    n.child.kill('SIGTERM');
  });

const run = crypto.randomBytes(4).toString('hex');
// One key per test: the per-key limit (40) is shared through Redis, so a test that polls must not eat
// the budget the rate-limit test counts.
const ingestKey = `key-ingest-${run}`;
const key = `key-scale-${run}`;
const limitKey = `key-limit-${run}`;
const auditorKey = `key-auditor-${run}`;
let up: Upstream;
let db: Awaited<ReturnType<typeof freshPostgresDatabase>> | undefined;
let a: Node;
let b: Node;

beforeAll(async () => {
  db = await freshPostgresDatabase(DB_URL!, 'hiraga_scale');
  up = await startUpstream();
  const dir = tempDir('hiraga-scale-');
  const config = path.join(dir, 'hiraga.config.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      database: db.url,
      redis: REDIS_URL,
      models: upstreamModels(up.url),
      defaultModel: 'up',
      auth: {
        apiKeys: [
          { key: ingestKey, user: 'staff0', role: 'staff', tenant: `t${run}` },
          { key, user: 'staff1', role: 'staff', tenant: `t${run}` },
          { key: limitKey, user: 'staff2', role: 'staff', tenant: `t${run}` },
          { key: auditorKey, user: 'aud', role: 'auditor', tenant: `t${run}` },
        ],
      },
      server: { rateLimitPerKey: 40, rateLimitPerTenant: 1000 },
    }),
  );
  // The first node migrates the schema; the second starts on the migrated store.
  a = await serve(config, path.join(dir, 'a'));
  b = await serve(config, path.join(dir, 'b'));
}, 240_000);

afterAll(async () => {
  if (a) await stop(a);
  if (b) await stop(b);
  await up?.close();
  await db?.drop();
}, 60_000);

describe('two hiraga serve processes on one PostgreSQL and Redis behave as one system', () => {
  it('a collection ingested through one node is searchable through the other, with progress visible on both', async () => {
    const form = new FormData();
    form.append('files', new Blob(['第1条 公用車の利用は、前日までに管財課へ届け出るものとする。']), '公用車規程.txt');
    const res = await fetch(`${a.url}/api/collections/shared/ingest`, { method: 'POST', headers: { authorization: `Bearer ${ingestKey}` }, body: form });
    expect(res.status).toBe(202);
    const { job } = await res.json();
    // Poll with backoff (50 ms growing to 1 s): at most 36 polls, ~30 s, inside this key's budget of 40.
    let state = '';
    for (let i = 0, wait = 50; i < 36 && state !== 'done' && state !== 'failed'; i++, wait = Math.min(1000, wait * 1.5)) {
      const poll = await call(b, `/api/jobs/${job}`, { key: ingestKey });
      expect(poll.status).toBe(200);
      state = poll.json.state;
      if (state !== 'done') await new Promise((r) => setTimeout(r, wait));
    }
    expect(state).toBe('done');
    const hits = await call(b, '/api/search', { key: ingestKey, body: { collection: 'shared', query: '公用車の利用' } });
    expect(hits.json.hits[0].source).toBe('公用車規程.txt');
  });

  it('the audit chain is one chain: calls through both nodes interleave and it verifies', async () => {
    const calls = await Promise.all(
      Array.from({ length: 6 }, (_, i) => call(i % 2 ? a : b, '/v1/chat/completions', { key, body: { model: 'up', messages: [{ role: 'user', content: `ノード確認 ${i}` }] } })),
    );
    expect(calls.map((c) => c.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const ids = calls.map((c) => c.json.hiraga.audit_id as number);
    expect(new Set(ids).size).toBe(6);
    const va = await call(a, '/api/audit/verify', { key: auditorKey, method: 'POST' });
    const vb = await call(b, '/api/audit/verify', { key: auditorKey, method: 'POST' });
    expect(va.json.ok).toBe(true);
    expect(vb.json).toEqual(va.json);
    expect(va.json.events).toBeGreaterThanOrEqual(7);
  });

  it('the rate limit is shared through Redis', async () => {
    // A key no other test used: its window opens on the first call below, so exactly 40 of the 48 pass
    // across both nodes. Without sharing, each node would allow 40 on its own and all 48 would pass.
    const statuses: number[] = [];
    for (let i = 0; i < 48; i++) statuses.push((await call(i % 2 ? a : b, '/v1/models', { key: limitKey })).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(40).every((s) => s === 429)).toBe(true);
  });

  it('stops gracefully on SIGTERM (exit 0)', async () => {
    expect(await stop(b)).toBe(0);
    b = undefined as unknown as Node;
  });
});
