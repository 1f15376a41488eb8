import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { createAuditLog } from '../../src/audit/log.js';
import { dropStore, tempDir } from '../helpers/store.js';
import { ROOT } from '../helpers/cli.js';
import { auditConfig } from './helpers.js';

const FIXTURE = path.join(ROOT, 'test/audit/fixtures/append-burst.ts');

function startChild(args: string[]): { child: ChildProcess; acks: Map<number, string>; ready: Promise<void>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const acks = new Map<number, string>();
  let buf = '';
  let stderr = '';
  let onReady!: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line === 'ready') onReady();
      const m = /^ack (\d+) ([0-9a-f]{64})$/.exec(line);
      if (m) acks.set(Number(m[1]), m[2]!);
    }
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code && code !== 0) process.stderr.write(stderr);
      resolve(code);
    }),
  );
  return { child, acks, ready, exit };
}

const waitFor = async (cond: () => boolean, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('audit durability', () => {
  it('kill -9 during a SQLite write burst loses no acknowledged event, and the chain verifies', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'hiraga.sqlite');
    const run = startChild([file, '-', dir, '100000', '64', 'burst']);
    await run.ready;
    await waitFor(() => run.acks.size >= 600);
    run.child.kill('SIGKILL');
    await run.exit;
    const acked = new Map(run.acks);
    expect(acked.size).toBeGreaterThanOrEqual(600);

    const store = await openStore({ kind: 'sqlite', file });
    try {
      // The same data directory holds the key the child signed checkpoints with. Events the child had
      // only journaled when it died are moved into the log by this reader (flush settles the journal).
      const sameKey = createAuditLog(store, { dataDir: dir, audit: auditConfig({ checkpointEvery: 50 }).audit });
      await sameKey.flush();
      expect(await store.db.selectFrom('audit_journal').select('id').execute()).toEqual([]);
      const rows = await store.db.selectFrom('audit_events').select(['id', 'hash']).execute();
      const stored = new Map(rows.map((r) => [Number(r.id), r.hash]));
      const missing = [...acked].filter(([id, hash]) => stored.get(id) !== hash);
      expect(missing).toEqual([]);
      expect(stored.size).toBeGreaterThanOrEqual(acked.size);
      const report = await sameKey.verify();
      expect(report).toMatchObject({ ok: true, events: stored.size });
      expect(report.checkpoints).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  const url = process.env.HIRAGA_TEST_DATABASE_URL;
  it.runIf(!!url)('two processes appending at once on PostgreSQL build one valid chain', async () => {
    const schema = `t_${process.env.HIRAGA_TEST_RUN ?? 'x'}_${crypto.randomBytes(5).toString('hex')}`;
    const dir = tempDir();
    // Create the schema and the key once, so both children share them.
    const setup = await openStore({ kind: 'postgres', url: url!, schema });
    const { loadSigningKey } = await import('../../src/audit/keys.js');
    const key = loadSigningKey({ dataDir: dir });
    const a = startChild([url!, schema, dir, '400', '16', 'A']);
    const b = startChild([url!, schema, dir, '400', '16', 'B']);
    expect(await a.exit).toBe(0);
    expect(await b.exit).toBe(0);
    try {
      const ids = [...a.acks.keys(), ...b.acks.keys()].sort((x, y) => x - y);
      expect(ids).toEqual(Array.from({ length: 800 }, (_, i) => i + 1));
      const log = createAuditLog(setup, { dataDir: dir, audit: auditConfig({ checkpointEvery: 50 }).audit });
      expect(log.publicKeyPem()).toBe(key.publicKeyPem);
      const report = await log.verify();
      expect(report).toEqual({ ok: true, events: 800, checkpoints: 16 });
      const tags = new Set((await log.query({ limit: 1000 })).map((e) => (e.detail as { tag: string }).tag));
      expect(tags).toEqual(new Set(['A', 'B']));
    } finally {
      await dropStore(setup);
    }
  });
});
