/**
 * A background job whose node stops mid-way (killed, power lost) does not stay "running" for ever: while a job
 * runs its node touches it every heartbeat, and a reader on any node reports — and records — a job nobody has
 * touched for the stale time as failed, saying to upload again. Two JobStores on two connections to one
 * database stand for two gateway nodes; closing one's connection stands for its death (its heartbeats stop
 * reaching the store, as they would if the process were gone).
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/types.js';
import { JobStore } from '../../src/gateway/jobs.js';
import { openStore, type Store, type StoreTarget } from '../../src/store/open.js';
import { tempDir } from '../helpers/store.js';

const DB_URL = process.env.HIRAGA_TEST_DATABASE_URL;
const targets: [string, () => StoreTarget][] = [['sqlite', () => ({ kind: 'sqlite', file: path.join(tempDir(), 'hiraga.sqlite') })]];
if (DB_URL) targets.push(['postgres', () => ({ kind: 'postgres', url: DB_URL, schema: `t_${process.env.HIRAGA_TEST_RUN ?? 'x'}_${crypto.randomBytes(5).toString('hex')}` })]);

const actor: Actor = { user: 'tanaka', role: 'staff', tenant: 'minato' };
const other: Actor = { user: 'sato', role: 'staff', tenant: 'chuo' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(targets)('job liveness on %s', (_name, target) => {
  const opened: Store[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close().catch(() => {});
  });
  const twoNodes = async () => {
    // Two connections to the same database (the same SQLite file, the same PostgreSQL schema).
    const t = target();
    const a = await openStore(t);
    opened.push(a);
    const b = await openStore(t);
    opened.push(b);
    return { a, b };
  };

  it('a job whose node keeps beating stays open past the stale time; once the node is gone it is failed, for good', async () => {
    const { a, b } = await twoNodes();
    const nodeA = new JobStore(a, { heartbeatMs: 40, staleMs: 400 });
    const nodeB = new JobStore(b, { heartbeatMs: 40, staleMs: 400 });
    const id = await nodeA.create(actor, 'ingest', 3);
    nodeA.progress(id)(1, 3);
    await sleep(900); // more than twice the stale time, with the node alive
    const alive = await nodeB.get(actor, id);
    expect(alive.state).toBe('running');
    expect(alive.done).toBe(1);
    expect(Date.parse(alive.updatedAt)).toBeGreaterThan(Date.parse(alive.createdAt));

    await a.close(); // node A is gone: nothing it does reaches the store any more
    await sleep(700);
    const dead = await nodeB.get(actor, id);
    expect(dead.state).toBe('failed');
    expect(dead.error).toMatch(/中断されました.*interrupted: the node running this job stopped .*upload the files again/s);
    expect(dead.done).toBe(1);
    // Recorded: another reader sees the same, with the same message and time.
    const again = await new JobStore(b, { staleMs: 400 }).get(actor, id);
    expect(again).toEqual(dead);
    // Another tenant still cannot see it.
    await expect(nodeB.get(other, id)).rejects.toMatchObject({ reason: 'job_not_found' });
  });

  it('a finished job stays as it finished, however old', async () => {
    const { a, b } = await twoNodes();
    const nodeA = new JobStore(a, { heartbeatMs: 40, staleMs: 200 });
    const done = await nodeA.create(actor, 'ingest', 1);
    await nodeA.finish(done, { report: { files: 1 } });
    const failed = await nodeA.create(actor, 'ingest', 1);
    await nodeA.finish(failed, { error: 'disk full' });
    await sleep(500);
    const nodeB = new JobStore(b, { staleMs: 200 });
    expect(await nodeB.get(actor, done)).toMatchObject({ state: 'done', report: { files: 1 } });
    expect(await nodeB.get(actor, failed)).toMatchObject({ state: 'failed', error: 'disk full' });
  });
});
