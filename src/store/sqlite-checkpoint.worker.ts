/**
 * Worker thread of the SQLite checkpointer (see sqlite-checkpointer.ts): its own connection runs a
 * PASSIVE checkpoint every `intervalMs`, copying committed WAL pages into the database file and
 * syncing it, so no request ever waits behind a checkpoint. PASSIVE never blocks readers or writers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new BetterSqlite3(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 0');

const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
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
