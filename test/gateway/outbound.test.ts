/**
 * Outbound requests go only to the configured model and embedding URLs: a URL a caller puts anywhere in a
 * request — image and file parts, tool and schema definitions, hosted tools, stored-response ids, app inputs,
 * HTML it uploads for ingest — is never fetched. A trap server on 127.0.0.1 counts every connection it gets;
 * the test asserts it got none, while the configured upstream did get the calls that were valid.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, KEYS, startTestGateway, testConfig, upstreamModels } from './helpers.js';

let up: Upstream;
let gw: RunningGateway;
let trap: http.Server;
let trapped = 0;
let TRAP = '';

beforeAll(async () => {
  trap = http.createServer((req, res) => {
    trapped++;
    res.end('{}');
  });
  trap.on('connection', () => trapped++);
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  TRAP = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
  up = await startUpstream();
  gw = await startTestGateway(testConfig({ models: upstreamModels(up.url) }));
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
  await new Promise((r) => trap?.close(r));
});

describe('no user-supplied URL is fetched', () => {
  it('on chat completions, the Responses API, embeddings and apps — whatever the status', async () => {
    const upBefore = up.requests.length;
    const img = `${TRAP}/image.png`;
    const schemaRef = { type: 'object', properties: { a: { $ref: `${TRAP}/schema.json` } } };
    const bodies: Array<[string, unknown]> = [
      ['/v1/chat/completions', { model: 'up', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: img } }] }] }],
      ['/v1/chat/completions', { model: 'up', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: img, format: 'wav' } }] }] }],
      ['/v1/chat/completions', { model: 'up', messages: [{ role: 'user', content: `この画像を見て ${img}` }] }],
      ['/v1/chat/completions', { model: img, messages: [{ role: 'user', content: 'x' }] }],
      ['/v1/chat/completions', { model: 'up', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f', parameters: schemaRef } }] }],
      ['/v1/chat/completions', { model: 'up', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema', json_schema: { name: 'n', schema: schemaRef } } }],
      ['/v1/chat/completions', { model: 'up', messages: [{ role: 'user', content: 'x' }], hiraga: { collection: img } }],
      ['/v1/responses', { model: 'up', input: [{ role: 'user', content: [{ type: 'input_image', image_url: img }] }] }],
      ['/v1/responses', { model: 'up', input: [{ role: 'user', content: [{ type: 'input_file', file_url: `${TRAP}/doc.pdf` }] }] }],
      ['/v1/responses', { model: 'up', input: 'x', tools: [{ type: 'mcp', server_label: 'm', server_url: `${TRAP}/mcp` }] }],
      ['/v1/responses', { model: 'up', input: 'x', tools: [{ type: 'web_search' }] }],
      ['/v1/responses', { model: 'up', input: 'x', tools: [{ type: 'file_search', vector_store_ids: [img] }] }],
      ['/v1/responses', { model: 'up', input: 'x', previous_response_id: img }],
      ['/v1/responses', { model: 'up', input: `要約して ${img}`, text: { format: { type: 'json_schema', name: 'n', schema: schemaRef } } }],
      ['/v1/embeddings', { model: 'up', input: img }],
      ['/api/apps/summarise/run', { inputs: { text: `${img} の内容を要約` } }],
      ['/api/apps/translate/run', { inputs: { text: img } }],
    ];
    for (const [route, body] of bodies) {
      const r = await call(gw, route, { key: KEYS.staff, body });
      expect(r.status, `${route}: ${r.text.slice(0, 200)}`).toBeLessThan(500);
    }
    // Give anything that might have been started a moment to connect.
    await new Promise((r) => setTimeout(r, 200));
    expect(trapped).toBe(0);
    // The valid calls did go out — to the configured upstream only.
    expect(up.requests.length).toBeGreaterThan(upBefore);
  });

  it('when ingesting HTML that links images, scripts, styles and frames elsewhere', async () => {
    const html = `<!doctype html><html><head><link rel="stylesheet" href="${TRAP}/a.css"><script src="${TRAP}/a.js"></script><base href="${TRAP}/"></head>
<body><h1>お知らせ</h1><img src="${TRAP}/a.png"><iframe src="${TRAP}/frame"></iframe><object data="${TRAP}/o"></object>
<p>窓口の受付時間は午前8時30分から午後5時15分までです。<a href="${TRAP}/more">詳しく</a></p></body></html>`;
    const form = new FormData();
    form.append('files', new Blob([html], { type: 'text/html' }), 'oshirase.html');
    const res = await fetch(`${gw.url}/api/collections/trapcheck/ingest`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.staff}` }, body: form });
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: string };
    let state = '';
    for (let i = 0; i < 100 && state !== 'done' && state !== 'failed'; i++) {
      state = (await call(gw, `/api/jobs/${job}`, { key: KEYS.staff })).json.state;
      if (state !== 'done') await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('done');
    const hits = await call(gw, '/api/search', { key: KEYS.staff, body: { collection: 'trapcheck', query: '受付時間' } });
    expect(hits.json.hits[0].text).toContain('午前8時30分');
    await new Promise((r) => setTimeout(r, 200));
    expect(trapped).toBe(0);
  });
});
