import fs from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import type { GatewayEnv } from '../env.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

const NOT_BUILT = `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>hiraga</title></head>
<body><h1>hiraga ゲートウェイ</h1>
<p>Web画面はまだビルドされていません。<code>npm run build:web</code> を実行してください。API は <a href="/openapi.json">/openapi.json</a> をご覧ください。</p>
<p lang="en">The web UI is not built yet: run <code>npm run build:web</code>. The API is described at <a href="/openapi.json">/openapi.json</a>.</p>
</body></html>`;

/**
 * The web UI from `dir` (dist/web) at /. Unknown paths without an extension get index.html (the
 * single-page app routes itself, e.g. /oidc/callback, where the identity provider sends the browser
 * back after sign-in); paths never leave `dir`. /api/, /v1/ and /auth/ never fall back to the UI.
 */
export function staticRoutes({ dir }: { dir: string }) {
  const app = new Hono<GatewayEnv>();
  const root = path.resolve(dir);

  app.get('/*', async (c) => {
    const rel = decodeURIComponent(c.req.path);
    if (rel.startsWith('/api/') || rel.startsWith('/v1/') || rel.startsWith('/auth/')) return c.notFound();
    const wanted = path.resolve(root, '.' + (rel.endsWith('/') ? rel + 'index.html' : rel));
    if (wanted !== root && !wanted.startsWith(root + path.sep)) return c.notFound();
    const index = path.join(root, 'index.html');
    const spaRoute = rel.endsWith('/') || !path.extname(wanted);
    const file = (await isFile(wanted)) ? wanted : spaRoute ? index : null;
    if (!file) return c.notFound();
    if (!(await isFile(file))) return file === index ? c.html(NOT_BUILT) : c.notFound();
    const data = await fs.readFile(file);
    const immutable = file.includes(`${path.sep}assets${path.sep}`);
    return c.body(new Uint8Array(data), 200, {
      'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
  });
  return app;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}
