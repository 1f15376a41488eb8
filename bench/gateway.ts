/**
 * npm run bench:gateway — what hiraga adds to a model call.
 *
 * Processes on this machine: a local OpenAI-compatible upstream (test/helpers/upstream.ts, an echo
 * server, not a model); a bare proxy (bench/support/bare-proxy.ts: node:http + undici, no governance —
 * the floor for any gateway here); `hiraga serve` with the whole pipeline on (auth, rate limits, guard,
 * policy, audit event in SQLite before the response, usage, metrics), once with audit.durability
 * "fsync" (the default: on disk before the response) and once with "os" (in the operating system
 * before the response); and this load generator. The same requests go to each:
 *   1. open-loop at a fixed rate (default 500 req/s): latency p50/p95/p99, added vs direct and vs the bare proxy,
 *      and each process's CPU time per request (from /proc: steadier than latency on a shared machine),
 *      and the garbage-collection pauses of each gateway during its rounds (bench/support/heap-probe.mjs);
 *   2. closed-loop at high concurrency: maximum throughput;
 *   3. 1,000 concurrent streams: time to first token added (and through the bare proxy, once), CPU per stream, errors, hiraga's RSS before and after,
 *      and its live heap after a full collection in each round (bench/support/heap-probe.mjs; flat memory = no growth round over round);
 *   3b. streams at a steady BENCH_STREAM_RATE (50/s): time to first token added vs direct and vs the bare proxy, p50/p99;
 *   4. a node just started: a fresh `hiraga serve` and a fresh bare proxy each take the fixed rate from the
 *      moment they print their address (what a balancer without slow start sends to a restarted node):
 *      latency per half second until it settles (BENCH_COLD_SECONDS, default 4), BENCH_COLD_STARTS (3) starts per path.
 * Each fixed-rate run is preceded by BENCH_WARM_SECONDS (3) at the same rate on the same path, not measured:
 * the first seconds at a new concurrency open connections on both hops and compile new code paths (measured
 * here: p50 of 17–46 ms for ~2 s through hiraga before it settles), and the goal is about steady state.
 * The fixed-rate test runs BENCH_ROUNDS (5) interleaved rounds and reports medians over rounds: this
 * machine is shared and noisy, and a slow stretch then lands on every path instead of one.
 *   1b. the same comparison in same-window pairs: each proxied path and the direct path at the fixed rate each in
 *      one window, so a stall of the shared machine lands on both (the sequential rounds of 1 put it on one path);
 *   1c. the same at a light BENCH_LIGHT_RATE (50 req/s): added latency and CPU per request when the processes sleep between calls;
 *   1d. the floors under the durable paths, each alone at the fixed rate (bench/support/floors.ts): a 4 KB write +
 *      fdatasync on the store's disk, a one-row PostgreSQL INSERT commit, a Redis round trip;
 * Env: BENCH_SECONDS (default 5, per round and for the throughput test), BENCH_RATE (500), BENCH_STREAMS (1000),
 * BENCH_CONCURRENCY (64), BENCH_WARM_SECONDS (3), BENCH_ROUNDS (5), BENCH_PAIRED_ROUNDS (5), BENCH_STREAM_ROUNDS (4), BENCH_STREAM_RATE (50), BENCH_LIGHT_RATE (50), BENCH_FLOOR_ROUNDS (3), BENCH_COLD_STARTS (3).
 * BENCH_CLIENT: the load generator's client for plain calls, raw (default: prepared bytes on kept-alive sockets,
 * bench/support/load-client.ts; 0.12–0.14 ms of CPU per request here against node:http's 0.22) or http (node:http, as before 2026-12-03).
 * BENCH_DATABASE_URL (a PostgreSQL server where the run may create and drop a database) and optionally
 * BENCH_REDIS_URL add a fifth path: hiraga as a scaled-out node runs it (audit, usage and everything else in
 * PostgreSQL, commits durable as PostgreSQL makes them; rate limits in Redis).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freshPostgresDatabase } from '../test/helpers/store.js';
import { diskFloor, postgresFloor, redisFloor } from './support/floors.js';
import { LoadClient } from './support/load-client.js';
import { waitUntil } from './support/pace.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
/** Seconds at the fixed rate before each measured run (connections opened, code paths compiled): steady state is measured. */
const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 3);
/** Interleaved rounds of the fixed-rate test (each path once per round); rows are medians over rounds. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Rounds of the same-window comparison (1b): each proxied path paired with the direct path in one window. */
const PAIRED_ROUNDS = Number(process.env.BENCH_PAIRED_ROUNDS ?? 5);
/** Rounds of the 1,000-stream test through hiraga (RSS is read after each: flat memory means no growth round over round). */
const STREAM_ROUNDS = Number(process.env.BENCH_STREAM_ROUNDS ?? 4);
/** Calls per second in section 1c, light load (0 skips it). */
const LIGHT_RATE = Number(process.env.BENCH_LIGHT_RATE ?? 50);
/** Streams started per second in section 3b (0 skips it). */
const STREAM_RATE = Number(process.env.BENCH_STREAM_RATE ?? 50);
/** Seconds of fixed-rate load on a node just started (section 4). */
const COLD_SECONDS = Number(process.env.BENCH_COLD_SECONDS ?? 4);
/** Cold starts per path in section 4 (alternating bare proxy and hiraga; 0 skips it). */
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 3);
/** Rounds of section 1d, the floors under the durable paths (0 skips it). */
const FLOOR_ROUNDS = Number(process.env.BENCH_FLOOR_ROUNDS ?? 3);
const KEY = 'bench-key-0000000000000001';
const UP_PORT = 9301;
const GW_PORT = 9302;
const BARE_PORT = 9303;
const GW_OS_PORT = 9304;
const GW_PG_PORT = 9305;
const COLD_BARE_PORT = 9306;
const COLD_GW_PORT = 9307;
/** The load generator's client for plain calls: 'raw' (bench/support/load-client.ts, default) or 'http' (node:http, as before 2026-12-03). Streams always use node:http. */
const CLIENT = process.env.BENCH_CLIENT ?? 'raw';
if (CLIENT !== 'raw' && CLIENT !== 'http') throw new Error(`BENCH_CLIENT=${CLIENT}: use raw or http`);
const PG_URL = process.env.BENCH_DATABASE_URL;
const REDIS_URL = process.env.BENCH_REDIS_URL;

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const body = (stream: boolean, model: string) => JSON.stringify({ model, stream, messages: [{ role: 'user', content: '会議室の予約方法を教えてください。担当は総務課です。' }] });

