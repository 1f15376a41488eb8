/**
 * Reloading the API keys without a restart: the real `hiraga serve` process re-reads its --config on SIGHUP
 * (and on POST /api/admin/reload-keys) and puts the new auth.apiKeys in force — a new key works, a removed
 * key gets 401 on its next request, a stream it started before keeps going to the end; an invalid file keeps
 * the old keys; other sections that changed are named as not applied; every reload is an audit event with
 * key ids and never key material.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedSections } from '../../src/config/diff.js';
import { BIN, ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, upstreamModels } from './helpers.js';

const ADMIN = 'key-reload-admin-all-0001';
const STAFF = 'key-reload-staff-stays-01';
const LEAVING = 'key-reload-staff-leaves-1';
const NEW = 'key-reload-staff-joins-01';
const LATE = 'key-reload-staff-late-001';
const CHIYODA_ADMIN = 'key-reload-admin-chiyoda1';
const CHIYODA_STAFF = 'key-reload-staff-chiyoda1';
const SECRETS = [ADMIN, STAFF, LEAVING, NEW, LATE, CHIYODA_ADMIN, CHIYODA_STAFF];
const sha = (k: string) => crypto.hash('sha256', k, 'hex');
const idOf = (k: string) => `id:${sha(k).slice(0, 12)}`;

let up: Upstream;
let dir: string;
let configFile: string;
let child: ChildProcess;
let url: string;
let stderr = '';

const base = (apiKeys: unknown[], extra: Record<string, unknown> = {}) =>
  Object.assign({ models: upstreamModels(up.url), defaultModel: 'up', auth: { apiKeys }, server: { rateLimitPerKey: 1000 } }, extra);
const writeConfig = (config: unknown) => {
  // Written whole to a temporary file and renamed, as configuration management does: never a half-written file.
  fs.writeFileSync(`${configFile}.tmp`, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  fs.renameSync(`${configFile}.tmp`, configFile);
};
const status = async (key: string) => (await call({ url }, '/v1/models', { key })).status;

/** Poll `check` until it holds (every 25 ms, up to `ms`): no fixed sleeps. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; server log:\n${stderr.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The log lines (pino JSON on stderr) with this message. */
const logged = (msg: string) =>
  stderr
    .split('\n')
    .filter((l) => l.includes(msg))
    .map((l) => JSON.parse(l) as Record<string, any>);

beforeAll(async () => {
  // Slow enough that a stream spans the reload: 40 pieces, 100 ms apart.
  up = await startUpstream({ chunkDelayMs: 100 });
  dir = tempDir('hiraga-reload-');
  configFile = path.join(dir, 'hiraga.config.json');
  writeConfig(
    base([
      { key: ADMIN, user: 'admin0', role: 'admin', tenant: '*' },
      { key: STAFF, user: 'staff1', role: 'staff', tenant: 'minato' },
      { key: LEAVING, user: 'staff2', role: 'staff', tenant: 'minato', expiresAt: '2999-01-31' },
    ]),
  );
  child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--config', configFile, '--data-dir', path.join(dir, 'data')], {
    cwd: ROOT,
    env: Object.assign({}, process.env, { HIRAGA_CONFIG: '', HIRAGA_DATABASE_URL: '', HIRAGA_REDIS_URL: '', HIRAGA_LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d) => (stderr += d));
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /hiraga gateway: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`hiraga serve exited with ${code}: ${stderr}`)));
  });
}, 240_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await up?.close();
}, 60_000);

