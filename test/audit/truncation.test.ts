/**
 * A log cut back at its end: the last events and the checkpoints after them deleted from the SQLite store,
 * the head row rewritten to match. The chain that is left is a valid chain, so `audit verify` alone cannot
 * tell — it says how far the last signed checkpoint reaches and how many events after it are unanchored; a
 * checkpoint saved outside the store (`audit checkpoint > FILE`, `audit verify --checkpoint FILE`) catches the
 * cut. A head row rewritten without its Merkle frontier is caught by verify alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/audit/log.js';
import { Frontier } from '../../src/audit/merkle.js';
import { loadConfig } from '../../src/config/load.js';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';
import { sampleEvent } from './helpers.js';

let dir: string;
let data: string;
let saved: string;
const env = { HIRAGA_DATABASE_URL: '', HIRAGA_DATA_DIR: '' };
const verify = (dataDir: string, ...args: string[]) => runCli(['--data-dir', dataDir, 'audit', 'verify', ...args], { env });

/** Delete events after `keep` and the checkpoints beyond them; rewrite the head (with its frontier unless told not to). */
function cutBack(dataDir: string, keep: number, fixFrontier = true): void {
  const db = new Database(path.join(dataDir, 'hiraga.sqlite'));
  const hashes = db.prepare('SELECT hash FROM audit_events WHERE id <= ? ORDER BY id').pluck().all(keep) as string[];
  const frontier = new Frontier(0, []);
  for (const h of hashes) frontier.push(Buffer.from(h, 'hex'));
  db.prepare('DELETE FROM audit_content WHERE event_id > ?').run(keep);
  db.prepare('DELETE FROM audit_events WHERE id > ?').run(keep);
  db.prepare('DELETE FROM audit_checkpoints WHERE tree_size > ?').run(keep);
  db.prepare('UPDATE audit_head SET size = ?, last_hash = ?' + (fixFrontier ? ', frontier = ?' : '') + ' WHERE id = 1').run(...(fixFrontier ? [keep, hashes.at(-1), frontier.toJson()] : [keep, hashes.at(-1)]));
  db.close();
}

const copy = (name: string) => {
  const to = path.join(dir, name);
  fs.cpSync(data, to, { recursive: true });
  return to;
};

beforeAll(async () => {
  dir = tempDir('hiraga-audit-cut-');
  data = path.join(dir, 'data');
  const config = loadConfig({ dataDir: data, cwd: dir, env: {}, overrides: { audit: { checkpointEvery: 4 } } });
  const store = await openStore(config.store);
  const log = createAuditLog(store, config);
  for (let i = 1; i <= 10; i++) await log.append(sampleEvent(i));
  await log.close();
  await store.close();
  // The operator keeps a checkpoint elsewhere (signed now, at 10 events).
  const cp = await runCli(['--data-dir', data, 'audit', 'checkpoint'], { env });
  expect(cp.code, cp.stderr).toBe(0);
  saved = path.join(dir, 'saved-checkpoint.json');
  fs.writeFileSync(saved, cp.stdout);
  // Three more events after the saved checkpoint: 11 and 12 (signed at 12), 13 not anchored by any signature yet.
  const store2 = await openStore(config.store);
  const log2 = createAuditLog(store2, config);
  for (let i = 11; i <= 13; i++) await log2.append(sampleEvent(i));
  await log2.close();
  await store2.close();
});

describe('audit verify and a log cut back at its end', () => {
  it('intact: says how far the last signed checkpoint reaches and how many events come after it', async () => {
    const r = await verify(data);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^検証成功 \/ audit log intact: 13 events, 4 signed checkpoints; last signed checkpoint: 12 events at \S+; 1 event after it not yet anchored\n$/);
    const json = await verify(data, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, events: 13, checkpoints: 4, lastCheckpoint: { treeSize: 12 }, unanchored: 1 });
    const withSaved = await verify(data, '--checkpoint', saved);
    expect(withSaved.code, withSaved.stderr).toBe(0);
    expect(withSaved.stdout).toContain(`holds the 10 events of the checkpoint in ${saved}`);
  });

  it('cut back to 6 with the head rewritten: verify alone cannot tell (and says what it vouches for); --checkpoint catches it', async () => {
    const cut = copy('cut');
    cutBack(cut, 6);
    const alone = await verify(cut);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain('6 events, 1 signed checkpoints; last signed checkpoint: 4 events at');
    expect(alone.stdout).toContain('2 events after it not yet anchored');

    const r = await verify(cut, '--checkpoint', saved);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^hiraga: 改ざんを検出 \/ audit log tampered: event 7: the log holds 6 events, but the checkpoint saved in .* covers 10: events 7–10 were deleted/);
  });

  it('an export serves as the saved checkpoint too', async () => {
    const exp = await runCli(['--data-dir', data, 'audit', 'export'], { env });
    expect(exp.code, exp.stderr).toBe(0);
    const file = path.join(dir, 'export.jsonl');
    fs.writeFileSync(file, exp.stdout);
    const cut = copy('cut-export');
    cutBack(cut, 12);
    const r = await verify(cut, '--checkpoint', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('covers 13: event 13 was deleted');
  });

  it('the head row rewritten without its Merkle frontier is caught by verify alone', async () => {
    const cut = copy('cut-naive');
    cutBack(cut, 6, false);
    const r = await verify(cut);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the chain head's Merkle frontier does not match the 6 events");
  });

  it('a saved checkpoint not signed by this installation, or a file without one', async () => {
    const other = path.join(dir, 'other');
    const foreign = await runCli(['--data-dir', data, 'audit', 'checkpoint'], { env });
    const seed = await runCli(['--data-dir', other, 'audit', 'public-key'], { env });
    expect(seed.code).toBe(0);
    const f = path.join(dir, 'foreign.json');
    fs.writeFileSync(f, foreign.stdout);
    const r = await verify(other, '--checkpoint', f);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("is not validly signed by this installation's key");

    const notOne = path.join(dir, 'not-a-checkpoint.json');
    fs.writeFileSync(notOne, '{"kind":"export"}\n');
    const bad = await verify(data, '--checkpoint', notOne);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no signed checkpoint in it');
  });
});
