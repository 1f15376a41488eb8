/**
 * 管理 and アプリ作成 endpoints the web UI asked for (docs/api.md): GET /api/admin/policies,
 * GET /api/admin/users and POST /api/apps/test — on a real gateway (127.0.0.1, SQLite, API keys with
 * roles and tenants) with a local OpenAI-compatible upstream behind the governed pipeline.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { tempDir } from '../helpers/store.js';
import { readDocxProperty } from '../../src/provenance/index.js';
import { verifyProvenance } from '../../src/provenance/verify.js';
import { apiKeys, call, KEYS, startTestGateway, testConfig, upstreamModels, UPSTREAM_SECRET } from './helpers.js';

const MINISTRY_ADMIN = 'key-admin-ministry-0001';
const CHIYODA_ADMIN = 'key-admin-chiyoda-0001';
const ALL_KEYS = [
  ...apiKeys(),
  { key: CHIYODA_ADMIN, user: 'admin9', role: 'admin', tenant: 'chiyoda' },
  { key: MINISTRY_ADMIN, user: 'honsho', role: 'admin', tenant: '*' },
];
const hintOf = (key: string) => `id:${crypto.createHash('sha256').update(key).digest('hex').slice(0, 12)}`;

/** No configured key, nor its hash, nor a 12-character prefix of it, anywhere in a response text. */
function expectNoKeyMaterial(text: string) {
  for (const { key } of ALL_KEYS) {
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(0, 12));
    expect(text).not.toContain(crypto.createHash('sha256').update(key).digest('hex'));
  }
}

const definition = (id: string) => ({
  id,
  title: '会議要旨',
  description: '会議メモを要旨にする',
  inputs: [{ name: 'text', label: '会議メモ', type: 'textarea', required: true }],
  prompt: '次の会議メモを要旨にしてください。{{text}}',
  model: 'up',
});

let up: Upstream;
let gw: RunningGateway;

beforeAll(async () => {
  up = await startUpstream();
  gw = await startTestGateway(
    testConfig({
      models: upstreamModels(up.url),
      auth: { apiKeys: ALL_KEYS },
      // Overrides the policies endpoint must reflect (the defaults are 2 → mask, 3 → block, fsync, 600/min …).
      guard: { policy: { '2': 'block', '3': 'mask' }, typeLevels: { person_name: 1 } },
      review: { require: { lowGrounding: true, minConfidentiality: 3 } },
      audit: { durability: 'os', retention: { default: { '1': 60, '2': 14, '3': 0 }, tenants: { minato: { '1': 365 }, chiyoda: { '2': 7 } } } },
      server: { rateLimitPerKey: 321, rateLimitPerTenant: 4321, maxBodyBytes: 512 * 1024 },
    }),
  );
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
});

describe('admin endpoints: authentication and roles', () => {
  for (const path of ['/api/admin/policies', '/api/admin/users']) {
    it(`${path}: 401 without a key, 403 for staff, reviewer and auditor (OpenAI error shape), 200 for admin`, async () => {
      const none = await call(gw, path);
      expect(none.status).toBe(401);
      expect(none.json.error).toMatchObject({ type: 'authentication_error', code: 'missing_api_key' });
      expect((await call(gw, path, { key: 'not-a-configured-key' })).status).toBe(401);
      for (const key of [KEYS.staff, KEYS.reviewer, KEYS.auditor, KEYS.other]) {
        const r = await call(gw, path, { key });
        expect(r.status).toBe(403);
        expect(r.json.error).toMatchObject({ type: 'permission_error', code: 'insufficient_role', message: expect.stringContaining('admin') });
      }
      expect((await call(gw, path, { key: KEYS.admin })).status).toBe(200);
    });
  }
});