describe('SIGHUP reloads the API keys of a running `hiraga serve`', () => {
  it('a new key works, a removed key gets 401, a stream the removed key started finishes, other changes are named as not applied', async () => {
    expect(await status(LEAVING)).toBe(200);
    expect(await status(NEW)).toBe(401);
    expect((await call({ url }, '/metrics')).text).toContain(`hiraga_api_key_expiry_timestamp_seconds{key="${idOf(LEAVING)}"`);

    // A stream started with the key about to be removed.
    const words = Array.from({ length: 40 }, (_, i) => `語${i}`).join(' ');
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LEAVING}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'up', stream: true, messages: [{ role: 'user', content: words }] }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const arrivals: number[] = [];
    let text = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        arrivals.push(Date.now());
        text += new TextDecoder().decode(value);
      }
    })();
    await until('the first chunk', () => arrivals.length > 0);

    // The file changes: LEAVING out, NEW in (only its hash), and two changes a reload does not apply.
    writeConfig(
      base(
        [
          { key: ADMIN, user: 'admin0', role: 'admin', tenant: '*' },
          { key: STAFF, user: 'staff1', role: 'staff', tenant: 'minato' },
          { sha256: sha(NEW), user: 'staff3', role: 'staff', tenant: 'minato', expiresAt: '2999-06-30' },
        ],
        { models: upstreamModels(up.url).concat([{ id: 'extra', provider: 'extractive' } as never]), server: { rateLimitPerKey: 999 } },
      ),
    );
    const sent = Date.now();
    child.kill('SIGHUP');
    await until('the new key to be accepted', async () => (await status(NEW)) === 200);
    const revoked = await call({ url }, '/v1/models', { key: LEAVING });
    const revokedAt = Date.now();
    expect(revoked.status).toBe(401);
    expect(revoked.json).toEqual({ error: { message: expect.any(String), type: 'authentication_error', code: 'invalid_api_key', param: null, request_id: expect.any(String) } });
    expect(await status(STAFF)).toBe(200);
    expect(revokedAt - sent).toBeLessThan(5000);

    // The stream was still running after the key stopped working, and ends whole.
    await reading;
    expect(arrivals.some((t) => t > revokedAt)).toBe(true);
    expect(text).toContain('data: [DONE]');
    const content = [...text.matchAll(/"content":"([^"]*)"/g)].map((m) => m[1]).join('');
    expect(content).toBe(`echo: ${words}`);

    // The process is still the same one, and says what it did not apply.
    expect(child.exitCode).toBeNull();
    const warning = logged('config changes not applied by a reload').at(-1)!;
    expect(warning.sections).toEqual(['models', 'server.rateLimitPerKey']);
    expect(warning.msg).toContain('restart to apply: models, server.rateLimitPerKey');
    const done = logged('API keys reloaded').at(-1)!;
    expect(done).toMatchObject({ by: 'SIGHUP', keys: 3, added: [idOf(NEW)], removed: [idOf(LEAVING)], changed: [] });

    // What is derived from the keys follows: 管理's list and the expiry gauge.
    const users = await call({ url }, '/api/admin/users', { key: ADMIN });
    expect(users.json.map((u: any) => u.keyHint).sort()).toEqual([idOf(ADMIN), idOf(STAFF), idOf(NEW)].sort());
    const metrics = (await call({ url }, '/metrics')).text;
    expect(metrics).toContain(`hiraga_api_key_expiry_timestamp_seconds{key="${idOf(NEW)}",tenant="minato"}`);
    expect(metrics).not.toContain(idOf(LEAVING));
    expect(metrics).toMatch(/^hiraga_api_keys 3$/m);
    expect(metrics).toMatch(/^hiraga_api_key_reloads_total\{outcome="ok"\} 1$/m);
    // Not applied: the model added to the file does not exist until a restart.
    expect((await call({ url }, '/v1/models', { key: NEW })).json.data.map((m: any) => m.id)).not.toContain('extra');

    // The reload is an audit event: who (the signal), which key ids — never a key.
    const audit = await call({ url }, '/api/audit?action=admin.change', { key: ADMIN });
    const event = audit.json.events.find((e: any) => e.detail?.change === 'api_keys.reload' && e.detail.trigger === 'signal');
    expect(event).toMatchObject({ actor: { user: 'system', role: 'admin', tenant: '*' }, outcome: 'done', detail: { signal: 'SIGHUP', keys: 3, added: [idOf(NEW)], removed: [idOf(LEAVING)], notApplied: ['models', 'server.rateLimitPerKey'] } });
    for (const s of SECRETS) expect(audit.text).not.toContain(s);
  }, 60_000);

  it('an invalid config keeps the keys in force, logs one error naming the file and the field (no secret), and the server keeps answering', async () => {
    const errorsBefore = logged('API keys not reloaded').length;
    writeConfig(
      base([
        { key: ADMIN, user: 'admin0', role: 'admin', tenant: '*' },
        { key: LATE, user: 'staff4', role: 'staff', tenant: 'minato' },
        { sha256: 'not-a-hash', user: 'broken', role: 'staff', tenant: 'minato' },
      ]),
    );
    child.kill('SIGHUP');
    await until('the reload error in the log', () => logged('API keys not reloaded').length > errorsBefore);
    const err = logged('API keys not reloaded').at(-1)!;
    expect(err.level).toBe(50);
    expect(err.config).toBe(configFile);
    expect(err.err).toContain(configFile);
    expect(err.err).toContain('auth.apiKeys[2].sha256');
    for (const s of SECRETS) expect(stderr).not.toContain(s);

    expect(child.exitCode).toBeNull();
    expect((await call({ url }, '/healthz')).status).toBe(200);
    expect(await status(NEW)).toBe(200);
    expect(await status(STAFF)).toBe(200);
    expect(await status(LATE)).toBe(401);
    const metrics = (await call({ url }, '/metrics')).text;
    expect(metrics).toMatch(/^hiraga_api_key_reloads_total\{outcome="error"\} 1$/m);
    const audit = await call({ url }, '/api/audit?action=admin.change&outcome=error', { key: ADMIN });
    expect(audit.json.events[0]).toMatchObject({ outcome: 'error', detail: { change: 'api_keys.reload', trigger: 'signal' } });
    expect(audit.json.events[0].detail.error).toContain('auth.apiKeys[2].sha256');
  }, 60_000);

  it('POST /api/admin/reload-keys: admin only (403 for staff), answers the counts and what was not applied, audited with the credential; 409 config_invalid keeps the keys', async () => {
    const forbidden = await call({ url }, '/api/admin/reload-keys', { key: STAFF, method: 'POST' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error.type).toBe('permission_error');

    writeConfig(
      base([
        { key: ADMIN, user: 'admin0', role: 'admin', tenant: '*' },
        { key: STAFF, user: 'staff1', role: 'reviewer', tenant: 'minato' },
        { sha256: sha(NEW), user: 'staff3', role: 'staff', tenant: 'minato', expiresAt: '2999-06-30' },
        { key: LATE, user: 'staff4', role: 'staff', tenant: 'minato' },
      ]),
    );
    const r = await call({ url }, '/api/admin/reload-keys', { key: ADMIN, method: 'POST' });
    expect(r.status).toBe(200);
    // The file is back to the running models and limits: nothing left unapplied.
    expect(r.json).toEqual({ keys: 4, added: 1, removed: 0, changed: 1, notApplied: [] });
    // In force when the answer arrives: no polling needed.
    expect(await status(LATE)).toBe(200);
    expect((await call({ url }, '/api/me', { key: STAFF })).json.role).toBe('reviewer');

    const audit = await call({ url }, '/api/audit?action=admin.change', { key: ADMIN });
    expect(audit.json.events[0]).toMatchObject({
      actor: { user: 'admin0', role: 'admin', tenant: '*', credential: idOf(ADMIN) },
      outcome: 'done',
      detail: { change: 'api_keys.reload', trigger: 'api', keys: 4, added: [idOf(LATE)], removed: [], changed: [idOf(STAFF)] },
    });

    // An administrator of one tenant may reload too, and hears about that tenant's keys only: the file holds every tenant's.
    const withChiyoda = [
      { key: ADMIN, user: 'admin0', role: 'admin', tenant: '*' },
      { key: STAFF, user: 'staff1', role: 'reviewer', tenant: 'minato' },
      { key: LATE, user: 'staff4', role: 'staff', tenant: 'minato' },
      { key: CHIYODA_ADMIN, user: 'admin9', role: 'admin', tenant: 'chiyoda' },
    ];
    writeConfig(base([...withChiyoda, { sha256: sha(NEW), user: 'staff3', role: 'staff', tenant: 'minato', expiresAt: '2999-06-30' }]));
    expect((await call({ url }, '/api/admin/reload-keys', { key: ADMIN, method: 'POST' })).json).toEqual({ keys: 5, added: 1, removed: 0, changed: 0, notApplied: [] });
    // minato's NEW leaves and chiyoda's staff key joins: chiyoda's administrator is told of the one that joined.
    writeConfig(base([...withChiyoda, { key: CHIYODA_STAFF, user: 'staff9', role: 'staff', tenant: 'chiyoda' }]));
    const tenantView = await call({ url }, '/api/admin/reload-keys', { key: CHIYODA_ADMIN, method: 'POST' });
    expect(tenantView.json).toEqual({ keys: 2, added: 1, removed: 0, changed: 0, notApplied: [] });
    expect(await status(NEW)).toBe(401);
    expect(await status(CHIYODA_STAFF)).toBe(200);

    // A syntax error next to a key: the parser's message would quote the key's first characters; the answer, the log and the audit event do not.
    const SECRET = 'hk_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7s';
    writeConfig(`{ "auth": { "apiKeys": [ { "key": ${SECRET}, "user": "x" } ] } }`);
    const bad = await call({ url }, '/api/admin/reload-keys', { key: ADMIN, method: 'POST' });
    expect(bad.status).toBe(409);
    expect(bad.json.error).toMatchObject({ code: 'config_invalid', type: 'invalid_request_error' });
    expect(bad.json.error.message).toContain(`config file ${configFile} is not valid JSON`);
    expect(bad.json.error.message).toContain('the keys in force are unchanged');
    expect(await status(LATE)).toBe(200);
    const failed = await call({ url }, '/api/audit?action=admin.change&outcome=error', { key: ADMIN });
    expect(failed.json.events[0]).toMatchObject({ actor: { credential: idOf(ADMIN) }, detail: { trigger: 'api', error: expect.stringContaining('is not valid JSON') } });
    for (const text of [bad.text, failed.text, stderr]) expect(text).not.toContain(SECRET.slice(0, 6));
  }, 60_000);
});

describe('changedSections', () => {
  it('names sections and fields that differ, never values; skips what it is told to', () => {
    const a = { models: [{ id: 'a' }], server: { port: 1, host: 'h' }, auth: { apiKeys: [1], oidc: { issuer: 'x' } }, defaultModel: 'a' };
    const b = { models: [{ id: 'a' }], server: { host: 'h', port: 2 }, auth: { apiKeys: [2], oidc: { issuer: 'y' } }, defaultModel: 'a', redis: 'redis://secret@r' };
    expect(changedSections(a, b, ['auth.apiKeys'])).toEqual(['server.port', 'auth.oidc', 'redis']);
    expect(changedSections(a, structuredClone(a))).toEqual([]);
  });
});