interface Shot {
  ms: number;
  ttftMs?: number;
  ok: boolean;
}

const rawClients = new Map<string, LoadClient>();
/** One POST; resolves with total time (and time to the first streamed content chunk). */
function shot(port: number, payload: string, auth: boolean): Promise<Shot> {
  if (CLIENT === 'raw' && !payload.includes('"stream":true')) {
    const id = `${port} ${auth} ${payload}`;
    let client = rawClients.get(id);
    if (!client) rawClients.set(id, (client = new LoadClient(port, '/v1/chat/completions', payload, auth ? { authorization: `Bearer ${KEY}` } : {})));
    return client.send().then((r) => ({ ms: r.ms, ok: r.status === 200 }));
  }
  return new Promise((resolve) => {
    const t0 = performance.now();
    let ttft: number | undefined;
    const req = http.request(
      { host: '127.0.0.1', port, path: '/v1/chat/completions', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(auth ? { authorization: `Bearer ${KEY}` } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
          if (ttft === undefined && text.includes('"content":"') && /"content":"[^"]/.test(text)) ttft = performance.now() - t0;
        });
        res.on('end', () => resolve({ ms: performance.now() - t0, ...(ttft !== undefined ? { ttftMs: ttft } : {}), ok: res.statusCode === 200 && (!payload.includes('"stream":true') || text.includes('[DONE]')) }));
        res.on('error', () => resolve({ ms: performance.now() - t0, ok: false }));
      },
    );
    req.on('error', () => resolve({ ms: performance.now() - t0, ok: false }));
    req.end(payload);
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const f = (x: number) => x.toFixed(2);

/** Open loop: start a request every 1/rate s regardless of completions. `at`: when each successful request started (ms from the first). */
async function fixedRate(port: number, model: string, auth: boolean, seconds = SECONDS, rate = RATE, stream = false): Promise<{ lat: number[]; at: number[]; ttft: number[]; errors: number; achieved: number }> {
  const total = Math.round(rate * seconds);
  const payload = body(stream, model);
  const shots: Promise<Shot & { at: number }>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    await waitUntil(start + (i * 1000) / rate);
    const at = performance.now() - start;
    shots.push(shot(port, payload, auth).then((s) => ({ ...s, at })));
  }
  const done = await Promise.all(shots);
  const elapsed = (performance.now() - start) / 1000;
  const ok = done.filter((d) => d.ok);
  return { lat: ok.map((d) => d.ms), at: ok.map((d) => d.at), ttft: ok.flatMap((d) => (d.ttftMs === undefined ? [] : [d.ttftMs])), errors: done.length - ok.length, achieved: total / elapsed };
}

/**
 * Same-window pairs: the path through `port` and the direct path, each at RATE for SECONDS, the direct request
 * half an interval after the proxied one. A stall of this shared machine then lands on both paths at once
 * instead of on whichever path's round it happened in. The upstream serves 2 × RATE meanwhile.
 */
async function pairedRate(port: number, model: string, auth: boolean): Promise<{ via: number[]; direct: number[]; errors: number }> {
  const total = Math.round(RATE * SECONDS);
  const step = 1000 / RATE;
  const viaPayload = body(false, model);
  const directPayload = body(false, 'upstream-model');
  const via: Promise<Shot>[] = [];
  const direct: Promise<Shot>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    await waitUntil(start + i * step);
    via.push(shot(port, viaPayload, auth));
    await waitUntil(start + i * step + step / 2);
    direct.push(shot(UP_PORT, directPayload, false));
  }
  const [v, d] = await Promise.all([Promise.all(via), Promise.all(direct)]);
  const ok = (xs: Shot[]) => xs.filter((x) => x.ok).map((x) => x.ms);
  return { via: ok(v), direct: ok(d), errors: v.filter((x) => !x.ok).length + d.filter((x) => !x.ok).length };
}

