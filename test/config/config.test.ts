import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, resolveSecret } from '../../src/config/load.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';

function write(name: string, text: string): string {
  const dir = tempDir();
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

describe('configuration', () => {
  it('has working defaults: SQLite in ./.hiraga and the extractive model always present', () => {
    const cwd = tempDir();
    const c = loadConfig({ cwd, env: {} });
    expect(c.store).toEqual({ kind: 'sqlite', file: path.join(cwd, '.hiraga', 'hiraga.sqlite') });
    expect(c.models.map((m) => m.id)).toEqual(['extractive']);
    expect(c.models[0]).toMatchObject({ origin: 'domestic', hosting: 'on-prem', clearance: 3 });
    expect(Object.isFrozen(c) && Object.isFrozen(c.models[0])).toBe(true);
  });

  it('takes an environment variable set but empty as not set (a blank line in an EnvironmentFile)', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'hiraga.config.json'), JSON.stringify({ database: 'postgres://db.internal/hiraga', redis: 'redis://cache.internal:6379' }));
    const blank = { HIRAGA_DATA_DIR: '', HIRAGA_DATABASE_URL: '', HIRAGA_REDIS_URL: ' ', HIRAGA_CONFIG: '' };
    const c = loadConfig({ cwd, env: blank });
    // The data folder is the default one, not the working directory itself; the file's database and Redis apply.
    expect(c.dataDir).toBe(path.join(cwd, '.hiraga'));
    expect(c.store).toEqual({ kind: 'postgres', url: 'postgres://db.internal/hiraga' });
    expect(c.redis).toBe('redis://cache.internal:6379');
    // A value that is set still wins over the file.
    const set = loadConfig({ cwd, env: { HIRAGA_DATABASE_URL: 'postgres://other/hiraga', HIRAGA_DATA_DIR: 'data' } });
    expect(set.store).toEqual({ kind: 'postgres', url: 'postgres://other/hiraga' });
    expect(set.dataDir).toBe(path.join(cwd, 'data'));
  });

  it('finds hiraga.config.json in the working directory, or a YAML file named by HIRAGA_CONFIG', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'hiraga.config.json'), JSON.stringify({ defaultModel: 'extractive', retrieval: { chunkChars: 500 } }));
    expect(loadConfig({ cwd, env: {} }).retrieval.chunkChars).toBe(500);
    const y = write('c.yaml', 'retrieval:\n  chunkChars: 600\nmodels:\n  - id: up\n    provider: openai-compatible\n    baseUrl: http://127.0.0.1:9/v1\n    model: m\n');
    const c = loadConfig({ cwd, env: { HIRAGA_CONFIG: y } });
    expect(c.retrieval.chunkChars).toBe(600);
    expect(c.models.map((m) => m.id).sort()).toEqual(['extractive', 'up']);
  });

  it('an error names the field path, the bad value and what is allowed', () => {
    const f = write('bad.json', JSON.stringify({ models: [{ id: 'x', provider: 'openai-compatible', baseUrl: 'http://h/v1', model: 'm', clearance: 5 }] }));
    expect(() => loadConfig({ configPath: f, env: {} })).toThrow(/models\[0\]\.clearance = 5: .*(<=|3)/);
    const g = write('bad2.json', JSON.stringify({ models: [{ id: 'x', provider: 'nope' }] }));
    expect(() => loadConfig({ configPath: g, env: {} })).toThrow(/models\[0\]\.provider = "nope"/);
    const h = write('bad3.json', JSON.stringify({ defaultModel: 'ghost' }));
    expect(() => loadConfig({ configPath: h, env: {} })).toThrow(/defaultModel = "ghost" names no model; allowed: extractive/);
    const i = write('bad4.json', '{ "models": [ ');
    expect(() => loadConfig({ configPath: i, env: {} })).toThrow(/is not valid JSON/);
  });

  it('a syntax error says where, never quoting the file (the parsers quote the text around the fault, which may be a key)', () => {
    const secret = 'hk_supersecretvalue123';
    const cases: Array<[string, string, RegExp]> = [
      ['s1.json', `{"auth": {"apiKeys": [{"key": "${secret}" "user": "a"}]}}`, /is not valid JSON: Expected ',' or '}' after property value at line 1, column 56/],
      ['s2.json', `{"auth": {"apiKeys": [{"key": ${secret}}]}}`, /is not valid JSON: an unexpected character/],
      ['s3.json', `{\n "auth": {"apiKeys": [{"key": "${secret}`, /is not valid JSON: Unterminated string at line 2, column 54/],
      ['s4.yaml', `auth:\n  apiKeys:\n    - key: ${secret}: x\n`, /is not valid YAML: .* at line 3, column 12$/],
    ];
    for (const [name, text, expected] of cases) {
      const message = (() => {
        try {
          loadConfig({ configPath: write(name, text), env: {} });
        } catch (err) {
          return (err as Error).message;
        }
        return '';
      })();
      expect(message).toMatch(expected);
      expect(message).not.toContain(secret.slice(0, 8));
    }
  });

  it('PostgreSQL from HIRAGA_DATABASE_URL; a non-PostgreSQL URL is refused', () => {
    expect(loadConfig({ cwd: tempDir(), env: { HIRAGA_DATABASE_URL: 'postgres://u@h:5432/d' } }).store).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/d' });
    expect(() => loadConfig({ cwd: tempDir(), env: { HIRAGA_DATABASE_URL: 'mysql://h/d' } })).toThrow(/not a PostgreSQL URL/);
  });

  it('env:NAME secrets resolve at use time, with a clear error when unset', () => {
    expect(resolveSecret('env:K', { K: 'v' })).toBe('v');
    expect(() => resolveSecret('env:MISSING', {})).toThrow(/MISSING/);
  });

  it('the CLI prints one line and exits 2 for a bad config, with no stack trace', async () => {
    const f = write('bad.json', JSON.stringify({ retrieval: { chunkChars: 'big' } }));
    const r = await runCli(['--config', f, 'collections', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('hiraga: error'))).toHaveLength(1);
    expect(r.stderr).toMatch(/retrieval\.chunkChars = "big"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
