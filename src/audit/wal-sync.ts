import fs from 'node:fs';

/**
 * Group fdatasync of a SQLite WAL file on libuv's thread pool.
 *
 * The audit connection commits with `synchronous = NORMAL` (the WAL frames reach the operating
 * system, no fsync), then waits for `durable()`: one fdatasync of the WAL covers every commit written
 * before it started, so the event loop never blocks on the disk and concurrent commits share a sync.
 * A commit whose `durable()` resolved is on disk: it survives kill -9 and power loss, as with
 * `synchronous = FULL`.
 */
export class WalSync {
  private fd: number | null = null;
  /** Commits written so far / covered by a finished sync. */
  private written = 0;
  private synced = 0;
  private running: Promise<void> | null = null;
  private waiting: Array<{ upTo: number; resolve(): void; reject(err: unknown): void }> = [];

  constructor(private readonly walFile: string) {}

  /** Call after each commit; resolves when that commit is on disk. */
  durable(): Promise<void> {
    const upTo = ++this.written;
    return new Promise((resolve, reject) => {
      this.waiting.push({ upTo, resolve, reject });
      this.running ??= this.loop();
    });
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private async loop(): Promise<void> {
    try {
      while (this.waiting.length) {
        const target = this.written;
        try {
          await this.syncOnce();
          this.synced = target;
          this.settle((w) => w.upTo <= target, (w) => w.resolve());
        } catch (err) {
          this.settle((w) => w.upTo <= target, (w) => w.reject(err));
        }
      }
    } finally {
      this.running = null;
    }
  }

  private settle(match: (w: WalSync['waiting'][number]) => boolean, act: (w: WalSync['waiting'][number]) => void): void {
    const rest: WalSync['waiting'] = [];
    for (const w of this.waiting) (match(w) ? act : (x: typeof w) => rest.push(x))(w);
    this.waiting = rest;
  }

  private async syncOnce(): Promise<void> {
    // Opened once: the committer's own SQLite connection stays open while this object lives, and SQLite
    // removes or replaces a WAL file only when the last connection to the database closes. (A stat per
    // sync to notice a replaced file cost ~9 µs of every governed call in a CPU profile.)
    const fd = (this.fd ??= fs.openSync(this.walFile, 'r'));
    await new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
  }
}