/** Closed loop: CONCURRENCY workers back to back for SECONDS. */
async function maxThroughput(port: number, model: string, auth: boolean): Promise<{ rps: number; errors: number }> {
  const payload = body(false, model);
  const end = performance.now() + SECONDS * 1000;
  let n = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const s = await shot(port, payload, auth);
        if (s.ok) n++;
        else errors++;
      }
    }),
  );
  return { rps: n / SECONDS, errors };
}

async function streams(port: number, model: string, auth: boolean): Promise<{ ttft: number[]; errors: number; ms: number }> {
  const payload = body(true, model);
  const t0 = performance.now();
  const done = await Promise.all(Array.from({ length: STREAMS }, () => shot(port, payload, auth)));
  return { ttft: done.filter((d) => d.ok && d.ttftMs !== undefined).map((d) => d.ttftMs!), errors: done.filter((d) => !d.ok).length, ms: performance.now() - t0 };
}

/** Linux's USER_HZ (getconf CLK_TCK): the unit of utime/stime in /proc/<pid>/stat. */
const CLOCK_TICKS = 100;
/** CPU time (user + system, all threads) a process has used so far, in ms. */
const cpuMs = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
};

const HEAP_PROBE = path.join(ROOT, 'bench', 'support', 'heap-probe.mjs');
const HEAP_FILE = 'heap.jsonl';
/** The heap probe's record of the gateway's garbage-collection pauses: lines of [epoch ms, kind, pause ms]. */
const GC_FILE = 'gc.jsonl';

interface GcPauses {
  young: number[];
  full: number[];
}

/** The pauses a gateway's heap probe recorded within `windows` ([start, end] epoch ms), once it has flushed them (it does every second). */
function gcPauses(file: string, windows: Array<[number, number]>): GcPauses {
  const out: GcPauses = { young: [], full: [] };
  if (!fs.existsSync(file)) return out;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const [t, kind, ms] = JSON.parse(line) as [number, string, number];
    if (!windows.some(([a, b]) => t >= a && t <= b)) continue;
    if (kind === 'young') out.young.push(ms);
    else if (kind === 'full') out.full.push(ms);
  }
  return out;
}

/** The live heap of a gateway started with the heap probe: signal it, wait for its line (two full collections first). MB. */
async function liveHeap(pid: number, file: string): Promise<{ heapMb: number; externalMb: number }> {
  const lines = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
  const before = lines().length;
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; waited < 10_000; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
    const all = lines();
    if (all.length > before) {
      const m = JSON.parse(all[all.length - 1]!) as { heapUsed: number; external: number };
      return { heapMb: m.heapUsed / 2 ** 20, externalMb: m.external / 2 ** 20 };
    }
  }
  throw new Error(`the gateway (pid ${pid}) did not report its heap within 10 s (${file})`);
}

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

