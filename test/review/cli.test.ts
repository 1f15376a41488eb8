import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { createAuditLog } from '../../src/audit/log.js';
import { createReviewQueue } from '../../src/review/queue.js';
import { loadConfig } from '../../src/config/load.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';

describe('hiraga review CLI', () => {
  it('lists pending items, approves with an edit and rejects, each audited', async () => {
    const dir = tempDir();
    const config = loadConfig({ dataDir: dir, cwd: dir, env: {} });
    const store = await openStore(config.store);
    const queue = createReviewQueue(store, createAuditLog(store, config));
    const a = await queue.enqueue({ requester: { user: 'tanaka', role: 'staff', tenant: 'minato' }, reasons: ['copyright'], output: '回答A' });
    const b = await queue.enqueue({ requester: { user: 'kato', role: 'staff', tenant: 'chiyoda' }, reasons: ['injection'], output: '回答B' });
    await store.close();
    const d = ['--data-dir', dir];

    const list = await runCli(['review', 'list', '--json', '--tenant', 'minato', ...d]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((i: { id: number; statusLabel: string }) => [i.id, i.statusLabel])).toEqual([[a.id, '確認待ち']]);

    const edit = path.join(dir, 'edit.txt');
    fs.writeFileSync(edit, '修正版');
    const ok = await runCli(['review', 'approve', String(a.id), '--reason', '出典を追記', '--as', 'suzuki', '--edit', edit, '--json', ...d]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 'approved', decided_by: 'suzuki', output: '修正版' });

    const no = await runCli(['review', 'reject', String(b.id), '--reason', '不適切', ...d]);
    expect(no.code).toBe(0);
    expect(no.stdout).toMatch(/差し戻し/);
    expect((await runCli(['review', 'reject', String(b.id), ...d])).code).toBe(2);
    expect((await runCli(['review', 'approve', '999', '--reason', 'x', ...d])).code).toBe(2);

    const s2 = await openStore(config.store);
    const events = await createAuditLog(s2, config).query({ action: 'review.decision', order: 'asc' });
    await s2.close();
    expect(events.map((e) => [e.outcome, (e.detail as { reason: string }).reason])).toEqual([
      ['approved', '出典を追記'],
      ['rejected', '不適切'],
    ]);
  }, 300_000);
});
