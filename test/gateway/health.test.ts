/**
 * /healthz as a load balancer sees it when what the node depends on goes away: PostgreSQL ending the node's
 * connections, its database refusing connections, its server not answering at all (a frozen host, a network partition), and
 * Redis (shared rate limits) unreachable. Real PostgreSQL and Redis, reached through a TCP relay the test can
 * freeze or cut; a real gateway on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/gateway/log.js';
import { startGateway, type RunningGateway } from '../../src/gateway/server.js';
import { ROOT } from '../helpers/cli.js';
import { freshPostgresDatabase } from '../helpers/store.js';
import { relay } from '../helpers/tcp-relay.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, KEYS, testConfig, upstreamModels } from './helpers.js';

const DB_URL = process.env.HIRAGA_TEST_DATABASE_URL;
const REDIS_URL = process.env.HIRAGA_TEST_REDIS_URL;
if (!DB_URL || !REDIS_URL) throw new Error('the health test needs HIRAGA_TEST_DATABASE_URL and HIRAGA_TEST_REDIS_URL (local PostgreSQL and Redis)');

async function health(gw: RunningGateway) {
  const started = performance.now();
  const res = await fetch(`${gw.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json()) as Record<string, string>, ms: performance.now() - started };
}

async function admin(query: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: DB_URL });
  await c.connect();
  try {
    return await c.query(query, params);
  } finally {
    await c.end();
  }
}

let up: Upstream;
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => {});
});
afterAll(async () => {
  await up?.close();
});

async function gateway(overrides: Record<string, unknown>) {
  up ??= await startUpstream();
  const config = testConfig(Object.assign({ models: upstreamModels(up.url) }, overrides));
  const gw = await startGateway({ config, port: 0, host: '127.0.0.1', logger: createLogger('silent'), webDir: path.join(config.dataDir, 'no-web') });
  cleanup.push(() => Promise.race([gw.close(), new Promise((r) => setTimeout(r, 3000))]));
  return gw;
}

describe('/healthz and PostgreSQL', () => {
  it('stays 200 when PostgreSQL ends the pool’s connections, 503 when the database takes no connections, and answers within 2 s when the server does not answer', async () => {
    const db = await freshPostgresDatabase(DB_URL!, 'health');
    cleanup.push(() => db.drop());
    const pgRelay = await relay(new URL(db.url));
    cleanup.push(() => pgRelay.cut());
    const gw = await gateway({ database: pgRelay.url(db.url) });

    const ok = await health(gw);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'ok', store: 'postgres', limiter: 'memory' });

    // A restart or failover ends every connection: the pool opens new ones, the node still serves.
    const ended = await admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [db.name]);
    expect(ended.rowCount).toBeGreaterThan(0);
    expect((await health(gw)).status).toBe(200);
    expect((await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: 'こんにちは' }] } })).status).toBe(200);

    // The database cannot be reached (it takes no connections, as while it is being moved or restored): 503, at once.
    await admin(`ALTER DATABASE ${db.name} WITH ALLOW_CONNECTIONS false`);
    try {
      await admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [db.name]);
      const gone = await health(gw);
      expect(gone.status).toBe(503);
      expect(gone.body).toMatchObject({ status: 'unhealthy', store: 'unreachable' });
      expect(gone.ms).toBeLessThan(2000);
    } finally {
      await admin(`ALTER DATABASE ${db.name} WITH ALLOW_CONNECTIONS true`);
    }
    expect((await health(gw)).status).toBe(200);

    // The server stops answering (packets go nowhere): the probe still gets an answer, 503, in time.
    pgRelay.freeze();
    const silent = await health(gw);
    expect(silent.status).toBe(503);
    expect(silent.body).toMatchObject({ status: 'unhealthy', store: 'timeout' });
    expect(silent.ms).toBeLessThan(2500);
  });
});

describe('PostgreSQL not answering', () => {
  it('a model call answers at server.requestTimeoutMs (504, or a stream ends with the timeout) instead of waiting for the store forever', async () => {
    const db = await freshPostgresDatabase(DB_URL!, 'frozen');
    cleanup.push(() => db.drop());
    const pgRelay = await relay(new URL(db.url));
    cleanup.push(() => pgRelay.cut());
    const gw = await gateway({ database: pgRelay.url(db.url), server: { requestTimeoutMs: 1500 } });
    const chat = (stream: boolean) => call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', stream, messages: [{ role: 'user', content: 'こんにちは' }] } });
    expect((await chat(false)).status).toBe(200);

    pgRelay.freeze();
    const answered = <T>(p: Promise<T>) => Promise.race([p, new Promise<null>((resolve) => setTimeout(() => resolve(null), 8000))]);
    let started = performance.now();
    const plain = await answered(chat(false));
    expect(plain, 'no answer within 8 s').not.toBe(null);
    expect(plain!.status).toBe(504);
    expect(plain!.json.error.code).toBe('request_timeout');
    expect(plain!.json.error.request_id).toBe(plain!.headers.get('x-request-id'));
    expect(performance.now() - started).toBeLessThan(3000);
    // A stream has sent its text when the store is needed (the audit record at its end): it ends with the
    // timeout as an error event, without [DONE], rather than staying open.
    started = performance.now();
    const streamed = await answered(chat(true));
    expect(streamed, 'the stream did not end within 8 s').not.toBe(null);
    expect(streamed!.status).toBe(200);
    expect(streamed!.text).toContain('"code":"request_timeout"');
    expect(streamed!.text).not.toContain('[DONE]');
    expect(performance.now() - started).toBeLessThan(3000);
    expect((await health(gw)).status).toBe(503);
  });
});

describe('PostgreSQL ending connections under load', () => {
  it('does not end the gateway process: calls in flight fail, the node keeps serving and /healthz says 200', async () => {
    // pg emits 'error' on a checked-out client (a transaction between statements) whose connection ends; with no
    // listener that event ended the process: `hiraga serve` exited 1 by the third pg_terminate_backend under load.
    const db = await freshPostgresDatabase(DB_URL!, 'restart');
    cleanup.push(() => db.drop());
    up ??= await startUpstream();
    const overrides = { models: upstreamModels(up.url), database: db.url, server: { rateLimitPerKey: 1_000_000, rateLimitPerTenant: 1_000_000 } };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/gateway-process.ts'), JSON.stringify(overrides)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    cleanup.push(async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(out.trim());
      });
      void exited.then((code) => reject(new Error(`the gateway exited with ${code} before listening: ${stderr}`)));
    });
    const target = { url };
    const chat = () =>
      call(target, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: 'こんにちは' }] } }).then(
        (r) => r.status,
        () => 0,
      );

    let stop = false;
    const statuses: number[] = [];
    const load = (async () => {
      while (!stop && child.exitCode === null) statuses.push(...(await Promise.all(Array.from({ length: 30 }, chat))));
    })();
    let ended = 0;
    for (let i = 0; i < 10 && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 300));
      ended += (await admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [db.name])).rowCount ?? 0;
    }
    stop = true;
    await load;
    expect(child.exitCode, `the gateway process ended: ${stderr.slice(-600)}`).toBe(null);
    expect(ended).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect((await call(target, '/healthz')).status).toBe(200);
    expect(await chat()).toBe(200);
  });
});

describe('/healthz and Redis', () => {
  it('reports Redis unreachable without taking the node out (the limits let requests through), within 2 s', async () => {
    const redisRelay = await relay(new URL(REDIS_URL!));
    cleanup.push(() => redisRelay.cut());
    const gw = await gateway({ redis: redisRelay.url(REDIS_URL!) });

    const ok = await health(gw);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'ok', limiter: 'redis', redis: 'ok' });

    await redisRelay.cut();
    const down = await health(gw);
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ status: 'ok', limiter: 'redis', redis: 'unreachable' });
    expect(down.ms).toBeLessThan(2500);
    // And the node serves: the rate limit lets the call through.
    expect((await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: 'こんにちは' }] } })).status).toBe(200);
  });

  it('is open, fast and not cached', async () => {
    const gw = await gateway({});
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const res = await fetch(`${gw.url}/healthz`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      await res.text();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    expect(times[10]).toBeLessThan(50);
  });
});
