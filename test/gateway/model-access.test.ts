/**
 * Models limited to some tenants (`models[].tenants`, e.g. a domestic model on trial with one pilot
 * organisation): GET /v1/models shows each caller what it may use; other tenants get 404 as for a model that
 * does not exist (on chat, embeddings and the models route), nothing is sent, and the fallback chain never
 * hands their calls to such a model.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { apiKeys, call, KEYS, startTestGateway, testConfig, upstreamModels } from './helpers.js';

let up: Upstream;
let gw: RunningGateway;

const ADMIN_CHIYODA = 'key-admin-chiyoda-0001';
/** Keys limited to some models (auth.apiKeys[].models). */
const EMBED_ONLY = 'key-batch-embed-only-01';
const PRIMARY_ONLY = 'key-bot-primary-only-01';
const sentSince = (from: number) => up.requests.slice(from).map((r) => r.body?.model);
const clientFor = (key: string) => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 });

beforeAll(async () => {
  up = await startUpstream();
  const onUpstream = (id: string, extra: Record<string, unknown>) => ({ id, provider: 'openai-compatible', baseUrl: up.url, model: `${id}-model`, origin: 'domestic', hosting: 'on-prem', clearance: 3, retries: 0, ...extra });
  gw = await startTestGateway(
    testConfig({
      models: [
        ...upstreamModels(up.url),
        // On trial with Chiyoda only.
        onUpstream('pilot', { tenants: ['chiyoda'], embeddingModel: 'pilot-embed' }),
        onUpstream('primary', { fallback: ['pilot', 'backup'] }),
        onUpstream('backup', {}),
      ],
      auth: {
        apiKeys: [
          ...apiKeys(),
          { key: ADMIN_CHIYODA, user: 'admin9', role: 'admin', tenant: 'chiyoda' },
          { key: EMBED_ONLY, user: 'batch-embed', role: 'staff', tenant: 'minato', models: ['up'] },
          { key: PRIMARY_ONLY, user: 'bot', role: 'staff', tenant: 'minato', models: ['primary'] },
        ],
      },
    }),
  );
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
});

describe('models limited to some tenants', () => {
  it('GET /v1/models lists a limited model only to its tenants, and /v1/models/:id answers 404 to the others', async () => {
    const ids = async (key: string) => (await clientFor(key).models.list()).data.map((m) => m.id);
    expect(await ids(KEYS.staff)).not.toContain('pilot');
    expect(await ids(KEYS.other)).toContain('pilot');
    expect(await ids(KEYS.staff)).toContain('primary');
    expect((await call(gw, '/v1/models/pilot', { key: KEYS.staff })).status).toBe(404);
    expect((await call(gw, '/v1/models/pilot', { key: KEYS.other })).json).toMatchObject({ id: 'pilot', tenants: ['chiyoda'] });
  });

  it('refuses a chat call on it from another tenant as for a model that does not exist, and sends nothing', async () => {
    const from = up.requests.length;
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'pilot', messages: [{ role: 'user', content: '試行モデルで' }] } });
    expect(r.status).toBe(404);
    expect(r.json.error).toMatchObject({ code: 'model_not_found', param: 'model' });
    expect(sentSince(from)).toEqual([]);
    const ok = await clientFor(KEYS.other).chat.completions.create({ model: 'pilot', messages: [{ role: 'user', content: '試行モデルで' }] });
    expect(ok.choices[0]!.message.content).toBe('echo: 試行モデルで');
  });

  it('names only the caller’s models when a model is unknown', async () => {
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'nope', messages: [{ role: 'user', content: 'x' }] } });
    expect(r.status).toBe(404);
    expect(r.json.error.message).toContain('primary');
    expect(r.json.error.message).not.toContain('pilot');
  });

  it('never falls back to it for another tenant’s call, and does for its own', async () => {
    let from = up.requests.length;
    up.script([{ status: 500 }]);
    await clientFor(KEYS.staff).chat.completions.create({ model: 'primary', messages: [{ role: 'user', content: '予備へ' }] });
    expect(sentSince(from)).toEqual(['primary-model', 'backup-model']);

    from = up.requests.length;
    up.script([{ status: 500 }]);
    await clientFor(KEYS.other).chat.completions.create({ model: 'primary', messages: [{ role: 'user', content: '予備へ' }] });
    expect(sentSince(from)).toEqual(['primary-model', 'pilot-model']);
  });

  it('refuses embeddings on it from another tenant the same way', async () => {
    const from = up.requests.length;
    const r = await call(gw, '/v1/embeddings', { key: KEYS.staff, body: { model: 'pilot', input: '埋め込み' } });
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('model_not_found');
    expect(sentSince(from)).toEqual([]);
    expect((await call(gw, '/v1/embeddings', { key: KEYS.other, body: { model: 'pilot', input: '埋め込み' } })).status).toBe(200);
  });

  it('refuses an app naming it from another tenant as an app naming no model (save, try out, run): its existence is not told', async () => {
    const app = (model: string) => ({ id: `app-${model}`, title: '試行', description: '試行モデルで要約', inputs: [{ name: 'text', label: '本文', type: 'textarea', required: true }], prompt: '要約: {{text}}', model });
    // The same answer with the model's name taken out.
    const same = (r: { status: number; json: any }, model: string) => ({ status: r.status, error: { ...r.json.error, request_id: undefined, message: String(r.json.error.message).replaceAll(model, '<model>') } });
    const from = up.requests.length;
    for (const [path, body, status] of [
      ['/api/apps', (m: string) => app(m), 400],
      ['/api/apps/test', (m: string) => ({ app: app(m), inputs: { text: '本文です' } }), 400],
      // A model named for a run is the route's to check, as on /v1/chat/completions.
      ['/api/apps/summarise/run', (m: string) => ({ inputs: { text: '本文です' }, model: m }), 404],
    ] as const) {
      const unknown = await call(gw, path, { key: KEYS.staff, body: body('nope') });
      expect(unknown.status, `${path} nope: ${unknown.text}`).toBe(status);
      const pilot = await call(gw, path, { key: KEYS.staff, body: body('pilot') });
      expect(same(pilot, 'pilot'), path).toEqual(same(unknown, 'nope'));
      // A key limited to other models is refused the same way as when it names no model.
      const limited = await call(gw, path, { key: EMBED_ONLY, body: body('primary') });
      expect(same(limited, 'primary'), path).toEqual(same(await call(gw, path, { key: EMBED_ONLY, body: body('nope') }), 'nope'));
    }
    expect(sentSince(from)).toEqual([]);
    // Its own tenant saves and tries it out.
    expect((await call(gw, '/api/apps', { key: KEYS.other, body: app('pilot') })).status).toBe(201);
    const ok = await call(gw, '/api/apps/test', { key: KEYS.other, body: { app: app('pilot'), inputs: { text: '本文です' } } });
    expect(ok.status).toBe(200);
    expect(sentSince(from)).toEqual(['pilot-model']);
  });

  it('shows an admin the models of their own tenant in the policy view', async () => {
    const models = async (key: string) => ((await call(gw, '/api/admin/policies', { key })).json.models as Array<{ id: string }>).map((m) => m.id);
    expect(await models(KEYS.admin)).not.toContain('pilot');
    expect(await models(ADMIN_CHIYODA)).toContain('pilot');
  });
});

