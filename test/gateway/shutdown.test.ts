import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';
import { startUpstream } from '../helpers/upstream.js';
import { KEYS, startTestGateway, testConfig, upstreamModels } from './helpers.js';

describe('graceful shutdown', () => {
  it('finishes an in-flight stream, refuses new connections, then closes', async () => {
    const up = await startUpstream({ chunkDelayMs: 40 });
    const gw = await startTestGateway(testConfig({ models: upstreamModels(up.url), server: { shutdownGraceMs: 30_000 } }));
    try {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEYS.staff}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'up', stream: true, messages: [{ role: 'user', content: 'これは 少し 長めの 返事に なる 質問 です' }] }),
      });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toContain('chat.completion.chunk');

      let closed = false;
      const closing = gw.close().then(() => (closed = true));
      await new Promise((r) => setTimeout(r, 50));
      // no new connections while draining
      const refused = await fetch(`${gw.url}/healthz`, { headers: { connection: 'close' } }).then(
        () => false,
        () => true,
      );
      expect(refused).toBe(true);
      expect(closed).toBe(false);

      let text = new TextDecoder().decode(first.value);
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      expect(text).toContain('data: [DONE]');
      const content = [...text.matchAll(/"content":"([^"]*)"/g)].map((m) => m[1]).join('');
      expect(content).toBe('echo: これは 少し 長めの 返事に なる 質問 です');
      // Closes once the stream has ended: the client's kept-alive connection, idle now, does not hold it for the grace period.
      const ended = Date.now();
      await closing;
      expect(Date.now() - ended).toBeLessThan(5000);
      expect(closed).toBe(true);
    } finally {
      await gw.close();
      await up.close();
    }
  });
});

describe('a port already in use', () => {
  it('`hiraga serve` says so in one line and exits (exit 2) instead of staying up with nothing listening', async () => {
    const taken = http.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as AddressInfo).port;
    const dataDir = tempDir('hiraga-port-');
    try {
      // Before the fix the process stayed up (store, threads and timers open): this call never returned.
      const r = await runCli(['serve', '--port', String(port), '--data-dir', dataDir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      taken.close();
    }
  }, 60_000);
});
