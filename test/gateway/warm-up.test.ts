import { describe, expect, it } from 'vitest';
import { startUpstream } from '../helpers/upstream.js';
import { call, KEYS, startTestGateway, testConfig, upstreamModels } from './helpers.js';

describe('warm-up before listening', () => {
  it('builds the router before the first request, and records, sends and counts nothing', async () => {
    const up = await startUpstream();
    const gw = await startTestGateway(testConfig({ models: upstreamModels(up.url) }));
    try {
      // Hono's SmartRouter names the router it chose once it has been built: by the warm-up, not by a request.
      expect((gw.app.router as { name: string }).name).toMatch(/^SmartRouter \+ /);
      // Nothing went to a model server, nothing was audited or accounted, no request was counted.
      expect(up.requests).toHaveLength(0);
      expect(up.connections()).toBe(0);
      expect(await gw.services.audit.query()).toEqual([]);
      expect(await gw.services.usage.query({ tenant: undefined, groupBy: 'tenant' })).toEqual([]);
      const metrics = await call(gw, '/metrics');
      expect(metrics.text).not.toMatch(/hiraga_http_requests_total\{[^}]*route="(?!\/metrics")/);
      expect(metrics.text).not.toMatch(/hiraga_guard_findings_total\{/);

      // The first real call is the log's first event, and the chain is whole.
      const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: '総務課の山田太郎です。会議室の予約方法を教えてください。' }] } });
      expect(r.status).toBe(200);
      const events = await gw.services.audit.query();
      expect(events.map((e) => e.id)).toEqual([1]);
      expect((await gw.services.audit.verify()).ok).toBe(true);
      expect(up.requests).toHaveLength(1);
    } finally {
      await gw.close();
      await up.close();
    }
  });
});