describe('keys limited to some models (auth.apiKeys[].models)', () => {
  it('lists only the key’s models, and refuses any other as for a model that does not exist, sending nothing', async () => {
    expect((await clientFor(EMBED_ONLY).models.list()).data.map((m) => m.id)).toEqual(['up']);
    const from = up.requests.length;
    for (const [path, body] of [
      ['/v1/chat/completions', { model: 'foreign', messages: [{ role: 'user', content: 'x' }] }],
      ['/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] }], // the default model is "up": allowed
      ['/v1/embeddings', { model: 'backup', input: 'x' }],
      ['/v1/responses', { model: 'primary', input: 'x' }],
    ] as const) {
      const r = await call(gw, path, { key: EMBED_ONLY, body });
      if ('model' in body) {
        expect(r.status, `${path} ${body.model}`).toBe(404);
        expect(r.json.error.message).toContain('use one of: up');
      } else expect(r.status).toBe(200);
    }
    expect(sentSince(from)).toEqual(['upstream-model']);
    expect((await call(gw, '/v1/embeddings', { key: EMBED_ONLY, body: { model: 'up', input: '埋め込み' } })).status).toBe(200);
  });

  it('never falls back to a model outside the key’s list; the error and the audit event say why', async () => {
    const from = up.requests.length;
    up.script([{ status: 500 }]);
    const r = await call(gw, '/v1/chat/completions', { key: PRIMARY_ONLY, body: { model: 'primary', messages: [{ role: 'user', content: '予備へ' }] } });
    expect(r.status).toBe(502);
    // primary failed; its fallbacks backup (open to the tenant) and pilot are not among the key's models.
    expect(sentSince(from)).toEqual(['primary-model']);
    expect(r.json.error.message).toContain('"backup" skipped: not among the models this key may use');
    expect(r.json.error.message).toContain('"pilot" skipped: not among the models this key may use');
    // The failed call is in the audit trail all the same: the request had been sent to primary.
    const events = (await call(gw, '/api/audit?limit=5', { key: KEYS.auditor })).json.events as Array<{ actor: { user: string }; action: string; outcome: string; model: { id: string }; detail: { error: string } }>;
    expect(events.find((e) => e.actor.user === 'bot')).toMatchObject({ action: 'model.call', outcome: 'error', model: { id: 'primary' }, detail: { error: 'server_error' } });
  });

  it('shows admins which models a key is limited to; a model that does not exist is a config error', async () => {
    const users = (await call(gw, '/api/admin/users', { key: KEYS.admin })).json as Array<{ user: string; models?: string[] }>;
    expect(users.find((u) => u.user === 'batch-embed')?.models).toEqual(['up']);
    expect(users.find((u) => u.user === 'staff1')?.models).toBeUndefined();
    expect(() => testConfig({ models: upstreamModels(up.url), auth: { apiKeys: [{ key: EMBED_ONLY, user: 'x', models: ['nope'] }] } })).toThrow(/auth\.apiKeys\[0\]\.models\[0\] = "nope" names no model/);
  });
});
