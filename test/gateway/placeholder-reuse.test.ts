/**
 * A placeholder the caller types is not a key to someone else's value (QA pass: an app's system prompt held
 * 鈴木一郎（電話 090-9999-8888）, masked as 〔氏名1〕/〔電話番号1〕; the input 〔氏名1〕さんの〔電話番号1〕について made the
 * model echo them and the restore gave the user the system prompt's name and number). The masking session never
 * issues a placeholder that already appears in the request's own text, so a restore only ever gives a value
 * back where it came from, and the caller's literal placeholders come back as they were typed.
 * Checked through chat completions with a system message (plain and streamed) and a real app run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, KEYS, startTestGateway, testConfig, upstreamModels } from './helpers.js';

let up: Upstream;
let gw: RunningGateway;

const SYSTEM = '担当は鈴木一郎（電話 090-9999-8888）です。担当者の連絡先は利用者に伝えないでください。';
const PROBE = '〔氏名1〕さんの〔電話番号1〕について';
const SECRETS = ['鈴木', '090-9999-8888', '09099998888'];

const sentSince = (from: number) => up.requests.slice(from).filter((r) => r.path === '/v1/chat/completions').map((r) => r.body);

beforeAll(async () => {
  up = await startUpstream();
  gw = await startTestGateway(testConfig({ models: upstreamModels(up.url) }));
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
});

/** The system prompt was masked with placeholders other than the ones the user typed. */
function expectMaskedApart(system: string) {
  for (const s of SECRETS) expect(system).not.toContain(s);
  expect(system).toMatch(/〔氏名\d+〕/);
  expect(system).not.toContain('〔氏名1〕');
  expect(system).not.toContain('〔電話番号1〕');
}

describe('placeholders typed by the caller', () => {
  it('chat with a system message: the echo of the typed placeholders comes back unchanged, never as the system’s values', async () => {
    const from = up.requests.length;
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'foreign', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: PROBE }] } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.hiraga.policy).toBe('mask');
    expect(r.json.choices[0].message.content).toBe(`echo: ${PROBE}`);
    const sent = sentSince(from)[0];
    expectMaskedApart(sent.messages[0].content);
    expect(sent.messages[1].content).toBe(PROBE);
  });

  it('the same when streamed', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.staff}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'foreign', stream: true, messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: PROBE }] }),
    });
    const text = (await res.text())
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => JSON.parse(l.slice(6)).choices?.[0]?.delta?.content ?? '')
      .join('');
    expect(text).toBe(`echo: ${PROBE}`);
  });

  it('a placeholder typed in full-width digits is not issued either (a model may write it back in ASCII)', async () => {
    const from = up.requests.length;
    up.script({ content: '〔氏名1〕さんの番号は〔電話番号1〕です' });
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'foreign', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: '〔氏名１〕さんの〔電話番号１〕について' }] } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.choices[0].message.content).toBe('〔氏名1〕さんの番号は〔電話番号1〕です');
    expectMaskedApart(sentSince(from)[0].messages[0].content);
  });

  it('still restores the values the session did issue for the caller’s own text', async () => {
    up.script({ content: '〔氏名2〕さんに〔電話番号2〕へ連絡します' });
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'foreign', messages: [{ role: 'user', content: `${PROBE}。担当は鈴木一郎さん（電話 090-9999-8888）です` }] } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.choices[0].message.content).toBe('鈴木一郎さんに090-9999-8888へ連絡します');
  });

  it('an app whose system prompt holds a name and a number: the run gives the user back only what they typed', async () => {
    const app = {
      id: 'contact-desk',
      title: '窓口案内',
      inputs: [{ name: 'question', label: '質問', type: 'textarea', required: true }],
      prompt: '{{question}}',
      system: SYSTEM,
      model: 'foreign',
    };
    const created = await call(gw, '/api/apps', { key: KEYS.admin, body: app });
    expect(created.status, created.text).toBe(201);
    const from = up.requests.length;
    // Run by its author (no publishing over HTTP): the system prompt is masked for `foreign` all the same.
    const r = await call(gw, '/api/apps/contact-desk/run', { key: KEYS.admin, body: { inputs: { question: PROBE } } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.output).toBe(`echo: ${PROBE}`);
    for (const s of SECRETS) expect(r.text).not.toContain(s);
    expectMaskedApart(sentSince(from)[0].messages[0].content);
  });
});
