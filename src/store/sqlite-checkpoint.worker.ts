/**
 * Worker thread of the SQLite checkpointer (see sqlite-checkpointer.ts): its own connection runs a
 * PASSIVE checkpoint every `intervalMs`, copying committed WAL pages into the database file and
 * syncing it, so no request ever waits behind a checkpoint. PASSIVE never blocks readers or writers.
 *
 * SQLite starts writing the WAL from its beginning again only when a writer finds every frame already
 * copied. Under steady load a commit nearly always lands while a checkpoint runs, so one pass per
 * interval never gets there and the WAL grows without end (measured: 64 MB after a minute at 500
 * commits/s, every frame appended to a growing file). Each tick therefore repeats the pass (a few
 * frames and one sync) until nothing is left or `maxPasses` is reached.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

const { file, intervalMs, maxPasses = 4 } = workerData as { file: string; intervalMs: number; maxPasses?: number };
const db = new BetterSqlite3(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 0');

const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

const timer = setInterval(() => {
  try {
    // A pass reports the WAL's frames as it found them; done when a pass finds nothing new since the last one.
    let last = -1;
    for (let pass = 0; pass < maxPasses; pass++) {
      const r = checkpoint.get() as { busy: number; log: number; checkpointed: number };
      if (r.log <= 0 || (r.log === last && r.checkpointed >= r.log)) break;
      last = r.log;
    }
  } catch (err) {
    parentPort!.postMessage({ error: (err as Error).message });
  }
}, intervalMs);

parentPort!.on('message', (msg: { close?: boolean }) => {
  if (!msg.close) return;
  clearInterval(timer);
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } finally {
    db.close();
    parentPort!.close();
  }
});
