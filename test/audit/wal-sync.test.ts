import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuditLog } from '../../src/audit/log.js';
import { WalSync } from '../../src/audit/wal-sync.js';
import { openStore } from '../../src/store/open.js';
import { tempDir } from '../helpers/store.js';
import { auditConfig, sampleEvent } from './helpers.js';

afterEach(() => vi.restoreAllMocks());

describe('audit durability on SQLite: group fdatasync of the WAL', () => {
  it('durability "fsync": 300 concurrent appends share fewer fdatasyncs than commits, all land in one valid chain', async () => {
    const config = auditConfig({ durability: 'fsync', checkpointEvery: 100 });
    const store = await openStore(config.store);
    const syncs = vi.spyOn(fs, 'fdatasync');
    const log = createAuditLog(store, config);
    try {
      // Three waves in separate turns of the event loop: at least three commits, syncs shared between them.
      const acks = [];
      for (let wave = 0; wave < 3; wave++) {
        acks.push(...Array.from({ length: 100 }, (_, i) => log.append(sampleEvent(wave * 100 + i))));
        await new Promise((r) => setImmediate(r));
      }
      const done = await Promise.all(acks);
      expect(new Set(done.map((d) => d.id)).size).toBe(300);
      expect(Math.max(...done.map((d) => d.id))).toBe(300);
      expect(syncs).toHaveBeenCalled();
      expect(syncs.mock.calls.length).toBeLessThan(300);
      expect(await log.verify()).toMatchObject({ ok: true, events: 300 });
    } finally {
      await log.close();
      await store.close();
    }
  });

  it('durability "os": appends resolve without any fdatasync and the chain verifies', async () => {
    const config = auditConfig({ durability: 'os' });
    const store = await openStore(config.store);
    const syncs = vi.spyOn(fs, 'fdatasync');
    const log = createAuditLog(store, config);
    try {
      await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(sampleEvent(i))));
      expect(syncs).not.toHaveBeenCalled();
      expect(await log.verify()).toMatchObject({ ok: true, events: 50 });
    } finally {
      await log.close();
      await store.close();
    }
  });

  it('a WAL that cannot be synced fails the waiting appends instead of acknowledging them', async () => {
    const wal = new WalSync(path.join(tempDir(), 'missing.sqlite-wal'));
    await expect(wal.durable()).rejects.toThrow(/ENOENT/);
    wal.close();
  });

  it('an unknown durability value is a config error naming the allowed values', () => {
    expect(() => auditConfig({ durability: 'sometimes' })).toThrow(/audit\.durability[\s\S]*fsync[\s\S]*os/);
  });
});
