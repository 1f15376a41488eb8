/**
 * Audit benchmark: durable appends/s (SQLite and PostgreSQL; one writer and 8 concurrent writers)
 * next to a same-run baseline — a plain one-transaction-per-insert table with the same durability
 * and no chain — plus on-demand checkpoint time and verification speed (store walk and offline export).
 * Run: npm run bench:audit [-- --events 200000 --appends 3000]
 * PostgreSQL: HIRAGA_BENCH_DATABASE_URL (else HIRAGA_TEST_DATABASE_URL); skipped when neither is set.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openStore, type Store, type StoreTarget } from '../src/store/open.js';
import { createAuditLog, type AuditLog } from '../src/audit/log.js';
import { loadConfig } from '../src/config/load.js';
import { verifyExport } from '../src/audit/verify-export.js';
import { verifyKeyFromPem } from '../src/audit/keys.js';
import type { AuditEventInput } from '../src/audit/types.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const APPENDS = arg('appends', 3000);
const VERIFY_EVENTS = arg('events', 200_000);

const event = (i: number): AuditEventInput => ({
  actor: { user: `staff${i % 50}`, role: 'staff', tenant: i % 3 ? 'minato' : 'chiyoda' },
  action: 'model.call',
  model: { id: 'up', origin: 'domestic', hosting: 'on-prem' },
  collection: 'reiki',
  citedChunks: [`reiki/a.md#${i % 7}`, `reiki/b.md#${i % 11}`],
  findings: { person_name: i % 3, phone: i % 2 },
  confidentiality: 1,
  outcome: 'allow',
  usage: { prompt_tokens: 420, completion_tokens: 180, total_tokens: 600 },
  costJpy: 0.42,
  energyWh: 0.8,
  latencyMs: 950,
  inputSha256: crypto.createHash('sha256').update(`in${i}`).digest('hex'),
  outputSha256: crypto.createHash('sha256').update(`out${i}`).digest('hex'),
});

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const fmt = (n: number) => n.toLocaleString('en-US');

/** `writers` loops, each awaiting its own appends one after another, until `total` are acknowledged. */
async function run(writers: number, total: number, one: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < total) await one(next++);
    }),
  );
  return performance.now() - t0;
}

async function plainTable(store: Store): Promise<(i: number) => Promise<unknown>> {
  await sql`CREATE TABLE IF NOT EXISTS bench_plain (id integer, record text)`.execute(store.db);
  if (store.dialect === 'postgres') {
    return (i) => store.db.transaction().execute((trx) => sql`INSERT INTO bench_plain VALUES (${i}, ${JSON.stringify(event(i))})`.execute(trx));
  }
  // Same durability as the audit commit: synchronous = FULL around each one-row transaction.
  return (i) =>
    store.db.connection().execute(async (c) => {
      await sql`PRAGMA synchronous = FULL`.execute(c);
      await sql`BEGIN IMMEDIATE`.execute(c);
      await sql`INSERT INTO bench_plain VALUES (${i}, ${JSON.stringify(event(i))})`.execute(c);
      await sql`COMMIT`.execute(c);
      await sql`PRAGMA synchronous = NORMAL`.execute(c);
    });
}

async function appendBench(name: string, target: StoreTarget, dataDir: string): Promise<void> {
  console.log(`\n## ${name}: durable appends/s (${fmt(APPENDS)} events per case)`);
  console.log('| case | audit log (chain + group commit) | baseline: plain insert, 1 tx each | ratio |');
  console.log('|---|---:|---:|---:|');
  const store = await openStore(target);
  try {
    const config = loadConfig({ dataDir, cwd: dataDir, env: {}, overrides: { audit: { checkpointEvery: 1000 } } });
    const log = createAuditLog(store, config);
    await log.append(event(0)); // key, statements warm
    const plain = await plainTable(store);
    await plain(0);
    for (const writers of [1, 8, 64]) {
      const a = rate(APPENDS, await run(writers, APPENDS, (i) => log.append(event(i))));
      const b = rate(APPENDS, await run(writers, APPENDS, plain));
      console.log(`| ${writers} writer${writers > 1 ? 's' : ''} | ${fmt(a)} | ${fmt(b)} | ${(a / b).toFixed(2)}× |`);
    }
    const cp: number[] = [];
    for (let k = 0; k < 5; k++) {
      await log.append(event(k));
      const t0 = performance.now();
      await log.checkpoint();
      cp.push(performance.now() - t0);
    }
    console.log(`\ncheckpoint on demand (sign the Merkle root of the head, O(log n) from the stored frontier): median ${cp.sort((x, y) => x - y)[2]!.toFixed(2)} ms`);
    const report = await log.verify();
    console.log(`chain after the run: ${report.ok ? 'intact' : 'BROKEN'} (${fmt(report.events)} events)`);
  } finally {
    await store.close();
  }
}