function start(cmd: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // The store and limiter of each path come from `env` only, never from the caller's environment.
    const { HIRAGA_DATABASE_URL: _db, HIRAGA_REDIS_URL: _redis, ...inherited } = process.env;
    const child = spawn(process.execPath, cmd, { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      if (ready.test(out)) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`${cmd.join(' ')} exited ${code}: ${out.slice(-2000)}`)));
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hiraga-bench-'));
  const upstream = await start(['--import', 'tsx', 'test/helpers/upstream.ts', '--port', String(UP_PORT), '--chunk-delay-ms', '10'], /listening/);
  /** Each gateway's GC record (heap probe), by port; a port's latest start wins. */
  const gcFiles = new Map<number, string>();
  const gateway = (port: number, durability: 'fsync' | 'os', scaled?: { db: string; redis?: string | undefined }, name = scaled ? 'postgres' : durability) => {
    const data = path.join(dir, name);
    fs.mkdirSync(data);
    const config = path.join(data, 'hiraga.config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        models: [{ id: 'up', provider: 'openai-compatible', baseUrl: `http://127.0.0.1:${UP_PORT}/v1`, model: 'upstream-model', origin: 'domestic', hosting: 'on-prem', clearance: 3, maxConcurrency: 2000, retries: 0 }],
        defaultModel: 'up',
        auth: { apiKeys: [{ key: KEY, user: 'bench', role: 'staff', tenant: 'bench' }] },
        server: { port, rateLimitPerKey: 1e9, rateLimitPerTenant: 1e9 },
        audit: { durability },
      }),
    );
    const stores = scaled ? { HIRAGA_DATABASE_URL: scaled.db, ...(scaled.redis ? { HIRAGA_REDIS_URL: scaled.redis } : {}) } : {};
    // The heap probe answers SIGUSR2 with the live heap after a full collection (section 3's flat-memory check).
    gcFiles.set(port, path.join(data, GC_FILE));
    return start(['--import', HEAP_PROBE, path.join(ROOT, 'bin', 'hiraga'), 'serve', '--config', config, '--data-dir', data], /hiraga gateway: http/, { HIRAGA_LOG_LEVEL: 'warn', HIRAGA_CONFIG: '', HIRAGA_BENCH_HEAP_FILE: path.join(data, HEAP_FILE), HIRAGA_BENCH_GC_FILE: path.join(data, GC_FILE), ...stores });
  };
  // PostgreSQL: a database of this run's own, dropped at the end.
  const pgDb = PG_URL ? await freshPostgresDatabase(PG_URL, 'hiraga_bench') : null;
  const bare = await start(['--import', 'tsx', 'bench/support/bare-proxy.ts', '--port', String(BARE_PORT), '--upstream', `http://127.0.0.1:${UP_PORT}`], /listening/);
  const gw = await gateway(GW_PORT, 'fsync');
  const gwOs = await gateway(GW_OS_PORT, 'os');
  const gwPg = pgDb ? await gateway(GW_PG_PORT, 'fsync', { db: pgDb.url, redis: REDIS_URL }) : null;
  try {
    process.stdout.write(`hiraga gateway benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; upstream = local echo server; store = SQLite${gwPg ? ' (and PostgreSQL for the last path)' : ''}; load generator client for plain calls: ${CLIENT === 'raw' ? 'raw keep-alive sockets' : 'node:http'} (BENCH_CLIENT)\n\n`);
    // warm up every path (JIT, connection pools, SQLite pages)
    for (let i = 0; i < 300; i++) {
      await Promise.all([shot(UP_PORT, body(false, 'upstream-model'), false), shot(BARE_PORT, body(false, 'up'), false), shot(GW_PORT, body(false, 'up'), true), shot(GW_OS_PORT, body(false, 'up'), true), ...(gwPg ? [shot(GW_PG_PORT, body(false, 'up'), true)] : [])]);
    }

    // Rounds interleave the four paths, so a slow stretch of this shared machine hits each of them;
    // each row is the median over rounds of that round's percentile (added: the median of the per-round differences).
    // `pid`: the process whose CPU time per request is reported (for direct: the upstream itself).
    const paths = [
      { name: 'direct', port: UP_PORT, model: 'upstream-model', auth: false, pid: upstream.pid! },
      { name: 'bare proxy (no governance)', port: BARE_PORT, model: 'up', auth: false, pid: bare.pid! },
      { name: 'hiraga, audit fsync (default)', port: GW_PORT, model: 'up', auth: true, pid: gw.pid! },
      { name: 'hiraga, audit os', port: GW_OS_PORT, model: 'up', auth: true, pid: gwOs.pid! },
      ...(gwPg ? [{ name: `hiraga, PostgreSQL${REDIS_URL ? ' + Redis' : ''}`, port: GW_PG_PORT, model: 'up', auth: true, pid: gwPg.pid! }] : []),
    ];
    if (WARM_SECONDS > 0) for (const p of paths) await fixedRate(p.port, p.model, p.auth, WARM_SECONDS);
    const rounds: Array<Array<Awaited<ReturnType<typeof fixedRate>> & { cpuPerRequest: number; loadCpuPerRequest: number }>> = [];
    /** When each path's measured rounds ran (epoch ms), to pick its gateway's GC pauses out of the probe's record. */
    const windows = paths.map((): Array<[number, number]> => []);
    for (let r = 0; r < ROUNDS; r++) {
      const round = [];
      for (const [i, p] of paths.entries()) {
        const cpu0 = cpuMs(p.pid);
        const own0 = process.cpuUsage();
        const t0 = Date.now();
        const run = await fixedRate(p.port, p.model, p.auth);
        windows[i]!.push([t0, Date.now()]);
        const own = process.cpuUsage(own0);
        round.push({ ...run, cpuPerRequest: (cpuMs(p.pid) - cpu0) / (RATE * SECONDS), loadCpuPerRequest: (own.user + own.system) / 1000 / (RATE * SECONDS) });
      }
      rounds.push(round);
    }
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    };
    const Q = [50, 95, 99] as const;
    const stat = (i: number, q: number) => median(rounds.map((round) => pct(round[i]!.lat, q)));
    const added = (i: number, base: number, q: number) => median(rounds.map((round) => pct(round[i]!.lat, q) - pct(round[base]!.lat, q)));
    const W = 34;
    const cells = (xs: number[]) => xs.map((x) => f(x).padStart(8)).join(' ');
    process.stdout.write(
      `1. fixed rate ${RATE} req/s: ${ROUNDS} interleaved rounds of ${SECONDS} s per path (${RATE * SECONDS} requests each), after ${WARM_SECONDS} s per path unmeasured; median over rounds, latency ms\n` +
        `${'path'.padEnd(W)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)}   errors   achieved (slowest round)   CPU ms/request\n`,
    );
    const cpu = (i: number) => median(rounds.map((round) => round[i]!.cpuPerRequest));
    paths.forEach((p, i) => {
      const errors = rounds.reduce((n, round) => n + round[i]!.errors, 0);
      const achieved = Math.min(...rounds.map((round) => round[i]!.achieved));
      process.stdout.write(`${p.name.padEnd(W)} ${cells(Q.map((q) => stat(i, q)))}   ${String(errors).padStart(6)}   ${`${achieved.toFixed(0)} req/s`.padEnd(24)}   ${cpu(i).toFixed(3)}\n`);
    });
    process.stdout.write(`added vs direct (goal: p50 ≤ 1 ms, p99 ≤ 5 ms)\n`);
    const proxied = paths.map((_, i) => i).filter((i) => i > 0);
    for (const i of proxied) process.stdout.write(`${('  ' + paths[i]!.name).padEnd(W)} ${cells(Q.map((q) => added(i, 0, q)))}\n`);
    process.stdout.write(`added vs the bare proxy (what governance costs)\n`);
    for (const i of proxied.slice(1)) process.stdout.write(`${('  ' + paths[i]!.name).padEnd(W)} ${cells(Q.map((q) => added(i, 1, q)))}\n`);
    process.stdout.write(
      `CPU per request (user + system of that process, all threads; direct = the upstream's own): governance costs ${(cpu(2) - cpu(1)).toFixed(3)} ms (fsync) / ${(cpu(3) - cpu(1)).toFixed(3)} ms (os)${gwPg ? ` / ${(cpu(4) - cpu(1)).toFixed(3)} ms (PostgreSQL; its server's own CPU not counted)` : ''} more than the bare proxy\n` +
        `the load generator's own CPU per request (${CLIENT === 'raw' ? 'raw sockets, bench/support/load-client.ts' : 'node:http'}; BENCH_CLIENT): ${median(rounds.flat().map((r) => r.loadCpuPerRequest)).toFixed(3)} ms\n`,
    );
    for (const q of [50, 99] as const) {
      process.stdout.write(`p${q} added vs direct in each round: ${proxied.map((i) => `${paths[i]!.name.replace(/ \(.*\)/, '')}: ${rounds.map((round) => f(pct(round[i]!.lat, q) - pct(round[0]!.lat, q))).join(' / ')}`).join('; ')}\n`);
    }
    const met = (i: number) => rounds.filter((round) => pct(round[i]!.lat, 50) - pct(round[0]!.lat, 50) <= 1 && pct(round[i]!.lat, 99) - pct(round[0]!.lat, 99) <= 5).length;
    process.stdout.write(`rounds meeting both goals: ${proxied.slice(1).map((i) => `${paths[i]!.name}: ${met(i)} of ${ROUNDS}`).join('; ')}\n`);
    // What garbage collection paused in each gateway while its rounds ran (the heap probe's record).
    const gcLines: string[] = [];
    await new Promise((r) => setTimeout(r, 1200)); // the probes' next flush
    for (const i of proxied.slice(1)) {
      const file = gcFiles.get(paths[i]!.port);
      if (!file) continue;
      const g = gcPauses(file, windows[i]!);
      const requests = (RATE * SECONDS * ROUNDS) / 1000;
      const ms = (xs: number[]) => (xs.length ? `pause median ${f(median(xs))} / max ${f(Math.max(...xs))} ms` : 'none');
      const share = ((g.young.reduce((a, b) => a + b, 0) + g.full.reduce((a, b) => a + b, 0)) / (SECONDS * ROUNDS * 1000)) * 100;
      gcLines.push(`   ${paths[i]!.name.padEnd(W - 3)} young ${(g.young.length / requests).toFixed(1)} per 1,000 requests, ${ms(g.young)}; full ${g.full.length} (${ms(g.full)}); ${share.toFixed(2)}% of the time paused`);
    }
    if (gcLines.length) process.stdout.write(`garbage collection in each gateway during its measured rounds (main-thread pauses, from bench/support/heap-probe.mjs)\n${gcLines.join('\n')}\n`);
    process.stdout.write('\n');

    // 1b. The same comparison with both paths in one window (see pairedRate): less at the mercy of when a stall comes.
    const pairs: Array<Array<Awaited<ReturnType<typeof pairedRate>>>> = [];
    for (let r = 0; r < PAIRED_ROUNDS; r++) {
      const round = [];
      for (const i of proxied) round.push(await pairedRate(paths[i]!.port, paths[i]!.model, paths[i]!.auth));
      pairs.push(round);
    }
    if (PAIRED_ROUNDS > 0) {
      const pairAdded = (j: number, q: number, round: Array<Awaited<ReturnType<typeof pairedRate>>>) => pct(round[j]!.via, q) - pct(round[j]!.direct, q);
      process.stdout.write(
        `1b. same-window pairs: each proxied path and the direct path at ${RATE} req/s each in the same ${SECONDS} s (direct requests half an interval after the proxied ones; the upstream serves ${RATE * 2} req/s), ${PAIRED_ROUNDS} rounds; added vs direct, median over rounds (ms)\n` +
          `${'path'.padEnd(W)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)}   errors   rounds meeting both goals   p50 / p99 added in each round\n`,
      );
      proxied.forEach((i, j) => {
        const errors = pairs.reduce((n, round) => n + round[j]!.errors, 0);
        const metPairs = pairs.filter((round) => pairAdded(j, 50, round) <= 1 && pairAdded(j, 99, round) <= 5).length;
        const each = pairs.map((round) => `${f(pairAdded(j, 50, round))}/${f(pairAdded(j, 99, round))}`).join('  ');
        process.stdout.write(`${('  ' + paths[i]!.name).padEnd(W)} ${cells(Q.map((q) => median(pairs.map((round) => pairAdded(j, q, round)))))}   ${String(errors).padStart(6)}   ${`${metPairs} of ${PAIRED_ROUNDS}`.padEnd(26)}  ${each}\n`);
      });
      process.stdout.write('\n');
    }

    // 1c. Light load: the same calls at LIGHT_RATE. Between calls the processes sleep, and on a VM a sleeping vCPU likely
    // wakes slowly and cold, which every hop pays: the bare proxy in the same rounds shows this machine's part.
    if (LIGHT_RATE > 0) {
      const light = [paths[0]!, paths[1]!, paths[2]!, paths[3]!]; // direct, bare proxy, hiraga fsync, hiraga os
      const lightRounds: Array<Array<{ lat: number[]; cpu: number }>> = [];
      for (let r = 0; r < ROUNDS; r++) {
        const round = [];
        for (const p of light) {
          const cpu0 = cpuMs(p.pid);
          const run = await fixedRate(p.port, p.model, p.auth, SECONDS, LIGHT_RATE);
          round.push({ lat: run.lat, cpu: (cpuMs(p.pid) - cpu0) / (LIGHT_RATE * SECONDS) });
        }
        lightRounds.push(round);
      }
      const lAdded = (i: number, q: number) => median(lightRounds.map((round) => pct(round[i]!.lat, q) - pct(round[0]!.lat, q)));
      process.stdout.write(`1c. light load, ${LIGHT_RATE} req/s: ${ROUNDS} interleaved rounds of ${SECONDS} s per path; median over rounds (ms)\n`);
      process.stdout.write(`   direct p50 ${f(median(lightRounds.map((round) => pct(round[0]!.lat, 50))))} / p99 ${f(median(lightRounds.map((round) => pct(round[0]!.lat, 99))))}, CPU ${median(lightRounds.map((round) => round[0]!.cpu)).toFixed(3)} ms/request\n`);
      light.forEach((p, i) => {
        if (i === 0) return;
        process.stdout.write(`   ${p.name.padEnd(W)} added p50 ${f(lAdded(i, 50))} / p99 ${f(lAdded(i, 99))}, CPU ${median(lightRounds.map((round) => round[i]!.cpu)).toFixed(3)} ms/request\n`);
      });
      process.stdout.write('\n');
    }

    // 1d. The floors under the durable paths, each alone at RATE (bench/support/floors.ts): what "durable before the
    // response" waits for on this machine in this run, whatever the gateway does.
    if (FLOOR_ROUNDS > 0) {
      const floorRounds: Array<{ disk: number[]; pg?: number[]; redis?: number[] }> = [];
      let syncCommit = '';
      let floorErrors = 0;
      for (let r = 0; r < FLOOR_ROUNDS; r++) {
        const disk = await diskFloor(path.join(dir, 'fsync'), RATE, SECONDS);
        const pgRun = pgDb ? await postgresFloor(pgDb.url, RATE, SECONDS) : null;
        const redisRun = pgDb && REDIS_URL ? await redisFloor(REDIS_URL, RATE, SECONDS) : null;
        if (pgRun) syncCommit = pgRun.syncCommit;
        floorErrors += disk.errors + (pgRun?.errors ?? 0) + (redisRun?.errors ?? 0);
        floorRounds.push({ disk: disk.lat, ...(pgRun ? { pg: pgRun.lat } : {}), ...(redisRun ? { redis: redisRun.lat } : {}) });
      }
      const fl = (k: 'disk' | 'pg' | 'redis', q: number) => median(floorRounds.map((round) => pct(round[k]!, q)));
      const range = (k: 'disk' | 'pg' | 'redis', q: number) => {
        const xs = floorRounds.map((round) => pct(round[k]!, q));
        return `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
      };
      const line = (k: 'disk' | 'pg' | 'redis', what: string, under: string) =>
        `   ${what.padEnd(W + 14)} p50 ${f(fl(k, 50))} / p99 ${f(fl(k, 99))} (rounds: p50 ${range(k, 50)}, p99 ${range(k, 99)})${under}\n`;
      const underPath = (i: number) => `; ${paths[i]!.name} added p50 ${f(added(i, 0, 50))} / p99 ${f(added(i, 0, 99))} in section 1`;
      process.stdout.write(`1d. floors under the durable paths: each alone at ${RATE}/s, ${FLOOR_ROUNDS} rounds of ${SECONDS} s, median over rounds (ms); no hiraga in them${floorErrors ? `; ${floorErrors} failed` : ''}\n`);
      process.stdout.write(line('disk', '4 KB write + fdatasync (store disk)', underPath(2)));
      if (gwPg) {
        process.stdout.write(line('pg', `PostgreSQL 1-row INSERT (sync. commit ${syncCommit})`, underPath(4)));
        if (REDIS_URL) process.stdout.write(line('redis', 'Redis INCR round trip', ''));
      }
      process.stdout.write('\n');
    }

    const tDirect = await maxThroughput(UP_PORT, 'upstream-model', false);
    const tBare = await maxThroughput(BARE_PORT, 'up', false);
    const tVia = await maxThroughput(GW_PORT, 'up', true);
    process.stdout.write(
      `2. maximum throughput, ${CONCURRENCY} concurrent clients for ${SECONDS} s\n   direct ${tDirect.rps.toFixed(0)} req/s (errors ${tDirect.errors}); bare proxy ${tBare.rps.toFixed(0)} req/s (errors ${tBare.errors}); hiraga (audit fsync) ${tVia.rps.toFixed(0)} req/s (errors ${tVia.errors})\n\n`,
    );

    const rssBefore = rssMb(gw.pid!);
    const heapFile = path.join(dir, 'fsync', HEAP_FILE);
    const heapBefore = await liveHeap(gw.pid!, heapFile);
    const sDirect = await streams(UP_PORT, 'upstream-model', false);
    // The bare proxy relays the upstream's bytes without parsing them: what one Node hop adds at this concurrency.
    const bareCpu0 = cpuMs(bare.pid!);
    const sBare = await streams(BARE_PORT, 'up', false);
    const bareCpuPerStream = (cpuMs(bare.pid!) - bareCpu0) / STREAMS;
    const via: Array<Awaited<ReturnType<typeof streams>>> = [];
    /** CPU time of the node per stream in each round (steadier than time to first token on a shared machine). */
    const cpuPerStream: number[] = [];
    const rss: number[] = [];
    const heap: Array<Awaited<ReturnType<typeof liveHeap>>> = [];
    for (let r = 0; r < STREAM_ROUNDS; r++) {
      const cpu0 = cpuMs(gw.pid!);
      via.push(await streams(GW_PORT, 'up', true));
      await new Promise((res) => setTimeout(res, 1000));
      cpuPerStream.push((cpuMs(gw.pid!) - cpu0) / STREAMS); // the second after a round: its audit events settled, its connections idle
      rss.push(rssMb(gw.pid!)); // before the probe's collection, as a balancer's health check would see it
      heap.push(await liveHeap(gw.pid!, heapFile));
    }
    const sVia = via[0]!;
    process.stdout.write(`3. ${STREAMS} concurrent streams (upstream sends a chunk every 10 ms), ${STREAM_ROUNDS} rounds through hiraga\n`);
    process.stdout.write(`   TTFT direct p50 ${f(pct(sDirect.ttft, 50))} / p99 ${f(pct(sDirect.ttft, 99))} ms; through hiraga (first round) p50 ${f(pct(sVia.ttft, 50))} / p99 ${f(pct(sVia.ttft, 99))} ms; added p50 ${f(pct(sVia.ttft, 50) - pct(sDirect.ttft, 50))} ms; later rounds p50 ${via.slice(1).map((v) => f(pct(v.ttft, 50))).join(' / ')} ms\n`);
    process.stdout.write(`   TTFT through the bare proxy (one round) p50 ${f(pct(sBare.ttft, 50))} / p99 ${f(pct(sBare.ttft, 99))} ms; added p50 ${f(pct(sBare.ttft, 50) - pct(sDirect.ttft, 50))} ms\n`);
    process.stdout.write(`   CPU per stream: hiraga ${cpuPerStream.map((x) => x.toFixed(2)).join(' / ')} ms (each round); bare proxy ${bareCpuPerStream.toFixed(2)} ms\n`);
    process.stdout.write(`   errors: direct ${sDirect.errors}, bare proxy ${sBare.errors}, through hiraga ${via.map((v) => v.errors).join(' + ')} (${STREAM_ROUNDS} rounds)\n`);
    process.stdout.write(`   hiraga RSS before ${rssBefore.toFixed(0)} MB, after each round ${rss.map((x) => x.toFixed(0)).join(' → ')} MB (V8 keeps freed space and collects old garbage lazily: RSS alone cannot show a leak)\n`);
    // Flat memory: what is still reachable after a full collection, round over round. The first round opens
    // the upstream connections and compiles the stream path, so growth is counted from it on.
    const grown = heap.length > 1 ? heap[heap.length - 1]!.heapMb - heap[0]!.heapMb : 0;
    const perStream = heap.length > 1 ? (grown * 1024 * 1024) / ((heap.length - 1) * STREAMS) : 0;
    process.stdout.write(
      `   hiraga live heap after a full collection: before ${heapBefore.heapMb.toFixed(1)} MB, after each round ${heap.map((h) => h.heapMb.toFixed(1)).join(' → ')} MB (external ${heap.map((h) => h.externalMb.toFixed(1)).join(' → ')} MB); after the first round ${grown >= 0 ? '+' : ''}${grown.toFixed(2)} MB over ${heap.length - 1} rounds = ${perStream.toFixed(0)} bytes retained per stream\n\n`,
    );

    // 3b. Streams at a steady rate: the time to first token one user sees, with a handful of streams open at a time.
    if (STREAM_RATE > 0) {
      const streamPaths = [paths[0]!, paths[1]!, paths[2]!]; // direct, bare proxy, hiraga (fsync)
      const ttftRounds: number[][][] = [];
      for (const p of streamPaths) await fixedRate(p.port, p.model, p.auth, 1, STREAM_RATE, true); // connections and code paths warm
      for (let r = 0; r < ROUNDS; r++) {
        const round: number[][] = [];
        const failed: string[] = [];
        for (const p of streamPaths) {
          const run = await fixedRate(p.port, p.model, p.auth, SECONDS, STREAM_RATE, true);
          if (run.errors) failed.push(`${run.errors} via ${p.name}`);
          round.push(run.ttft);
        }
        if (failed.length) process.stdout.write(`   (round ${r + 1}: streams failed: ${failed.join(', ')})\n`);
        ttftRounds.push(round);
      }
      const tt = (i: number, q: number) => median(ttftRounds.map((round) => pct(round[i]!, q)));
      const ttAdded = (i: number, q: number) => median(ttftRounds.map((round) => pct(round[i]!, q) - pct(round[0]!, q)));
      process.stdout.write(
        `3b. streams at a steady ${STREAM_RATE}/s (each ~110 ms long), ${ROUNDS} interleaved rounds of ${SECONDS} s per path: time to first token, median over rounds (ms)\n` +
          `   direct p50 ${f(tt(0, 50))} / p99 ${f(tt(0, 99))}; bare proxy p50 ${f(tt(1, 50))} / p99 ${f(tt(1, 99))} (added ${f(ttAdded(1, 50))} / ${f(ttAdded(1, 99))}); ` +
          `hiraga (audit fsync) p50 ${f(tt(2, 50))} / p99 ${f(tt(2, 99))} (added ${f(ttAdded(2, 50))} / ${f(ttAdded(2, 99))})\n\n`,
      );
    }

    // 4. A restarted node: the fixed rate from the moment it prints its address (this client and the upstream are warm).
    if (COLD_SECONDS > 0 && COLD_STARTS > 0) {
      const HALF = 500;
      const windows = Math.ceil((COLD_SECONDS * 1000) / HALF);
      const cold = async (name: string, launch: () => Promise<ChildProcess>, port: number, model: string, auth: boolean) => {
        const child = await launch();
        try {
          const r = await fixedRate(port, model, auth, COLD_SECONDS);
          const per = Array.from({ length: windows }, (_, w) => r.lat.filter((_, k) => r.at[k]! >= w * HALF && r.at[k]! < (w + 1) * HALF));
          return { name, r, per };
        } finally {
          if (child.exitCode === null) {
            const exited = new Promise((res) => child.once('exit', res));
            child.kill('SIGTERM');
            await exited;
          }
        }
      };
      // Several starts per path, alternating: one start is one sample of a very noisy second.
      const starts: Array<Array<Awaited<ReturnType<typeof cold>>>> = [[], []];
      for (let k = 0; k < COLD_STARTS; k++) {
        starts[0]!.push(await cold('bare proxy, just started', () => start(['--import', 'tsx', 'bench/support/bare-proxy.ts', '--port', String(COLD_BARE_PORT), '--upstream', `http://127.0.0.1:${UP_PORT}`], /listening/), COLD_BARE_PORT, 'up', false));
        starts[1]!.push(await cold('hiraga (audit fsync), just started', () => gateway(COLD_GW_PORT, 'fsync', undefined, `cold-${k}`), COLD_GW_PORT, 'up', true));
      }
      process.stdout.write(
        `4. a node just started: ${RATE} req/s from the moment it prints its address, for ${COLD_SECONDS} s (no traffic before: only the node's own warm-up, src/gateway/warm-up.ts; this client and the upstream are warm), ${COLD_STARTS} starts per path, alternating\n` +
          `   p99 (median over starts) / max (over all starts) latency (ms) in each ${HALF} ms after the start\n`,
      );
      for (const runs of starts) {
        const name = runs[0]!.name;
        const row = Array.from({ length: windows }, (_, w) => `${f(median(runs.map((x) => pct(x.per[w]!, 99))))}/${f(Math.max(...runs.flatMap((x) => x.per[w]!)))}`);
        const errors = runs.reduce((n, x) => n + x.r.errors, 0);
        process.stdout.write(`   ${name.padEnd(W)} ${row.join('  ')}   errors ${errors}\n`);
        process.stdout.write(`   ${''.padEnd(W)} first ${HALF} ms p99 in each start: ${runs.map((x) => f(pct(x.per[0]!, 99))).join(' / ')}\n`);
      }
      process.stdout.write('   (a balancer that sends a restarted node its full share at once gives these waits to its first requests: see docs/deployment.md, rolling restarts)\n\n');
    }
    process.stdout.write(
      'For comparison (published by LiteLLM, not measured here; https://docs.litellm.ai/docs/benchmarks, fake OpenAI endpoint, PostgreSQL, no Redis):\n' +
        '   LiteLLM proxy, 4 instances × (4 CPU, 8 GB): overhead p50 / p95 / p99 = 2 / 8 / 13 ms at 1,170 req/s\n' +
        '   LiteLLM proxy, 2 instances × (4 CPU, 8 GB): overhead p50 / p95 / p99 = 12 / 29 / 43 ms at 1,036 req/s\n' +
        'Published by TrueFoundry (https://docs.truefoundry.com/docs/benchmarking-load-test, fake OpenAI endpoint):\n' +
        '   TrueFoundry LLM Gateway, 1 replica × (1 CPU, 1 GB): median added 3–5 ms at 10–300 req/s\n',
    );
  } finally {
    gw.kill('SIGTERM');
    gwOs.kill('SIGTERM');
    if (gwPg) {
      gwPg.kill('SIGTERM');
      await new Promise((r) => gwPg.once('exit', r));
    }
    await pgDb?.drop();
    bare.kill('SIGTERM');
    upstream.kill('SIGTERM');
    agent.destroy();
    for (const c of rawClients.values()) c.close();
  }
}

await main();
