/**
 * Faults of the data folder: a --data-dir (or HIRAGA_DATA_DIR) that is a file, or lies under one, is a bad
 * argument (exit 2, one line naming it and what to do); a damaged file inside a valid data folder — the signing
 * key, the SQLite store — is a fault of the installation (exit 1, one line naming the file), and is never
 * overwritten or deleted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';

let dir: string;
const env = { HIRAGA_DATABASE_URL: '', HIRAGA_REDIS_URL: '', HIRAGA_DATA_DIR: '' };
const oneLine = (stderr: string) => expect(stderr.trimEnd().split('\n')).toHaveLength(1);

beforeAll(() => {
  dir = tempDir('hiraga-data-dir-');
});

describe('a data folder that is a file', () => {
  it('--data-dir FILE and --data-dir FILE/sub: exit 2, one line naming the path, the file untouched', async () => {
    const file = path.join(dir, 'afile');
    fs.writeFileSync(file, 'keep me');
    for (const [arg, named] of [
      [file, `--data-dir ${file} is a file, not a folder`],
      [path.join(file, 'sub'), `lies under ${file}, which is a file, not a folder`],
    ] as const) {
      const r = await runCli(['--data-dir', arg, 'audit', 'verify'], { env });
      expect(r.code, r.stderr).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).toContain(named);
      expect(r.stderr).toContain('give a folder path');
      expect(r.stderr).not.toMatch(/EEXIST|ENOTDIR/);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('HIRAGA_DATA_DIR that is a file is named as such', async () => {
    const file = path.join(dir, 'envfile');
    fs.writeFileSync(file, '');
    const r = await runCli(['audit', 'public-key'], { env: { ...env, HIRAGA_DATA_DIR: file } });
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toContain(`HIRAGA_DATA_DIR=${file} is a file, not a folder`);
  });
});

describe('a damaged file inside a valid data folder', () => {
  it('a corrupt, empty or unreadable signing key: exit 1, one line naming it, never replaced', async () => {
    const data = path.join(dir, 'data-key');
    const made = await runCli(['--data-dir', data, 'audit', 'public-key'], { env });
    expect(made.code, made.stderr).toBe(0);
    const key = path.join(data, 'keys', 'audit-ed25519.pem');
    for (const [damage, what] of [
      [() => fs.writeFileSync(key, 'garbage\n'), 'is damaged (not a PEM private key)'],
      [() => fs.writeFileSync(key, ''), 'is damaged (empty)'],
      [() => fs.mkdirSync(key), 'cannot be read (EISDIR)'],
    ] as const) {
      damage();
      const before = fs.statSync(key).isDirectory() ? 'dir' : fs.readFileSync(key, 'utf8');
      for (const args of [['audit', 'verify'], ['audit', 'public-key'], ['audit', 'checkpoint']]) {
        const r = await runCli(['--data-dir', data, ...args], { env });
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
        oneLine(r.stderr);
        expect(r.stderr).toContain(`the signing key ${key} ${what}`);
        expect(r.stderr).toContain('hiraga never replaces it');
      }
      expect(fs.statSync(key).isDirectory() ? 'dir' : fs.readFileSync(key, 'utf8')).toBe(before);
      fs.rmSync(key, { recursive: true });
    }
  });

  it('a SQLite store that is not a database: exit 1, one line naming it, left as it was', async () => {
    const data = path.join(dir, 'data-db');
    fs.mkdirSync(data);
    const db = path.join(data, 'hiraga.sqlite');
    fs.writeFileSync(db, 'not a database at all');
    const r = await runCli(['--data-dir', data, 'audit', 'verify'], { env });
    expect(r.code).toBe(1);
    oneLine(r.stderr);
    expect(r.stderr).toContain(`the SQLite store ${db} is damaged`);
    expect(fs.readFileSync(db, 'utf8')).toBe('not a database at all');
  });

  it("a damaged local admin key (admin-key.json): serve stops at once, exit 1, one line naming it, left as it was", async () => {
    for (const [content, what] of [
      ['{"sha256": "abc', 'is damaged (not JSON)'],
      ['null', 'is damaged (no SHA-256 key hash in it)'],
      ['{"user":"admin"}', 'is damaged (no SHA-256 key hash in it)'],
    ] as const) {
      const data = fs.mkdtempSync(path.join(dir, 'data-admin-'));
      const file = path.join(data, 'admin-key.json');
      fs.writeFileSync(file, content);
      const r = await runCli(['--data-dir', data, 'serve', '--port', '0'], { env });
      expect(r.code, r.stderr).toBe(1);
      oneLine(r.stderr);
      expect(r.stderr).toContain(`the local admin key ${file} ${what}`);
      expect(r.stderr).toContain('restore it from a backup, or delete it');
      expect(r.stderr).not.toMatch(/SyntaxError|TypeError|at .*\.js/);
      expect(fs.readFileSync(file, 'utf8')).toBe(content);
    }
  });
});