async function fill(log: AuditLog, n: number): Promise<void> {
  for (let i = 0; i < n; i += 5000) await Promise.all(Array.from({ length: Math.min(5000, n - i) }, (_, j) => log.append(event(i + j))));
}

async function verifyBench(dataDir: string): Promise<void> {
  console.log(`\n## verification speed (SQLite, ${fmt(VERIFY_EVENTS)} events)`);
  const store = await openStore({ kind: 'sqlite', file: path.join(dataDir, 'verify.sqlite') });
  try {
    const config = loadConfig({ dataDir, cwd: dataDir, env: {}, overrides: { audit: { checkpointEvery: 1000 } } });
    const log = createAuditLog(store, config);
    let t0 = performance.now();
    await fill(log, VERIFY_EVENTS);
    console.log(`fill (group commit, 5000 in flight): ${fmt(rate(VERIFY_EVENTS, performance.now() - t0))} events/s`);

    t0 = performance.now();
    const r = await log.verify();
    const storeMs = performance.now() - t0;
    // Baseline: read the same rows with no checks at all.
    t0 = performance.now();
    for (let after = 0; ; ) {
      const rows = await store.db.selectFrom('audit_events').selectAll().where('id', '>', after).orderBy('id').limit(10_000).execute();
      if (!rows.length) break;
      after = Number(rows[rows.length - 1]!.id);
    }
    const readMs = performance.now() - t0;
    console.log('| check | events/s | 1M events (extrapolated) | baseline: read rows only | ratio |');
    console.log('|---|---:|---:|---:|---:|');
    console.log(`| store walk (hash, chain, columns, ${r.checkpoints} checkpoints) | ${fmt(rate(r.events, storeMs))} | ${((storeMs / r.events) * 1e6 / 1000).toFixed(1)} s | ${fmt(rate(r.events, readMs))} | ${(readMs / storeMs).toFixed(2)}× |`);

    const file = path.join(dataDir, 'export.jsonl');
    const out = fs.createWriteStream(file);
    t0 = performance.now();
    for await (const l of log.export()) if (!out.write(l + '\n')) await new Promise<void>((res) => out.once('drain', () => res()));
    await new Promise<void>((res) => out.end(() => res()));
    const exportMs = performance.now() - t0;
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    t0 = performance.now();
    const x = await verifyExport(lines, verifyKeyFromPem(log.publicKeyPem()));
    const offMs = performance.now() - t0;
    t0 = performance.now();
    for (const l of lines) JSON.parse(l);
    const parseMs = performance.now() - t0;
    console.log(`| offline export check (${x.ok ? 'ok' : 'FAILED'}) | ${fmt(rate(x.events, offMs))} | ${((offMs / x.events) * 1e6 / 1000).toFixed(1)} s | ${fmt(rate(x.events, parseMs))} (JSON.parse only) | ${(parseMs / offMs).toFixed(2)}× |`);
    console.log(`export: ${fmt(rate(lines.length, exportMs))} lines/s (${(fs.statSync(file).size / 1e6).toFixed(1)} MB)`);
    t0 = performance.now();
    await log.prove(Math.floor(VERIFY_EVENTS / 2));
    console.log(`inclusion proof for one event in ${fmt(VERIFY_EVENTS)}: ${(performance.now() - t0).toFixed(0)} ms`);
  } finally {
    await store.close();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hiraga-bench-audit-'));
try {
  console.log(`# hiraga audit benchmark — ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}, node ${process.version}`);
  await appendBench('SQLite (WAL; audit.durability "fsync": every append on disk before it resolves, as the baseline with synchronous=FULL)', { kind: 'sqlite', file: path.join(dir, 'append.sqlite') }, dir);
  const pg = process.env.HIRAGA_BENCH_DATABASE_URL ?? process.env.HIRAGA_TEST_DATABASE_URL;
  const schema = `bench_${crypto.randomBytes(4).toString('hex')}`;
  if (pg) {
    await appendBench('PostgreSQL (synchronous_commit as configured)', { kind: 'postgres', url: pg, schema }, dir);
    const s = await openStore({ kind: 'postgres', url: pg }, { migrate: false });
    await sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).execute(s.db);
    await s.close();
  } else console.log('\n(PostgreSQL skipped: set HIRAGA_BENCH_DATABASE_URL)');
  await verifyBench(dir);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
