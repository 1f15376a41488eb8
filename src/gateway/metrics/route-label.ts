import type { Context } from 'hono';
import { matchedRoutes, routePath } from 'hono/route';

const wildcard = (path: string) => !path || path === '*' || path.endsWith('/*');

/**
 * The `route` label of a finished request: the registered pattern (`/v1/chat/completions`,
 * `/api/collections/:name`), never the raw path, so a random path or name adds no series.
 *
 * After next(), Hono's route index points at what responded. When that is a middleware (`/v1/*`: the key was
 * refused with 401, a rate limit answered 429, the body was too large), the label is the route the request was
 * for — the first handler registered for its method and path — so a dashboard of /v1/chat/completions sees its
 * 401s and 429s. No such route: `unmatched` (404), `static` (the web UI's files), or the middleware's pattern.
 */
export function routeLabel(c: Context): string {
  const responded = routePath(c);
  if (!wildcard(responded)) return responded;
  const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
  for (const r of matchedRoutes(c)) if (r.method === method && !wildcard(r.path)) return r.path;
  if (!responded || responded === '*' || responded === '/*') return c.res.status === 404 ? 'unmatched' : 'static';
  return responded;
}