describe('GET /api/admin/users', () => {
  it("an admin sees their tenant's users with the key id, never the key", async () => {
    const r = await call(gw, '/api/admin/users', { key: KEYS.admin });
    expect(r.status).toBe(200);
    expect(r.json).toEqual(
      apiKeys()
        .filter((k) => k.tenant === 'minato')
        .map((k) => ({ user: k.user, role: k.role, tenant: 'minato', keyHint: hintOf(k.key), lastUsedAt: null })),
    );
    expect(r.json.every((u: any) => /^id:[0-9a-f]{12}$/.test(u.keyHint))).toBe(true);
    expectNoKeyMaterial(r.text);
  });

  it('is scoped by tenant: an admin of chiyoda sees only chiyoda; the ministry admin (tenant "*") sees everyone', async () => {
    const chiyoda = await call(gw, '/api/admin/users', { key: CHIYODA_ADMIN });
    expect(chiyoda.json.map((u: any) => [u.user, u.tenant])).toEqual([
      ['staff9', 'chiyoda'],
      ['admin9', 'chiyoda'],
    ]);
    expectNoKeyMaterial(chiyoda.text);

    const all = await call(gw, '/api/admin/users', { key: MINISTRY_ADMIN });
    expect(all.json.map((u: any) => u.user)).toEqual(ALL_KEYS.map((k) => k.user));
    expect(new Set(all.json.map((u: any) => u.tenant))).toEqual(new Set(['minato', 'chiyoda', '*']));
    expect(all.json.find((u: any) => u.user === 'honsho')).toEqual({ user: 'honsho', role: 'admin', tenant: '*', keyHint: hintOf(MINISTRY_ADMIN), lastUsedAt: null });
    expectNoKeyMaterial(all.text);
  });

  it('lists the local admin key when no API keys are configured', async () => {
    const local = await startTestGateway(testConfig({ models: [], defaultModel: 'extractive', auth: { apiKeys: [] } }, tempDir('hiraga-gw-local-admin-')));
    try {
      expect(local.createdAdminKey).toBeTruthy();
      const key = local.createdAdminKey!;
      const r = await call(local, '/api/admin/users', { key });
      expect(r.status).toBe(200);
      expect(r.json).toEqual([{ user: 'admin', role: 'admin', tenant: 'default', keyHint: hintOf(key), lastUsedAt: null }]);
      expect(r.text).not.toContain(key);
      expect(r.text).not.toContain(crypto.createHash('sha256').update(key).digest('hex'));
    } finally {
      await local.close();
    }
  });
});

describe('GET /api/admin/policies', () => {
  it('reflects the configured policy, per level and per model, with limits — and holds no secret', async () => {
    const r = await call(gw, '/api/admin/policies', { key: KEYS.admin });
    expect(r.status).toBe(200);
    const p = r.json;
    expect(p.tenant).toBe('minato');
    expect(p.guard.policy).toEqual({ '2': 'block', '3': 'mask' });
    expect(p.guard.typeLevels).toMatchObject({ person_name: 1, my_number: 3, phone: 2 });
    expect(p.review.require).toEqual({ copyright: true, injection: true, minConfidentiality: 3, lowGrounding: true });
    expect(p.audit.durability).toBe('os');
    expect(p.rateLimits).toEqual({ perKey: 321, perTenant: 4321, windowMs: 60_000, tokensPerUser: null, tokensPerTenant: null });
    expect(p.limits).toMatchObject({ maxBodyBytes: 512 * 1024, maxMessages: 200, maxMessageChars: 100_000, requestTimeoutMs: 120_000 });

    // Models with their clearance and what happens to text of each level sent to them.
    const byId = Object.fromEntries(p.models.map((m: any) => [m.id, m]));
    expect(Object.keys(byId).sort()).toEqual(['extractive', 'foreign', 'up']);
    expect(byId.up).toMatchObject({ clearance: 3, origin: 'domestic', hosting: 'on-prem', default: true, levels: { '1': 'allow', '2': 'allow', '3': 'allow' } });
    expect(byId.foreign).toMatchObject({ clearance: 1, origin: 'foreign', default: false, levels: { '1': 'allow', '2': 'block', '3': 'mask' } });

    // Retention: the admin's own tenant only (the effective days apply the tenant override).
    expect(p.audit.retentionDays).toEqual({ effective: { '1': 365, '2': 14, '3': 0 }, default: { '1': 60, '2': 14, '3': 0 }, tenants: { minato: { '1': 365 } } });

    // Nothing secret or internal: no upstream URL or key, no API keys, no connection settings.
    expect(r.text).not.toContain(UPSTREAM_SECRET);
    expect(r.text).not.toContain(up.url);
    expect(r.text).not.toContain('127.0.0.1');
    for (const field of ['baseUrl', 'apiKey', 'headers', 'apiKeys', 'database', 'redis', 'keyFile']) expect(r.text).not.toContain(`"${field}"`);
    expectNoKeyMaterial(r.text);
  });

  it('the ministry admin (tenant "*") sees every tenant\'s retention override; a tenant admin only its own', async () => {
    const all = await call(gw, '/api/admin/policies', { key: MINISTRY_ADMIN });
    expect(all.json.audit.retentionDays.tenants).toEqual({ minato: { '1': 365 }, chiyoda: { '2': 7 } });
    const chiyoda = await call(gw, '/api/admin/policies', { key: CHIYODA_ADMIN });
    expect(chiyoda.json.audit.retentionDays.tenants).toEqual({ chiyoda: { '2': 7 } });
    expect(chiyoda.json.audit.retentionDays.effective).toEqual({ '1': 60, '2': 7, '3': 0 });
  });
});

