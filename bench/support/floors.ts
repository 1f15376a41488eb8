/**
 * What the durable paths of bench:gateway wait for, each measured alone at the benchmark's fixed rate: the
 * floor under "audit event durable before the response" on this machine, in the same run.
 * - disk: a 4 KB write and fdatasync on libuv's thread pool (as audit/wal-sync.ts syncs the SQLite WAL), on the
 *   file system of the store;
 * - PostgreSQL: a one-row INSERT of an audit-sized record committed alone (autocommit), with the server's own
 *   synchronous_commit;
 * - Redis: one INCR round trip (a rate-limit hit is one script call).
 * None of them includes hiraga; a path's added latency cannot go below its floor for long.
 */
import fs from 'node:fs';
import path from 'node:path';
import { waitUntil } from './pace.js';

/** Open loop: start `op` every 1/rate s for `seconds`, regardless of completions; resolves with each latency (ms) and the failures. */
export async function openLoop(rate: number, seconds: number, op: (i: number) => Promise<unknown>): Promise<{ lat: number[]; errors: number }> {
  const lat: number[] = [];
  let errors = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < Math.round(rate * seconds); i++) {
    await waitUntil(start + (i * 1000) / rate);
    const t = performance.now();
    pending.push(
      op(i).then(
        () => void lat.push(performance.now() - t),
        () => void errors++,
      ),
    );
  }
  await Promise.all(pending);
  return { lat, errors };
}

/** 4 KB writes, each followed by fdatasync, on a preallocated file in `dir` (a reused WAL overwrites its frames). */
export async function diskFloor(dir: string, rate: number, seconds: number) {
  const file = path.join(dir, 'floor-fdatasync.bin');
  const size = 4 << 20;
  const fd = fs.openSync(file, 'w+');
  try {
    fs.writeSync(fd, Buffer.alloc(size));
    fs.fsyncSync(fd);
    const block = Buffer.alloc(4096, 7);
    return await openLoop(rate, seconds, (i) => {
      fs.writeSync(fd, block, 0, block.length, (i * block.length) % size);
      return new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
    });
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
}

/** One-row INSERTs of ~1 KB (an audit record's size) over a pool, each its own commit; also reports the server's synchronous_commit. */
export async function postgresFloor(url: string, rate: number, seconds: number) {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, record text NOT NULL)');
    const syncCommit = String((await pool.query('SHOW synchronous_commit')).rows[0]?.synchronous_commit);
    const record = JSON.stringify({ action: 'model.call', note: 'x'.repeat(1000) });
    // Connections opened and the statement planned before the measured run.
    await Promise.all(Array.from({ length: 10 }, () => pool.query('INSERT INTO bench_floor (record) VALUES ($1)', [record])));
    const run = await openLoop(rate, seconds, () => pool.query({ name: 'bench_floor_insert', text: 'INSERT INTO bench_floor (record) VALUES ($1)', values: [record] }));
    await pool.query('DROP TABLE bench_floor');
    return { ...run, syncCommit };
  } finally {
    await pool.end();
  }
}

/** One INCR round trip per call. */
export async function redisFloor(url: string, rate: number, seconds: number) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const key = `hiraga:bench:floor:${process.pid}`;
    await redis.incr(key);
    const run = await openLoop(rate, seconds, () => redis.incr(key));
    await redis.del(key);
    return run;
  } finally {
    redis.disconnect();
  }
}
