/**
 * API keys kept out of the config file and given an end: `hiraga keys new` prints a key once and an
 * auth.apiKeys entry holding only its SHA-256; the gateway accepts that entry, refuses a key past its
 * `expiresAt` with 401 api_key_expired (a date alone is the end of that day in Japan time), names expired and
 * soon-expiring keys at start, and shows expiry to admins; bad entries are config errors naming where.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expiryMs } from '../../src/config/sections/auth.js';
import { startGateway, type RunningGateway } from '../../src/gateway/server.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';
import { call, testConfig } from './helpers.js';

const ADMIN = 'key-admin-keys-test-0001';
const PLAIN = 'key-plain-keys-test-0001';
const EXPIRED = 'key-expired-keys-test-01';
const FROM_ENV = 'key-from-the-environment-01';
let created: { key: string; entry: Record<string, unknown> };
let soon: { key: string; entry: Record<string, unknown> };
let gw: RunningGateway;
const logLines: string[] = [];
/** A config with these keys and the offline model. */
const withKeys = (apiKeys: unknown[], dir?: string) => testConfig({ models: [{ id: 'extractive', provider: 'extractive' }], defaultModel: 'extractive', auth: { apiKeys } }, dir);

beforeAll(async () => {
  const dir = tempDir('hiraga-keys-');
  // Made by the CLI, as an operator would: the key printed once, the entry holding only the hash.
  const r = await runCli(['keys', 'new', '--user', 'tanaka', '--role', 'staff', '--tenant', 'minato', '--expires', '2999-03-31', '--json'], { cwd: dir });
  expect(r.code).toBe(0);
  created = JSON.parse(r.stdout);
  const s = await runCli(['keys', 'new', '--user', 'suzuki', '--tenant', 'minato', '--expires', new Date(Date.now() + 3 * 86_400_000).toISOString(), '--json'], { cwd: dir });
  soon = JSON.parse(s.stdout);
  const config = withKeys(
    [
      { key: ADMIN, user: 'admin1', role: 'admin', tenant: 'minato' },
      { key: PLAIN, user: 'plain', role: 'staff', tenant: 'minato' },
      { key: EXPIRED, user: 'gone', role: 'staff', tenant: 'minato', expiresAt: '2020-01-01' },
      created.entry,
      soon.entry,
      { key: 'env:HIRAGA_TEST_KEYS_FROM_ENV', user: 'fromenv', tenant: 'minato' },
    ],
    dir,
  );
  process.env.HIRAGA_TEST_KEYS_FROM_ENV = FROM_ENV;
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  gw = await startGateway({ config, port: 0, host: '127.0.0.1', logger: pino({ level: 'warn' }, sink), webDir: path.join(dir, 'no-web') });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  delete process.env.HIRAGA_TEST_KEYS_FROM_ENV;
});