describe('POST /api/apps/test', () => {
  it('runs an unsaved definition like a saved app runs, through the governed pipeline, and stores nothing', async () => {
    const inputs = { text: '議題は庁舎の節電。冷房は28度に設定する。' };
    const before = up.requests.length;
    const test = await call(gw, '/api/apps/test', { key: KEYS.staff, body: { app: definition('kaigi-test'), inputs } });
    expect(test.status).toBe(200);
    expect(test.json).toMatchObject({ app: 'kaigi-test', model: 'up', output: `echo: 次の会議メモを要旨にしてください。${inputs.text}`, confidentiality: 1, masked: [], flags: [] });
    expect(test.json.auditId).toBeGreaterThan(0);
    // The model was really called (through the pipeline, with the configured upstream key).
    const sent = up.requests.slice(before).filter((q) => q.path === '/v1/chat/completions');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers.authorization).toBe(`Bearer ${UPSTREAM_SECRET}`);

    // The same definition saved and run: the same response shape.
    expect((await call(gw, '/api/apps', { key: KEYS.staff, body: definition('kaigi-saved') })).status).toBe(201);
    const saved = await call(gw, '/api/apps/kaigi-saved/run', { key: KEYS.staff, body: { inputs } });
    expect(saved.status).toBe(200);
    expect(Object.keys(test.json).sort()).toEqual(Object.keys(saved.json).sort());
    expect(test.json.output).toBe(saved.json.output);
    expect({ ...test.json, app: 'x', auditId: 0, audit_id: 0 }).toEqual({ ...saved.json, app: 'x', auditId: 0, audit_id: 0 });

    // The call is in the audit log, as the requester's, for that app.
    const audit = await call(gw, '/api/audit?limit=1000', { key: KEYS.auditor });
    const event = audit.json.events.find((e: any) => e.id === test.json.auditId);
    expect(event).toMatchObject({ action: 'app.run', app: 'kaigi-test', actor: { user: 'staff1', tenant: 'minato' }, model: { id: 'up' }, detail: { purpose: 'test' } });
    const savedEvent = audit.json.events.find((e: any) => e.id === saved.json.auditId);
    expect(savedEvent.detail.purpose).toBeUndefined();
    // Usage keeps trial runs apart from the app's real use.
    const usage = await call(gw, '/api/usage?groupBy=app&bucket=all', { key: KEYS.admin });
    const apps = usage.json.rows.map((r: any) => r.key);
    expect(apps).toEqual(expect.arrayContaining(['kaigi-test (test)', 'kaigi-saved']));
    expect(apps).not.toContain('kaigi-test');

    // Nothing stored: not in the catalogue (not even for an admin, who sees every draft), not runnable by id.
    for (const key of [KEYS.staff, KEYS.admin]) {
      const list = await call(gw, '/api/apps', { key });
      expect(list.json.some((a: any) => a.id === 'kaigi-saved')).toBe(true);
      expect(list.json.some((a: any) => a.id === 'kaigi-test')).toBe(false);
    }
    expect((await call(gw, '/api/apps/kaigi-test/run', { key: KEYS.staff, body: { inputs } })).status).toBe(404);
  });

  it('400 naming the field for a broken definition, before any model is called; still nothing stored', async () => {
    const before = up.requests.length;
    const { title: _title, ...noTitle } = definition('broken-title');
    const missing = await call(gw, '/api/apps/test', { key: KEYS.staff, body: { app: noTitle, inputs: { text: 'x' } } });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_app_definition', param: 'app.title', message: expect.stringContaining('title') });

    const placeholder = await call(gw, '/api/apps/test', { key: KEYS.staff, body: { app: { ...definition('broken-prompt'), prompt: '{{memo}} を要約' }, inputs: { text: 'x' } } });
    expect(placeholder.status).toBe(400);
    expect(placeholder.json.error).toMatchObject({ code: 'invalid_app_definition', param: 'app.prompt', message: expect.stringContaining('{{memo}}') });

    const badInputName = await call(gw, '/api/apps/test', { key: KEYS.staff, body: { app: { ...definition('broken-input'), inputs: [{ name: '1st', label: 'x' }] , prompt: 'x' }, inputs: {} } });
    expect(badInputName.status).toBe(400);
    expect(badInputName.json.error).toMatchObject({ param: 'app.inputs[0].name' });

    const model = await call(gw, '/api/apps/test', { key: KEYS.staff, body: { app: { ...definition('broken-model'), model: 'nope' }, inputs: { text: 'x' } } });
    expect(model.status).toBe(400);
    expect(model.json.error).toMatchObject({ param: 'app.model', message: expect.stringContaining('nope') });

    const builtin = await call(gw, '/api/apps/test', { key: KEYS.staff, body: { app: definition('chat'), inputs: { text: 'x' } } });
    expect(builtin.status).toBe(400);
    expect(builtin.json.error).toMatchObject({ param: 'app.id' });

    const noApp = await call(gw, '/api/apps/test', { key: KEYS.staff, body: { inputs: { text: 'x' } } });
    expect(noApp.status).toBe(400);
    expect(noApp.json.error.param).toBe('app');

    const required = await call(gw, '/api/apps/test', { key: KEYS.staff, body: { app: definition('broken-inputs'), inputs: {} } });
    expect(required.status).toBe(400);
    expect(required.json.error.message).toContain('"text"');

    expect(up.requests.length).toBe(before);
    const list = await call(gw, '/api/apps', { key: KEYS.admin });
    expect(list.json.filter((a: any) => a.id.startsWith('broken-'))).toEqual([]);
  });

  it('whoever may create apps may test one: 401 without a key, 403 for an auditor, another tenant is refused', async () => {
    const body = { app: definition('kaigi-roles'), inputs: { text: '定例会議のメモ' } };
    expect((await call(gw, '/api/apps/test', { body })).status).toBe(401);
    const auditor = await call(gw, '/api/apps/test', { key: KEYS.auditor, body });
    expect(auditor.status).toBe(403);
    expect(auditor.json.error.type).toBe('permission_error');
    for (const key of [KEYS.reviewer, KEYS.admin, KEYS.other]) expect((await call(gw, '/api/apps/test', { key, body })).status).toBe(200);
    const foreignTenant = await call(gw, '/api/apps/test', { key: KEYS.other, body: { ...body, app: { ...body.app, tenant: 'minato' } } });
    expect(foreignTenant.status).toBe(403);
  });

  it('is governed like a saved run: the model clearance policy applies and the block is audited', async () => {
    // Personal data (level 2) to the foreign model (clearance 1): this config blocks level 2.
    const app = { ...definition('kaigi-foreign'), model: 'foreign' };
    const r = await call(gw, '/api/apps/test', { key: KEYS.staff, body: { app, inputs: { text: '連絡先は 090-1234-5678 です' } } });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('confidentiality_exceeds_clearance');
    const audit = await call(gw, '/api/audit?action=policy.decision&limit=1000', { key: KEYS.auditor });
    expect(audit.json.events.some((e: any) => e.app === 'kaigi-foreign' && e.outcome === 'block')).toBe(true);
  });

  it('a .docx from the API comes signed: the provenance manifest is returned beside it and embedded in it, and verifies', async () => {
    const inputs = { kind: 'お知らせ', title: '図書館の休館', body: '図書館を臨時に休館します。', date: '2024-04-01' };
    const r = await call(gw, '/api/apps/drafting/run', { key: KEYS.staff, body: { inputs } });
    expect(r.status).toBe(200);
    expect(r.json.provenance).toMatchObject({ app: 'drafting', audit_event_id: r.json.auditId, output: { file: 'drafting.docx', hash_method: 'docx-parts-sha256' }, signature: { alg: 'Ed25519' } });
    const dir = tempDir();
    const file = path.join(dir, 'notice.docx');
    fs.writeFileSync(file, Buffer.from(r.json.docx, 'base64'));
    expect(await verifyProvenance(file)).toMatchObject({ ok: true, manifest: 'embedded', problems: [] });
    // The manifest returned beside the document is the one inside it.
    expect(JSON.parse((await readDocxProperty(fs.readFileSync(file)))!)).toEqual(r.json.provenance);
    // A changed document no longer verifies.
    const tampered = path.join(dir, 'tampered.docx');
    const zip = await JSZip.loadAsync(fs.readFileSync(file));
    const xml = await zip.file('word/document.xml')!.async('string');
    zip.file('word/document.xml', xml.replace('図書館', '体育館'));
    fs.writeFileSync(tampered, await zip.generateAsync({ type: 'nodebuffer' }));
    expect((await verifyProvenance(tampered)).ok).toBe(false);
  });
});
