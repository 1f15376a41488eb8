/**
 * A call the client abandons mid-stream is in the audit trail: the model had the request, so the call is
 * recorded with outcome "cancelled" (and its input) — whether the abandonment reaches the pipeline as the
 * cancelled upstream call's error or as the stream being closed between two pieces.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, KEYS, startTestGateway, testConfig } from './helpers.js';

let slow: Upstream;
let gw: RunningGateway;

beforeAll(async () => {
  slow = await startUpstream({ chunkDelayMs: 40 });
  gw = await startTestGateway(
    testConfig({ models: [{ id: 'slow', provider: 'openai-compatible', baseUrl: slow.url, model: 'm', origin: 'domestic', hosting: 'on-prem', clearance: 3, retries: 0 }], defaultModel: 'slow' }),
  );
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await slow?.close();
});

describe('a stream the client abandons', () => {
  it.each(['/v1/chat/completions', '/v1/responses'])('is audited as cancelled (%s), with its input', async (route) => {
    const marker = `途中で読むのをやめる質問 ${route}`;
    const body = route === '/v1/responses' ? { input: `${marker} とても長い回答をください`, stream: true } : { stream: true, messages: [{ role: 'user', content: `${marker} とても長い回答をください` }] };
    const url = new URL(gw.url + route);
    // Read the first event, then go away.
    await new Promise<void>((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${KEYS.staff}`, 'content-type': 'application/json' } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.end(JSON.stringify(body));
      setTimeout(() => reject(new Error('no first event')), 5000);
    });
    let event: { outcome: string; detail: { error: string } } | undefined;
    for (let i = 0; i < 100 && !event; i++) {
      const events = (await call(gw, '/api/audit?limit=20', { key: KEYS.auditor })).json.events as Array<{ outcome: string; detail: { error: string }; content?: { input?: string } }>;
      event = events.find((e) => e.content?.input?.includes(marker));
      if (!event) await new Promise((r) => setTimeout(r, 20));
    }
    expect(event).toMatchObject({ outcome: 'cancelled', detail: { error: 'cancelled' } });
  });

  it('is audited as cancelled when its reader stops between two pieces (the pipeline closed at a yield, no error)', async () => {
    const marker = '読むのをやめる内部の呼び出し';
    const it = gw.services.pipeline.stream({ actor: { user: 'staff1', role: 'staff', tenant: 'minato' }, model: 'slow', messages: [{ role: 'user', content: `${marker} とても長い回答をください` }] })[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value).toMatchObject({ type: 'text' });
    await it.return(undefined);
    const events = (await call(gw, '/api/audit?limit=20', { key: KEYS.auditor })).json.events as Array<{ outcome: string; content?: { input?: string } }>;
    expect(events.find((e) => e.content?.input?.includes(marker))).toMatchObject({ outcome: 'cancelled' });
  });
});