describe('API keys held as hashes, with an expiry', () => {
  it('keys new prints a usable key once and an entry without it', () => {
    expect(created.key).toMatch(/^hk_[A-Za-z0-9_-]{43}$/);
    expect(created.entry).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), user: 'tanaka', role: 'staff', tenant: 'minato', expiresAt: '2999-03-31' });
    expect(JSON.stringify(created.entry)).not.toContain(created.key);
  });

  it('the gateway accepts the key of a hashed entry and a key before its expiry', async () => {
    const me = await call(gw, '/api/me', { key: created.key });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ user: 'tanaka', role: 'staff', tenant: 'minato' });
    expect((await call(gw, '/api/me', { key: soon.key })).json.user).toBe('suzuki');
    expect((await call(gw, '/api/me', { key: PLAIN })).status).toBe(200);
  });

  it('reads a key given as env:NAME from the environment; the text "env:NAME" itself is no key', async () => {
    expect((await call(gw, '/api/me', { key: FROM_ENV })).json.user).toBe('fromenv');
    expect((await call(gw, '/api/me', { key: 'env:HIRAGA_TEST_KEYS_FROM_ENV' })).status).toBe(401);
  });

  it('refuses a key past its expiry with 401 api_key_expired, saying when and what to do', async () => {
    const r = await call(gw, '/v1/models', { key: EXPIRED });
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe('api_key_expired');
    expect(r.json.error.type).toBe('authentication_error');
    // 2020-01-01 is the end of that day in Japan time.
    expect(r.json.error.message).toContain('2020-01-01T14:59:59.999Z');
    expect(r.json.error.message).toContain('ask your administrator for a new one');
    expect(r.text).not.toContain(EXPIRED);
  });

  it('shows admins each key’s expiry, and warns at start about expired and soon-expiring keys', async () => {
    const users = await call(gw, '/api/admin/users', { key: ADMIN });
    const byUser = Object.fromEntries(users.json.map((u: { user: string }) => [u.user, u]));
    expect(byUser.gone).toMatchObject({ expiresAt: '2020-01-01T14:59:59.999Z', expired: true });
    expect(byUser.tanaka).toMatchObject({ expiresAt: '2999-03-31T14:59:59.999Z', expired: false });
    expect(byUser.plain.expiresAt).toBeUndefined();
    const warned = logLines.map((l) => JSON.parse(l));
    expect(warned.find((l) => l.user === 'gone')?.msg).toContain('expired');
    expect(warned.find((l) => l.user === 'suzuki')?.msg).toContain('within 14 days');
    expect(warned.some((l) => l.user === 'tanaka' || l.user === 'plain')).toBe(false);
    expect(logLines.join('')).not.toContain(soon.key);
    // For an alert before a key expires; by key id and tenant (/metrics is open: no user names).
    const metrics = (await call(gw, '/metrics')).text;
    expect(metrics).toContain(`hiraga_api_key_expiry_timestamp_seconds{key="${byUser.gone.keyHint}",tenant="minato"} ${Date.parse('2020-01-01T14:59:59.999Z') / 1000}`);
    expect(metrics.match(/^hiraga_api_key_expiry_timestamp_seconds\{/gm)).toHaveLength(3);
    expect(metrics).not.toContain('tanaka');
  });

  it('a date alone ends at the end of that day in Japan time', () => {
    expect(new Date(expiryMs('2027-03-31')).toISOString()).toBe('2027-03-31T14:59:59.999Z');
    expect(new Date(expiryMs('2027-03-31T09:00:00+09:00')).toISOString()).toBe('2027-03-31T00:00:00.000Z');
  });
});

describe('the CLI and the config say what is wrong', () => {
  it('keys hash reads the key from stdin and gives the same hash the entry holds; keys list shows no key', async () => {
    const r = await runCli(['keys', 'hash'], { input: `${created.key}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(created.entry.sha256);
    const dir = tempDir('hiraga-keys-list-');
    fs.writeFileSync(path.join(dir, 'hiraga.config.json'), JSON.stringify({ auth: { apiKeys: [created.entry, { key: PLAIN, user: 'plain', expiresAt: '2020-01-01' }] } }));
    const list = await runCli(['keys', 'list', '--json'], { cwd: dir });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      { user: 'tanaka', role: 'staff', tenant: 'minato', keyHint: expect.stringMatching(/^id:[0-9a-f]{12}$/), expiresAt: '2999-03-31T14:59:59.999Z', expired: false },
      { user: 'plain', role: 'staff', tenant: 'default', keyHint: expect.stringMatching(/^id:/), expiresAt: '2020-01-01T14:59:59.999Z', expired: true },
    ]);
    expect(list.stdout).not.toContain(PLAIN);
  });

  it('keys new refuses a bad role or a date that is not one or is past (exit 2)', async () => {
    for (const args of [
      ['--user', 'x', '--role', 'root'],
      ['--user', 'x', '--expires', '2027-02-30x'],
      ['--user', 'x', '--expires', '2020-01-01'],
    ]) {
      const r = await runCli(['keys', 'new', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--role|--expires/);
    }
  });

  it.each([
    [{ user: 'a' }, 'auth.apiKeys[0].key', 'not both and not neither'],
    [{ key: PLAIN, sha256: 'a'.repeat(64), user: 'a' }, 'auth.apiKeys[0].key', 'not both'],
    [{ sha256: 'ABC', user: 'a' }, 'auth.apiKeys[0].sha256', '64 lower-case hex'],
    [{ key: PLAIN, user: 'a', expiresAt: 'next year' }, 'auth.apiKeys[0].expiresAt', 'must be a date'],
  ])('config %j is refused, naming %s', (entry, where, what) => {
    let message = '';
    try {
      withKeys([entry]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(where);
    expect(message).toContain(what);
  });

  it('the same key twice (as a key and as its hash) is a config error', () => {
    const hashed = { sha256: created.entry.sha256, user: 'b' };
    expect(() => withKeys([{ key: created.key, user: 'a' }, hashed])).toThrow(/apiKeys\[1\].*same key as apiKeys\[0\]/);
  });
});
