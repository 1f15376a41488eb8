/**
 * The floor for any gateway on this machine: a bare HTTP proxy (node:http in, undici out, the same
 * client hiraga uses) with no authentication, guard, policy, audit or metrics. bench:gateway runs it
 * beside hiraga so "what the extra hop costs" and "what governance costs" can be told apart.
 *
 *   node --import tsx bench/support/bare-proxy.ts --port 9303 --upstream http://127.0.0.1:9301
 */
import http from 'node:http';
import { Pool } from 'undici';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const port = Number(arg('port', '9303'));
const upstream = arg('upstream', 'http://127.0.0.1:9301');
const model = arg('model', 'upstream-model');
const pool = new Pool(upstream, { headersTimeout: 0, bodyTimeout: 0 });

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model?: string };
          body.model = model;
          const r = await pool.request({ path: req.url ?? '/', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
          res.writeHead(r.statusCode, { 'content-type': String(r.headers['content-type'] ?? 'application/json') });
          for await (const piece of r.body) res.write(piece);
          res.end();
        } catch (err) {
          if (!res.headersSent) res.writeHead(502);
          res.end(String(err));
        }
      })();
    });
  })
  .listen(port, '127.0.0.1', () => process.stdout.write(`bare proxy listening on ${port}\n`));
