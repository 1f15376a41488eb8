import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { createAuditLog } from '../../src/audit/log.js';
import { loadConfig } from '../../src/config/load.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';
import { sampleEvent } from './helpers.js';

describe('hiraga audit CLI (SQLite data directory)', () => {
  it('verify, export, public-key, offline verify, prove; tampering exits 1 naming the event or line', async () => {
    const dir = tempDir();
    const config = loadConfig({ dataDir: dir, cwd: dir, env: {}, overrides: { audit: { checkpointEvery: 4 } } });
    const store = await openStore(config.store);
    const log = createAuditLog(store, config);
    for (let i = 1; i <= 9; i++) await log.append(sampleEvent(i));
    await store.close();
    const d = ['--data-dir', dir];

    const ok = await runCli(['audit', 'verify', ...d]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/9 events/);

    const exp = await runCli(['audit', 'export', ...d]);
    expect(exp.code).toBe(0);
    const lines = exp.stdout.trimEnd().split('\n');
    const events = lines.map((l) => JSON.parse(l)).filter((l) => l.kind === undefined);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Object.keys(events[0])).toEqual(expect.arrayContaining(['id', 'prev_hash', 'hash']));
    const exportFile = path.join(dir, 'export.jsonl');
    fs.writeFileSync(exportFile, exp.stdout);

    const pk = await runCli(['audit', 'public-key', ...d]);
    expect(pk.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const keyFile = path.join(dir, 'audit.pub.pem');
    fs.writeFileSync(keyFile, pk.stdout);
    expect((await runCli(['audit', 'verify', '--file', exportFile, '--public-key', keyFile])).code).toBe(0);

    const edited = [...lines];
    const n = edited.findIndex((l) => JSON.parse(l).id === 5 && !JSON.parse(l).kind);
    edited[n] = edited[n]!.replace('"outcome":"allow"', '"outcome":"block"');
    fs.writeFileSync(exportFile, edited.join('\n') + '\n');
    const bad = await runCli(['audit', 'verify', '--file', exportFile, '--public-key', keyFile]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`line ${n + 1} \\(event 5\\)`));

    const proof = await runCli(['audit', 'prove', '6', ...d]);
    expect(proof.code).toBe(0);
    expect(JSON.parse(proof.stdout)).toMatchObject({ event_id: 6, leaf_index: 5, tree_size: 8 });
    expect((await runCli(['audit', 'prove', '0', ...d])).code).toBe(2);

    const s2 = await openStore(config.store);
    await s2.db.updateTable('audit_events').set({ action: 'login' }).where('id', '=', 3).execute();
    await s2.close();
    const tampered = await runCli(['audit', 'verify', ...d]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/event 3: column action/);
  }, 300_000);
});
