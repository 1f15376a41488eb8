import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { HiragaError } from '../../core/errors.js';
import type { GatewayEnv } from '../env.js';

/**
 * 413 when the request body is larger than `maxBytes`. A declared Content-Length is checked without
 * touching the body (Node's HTTP parser holds the body to that length); only chunked bodies are
 * counted while streaming, which costs a wrapped request stream.
 */
export function bodyLimit({ maxBytes }: { maxBytes: number }): MiddlewareHandler<GatewayEnv> {
  const tooLarge = () =>
    new HiragaError('bad_input', `リクエスト本文が大きすぎます（上限 ${maxBytes} バイト） / the request body is larger than the limit of ${maxBytes} bytes; send less text or split it`, {
      reason: 'body_too_large',
    });
  const streaming = honoBodyLimit({
    maxSize: maxBytes,
    onError() {
      throw tooLarge();
    },
  });
  return async function limitBody(c, next) {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && /^\d+$/.test(declared)) {
      if (Number(declared) > maxBytes) throw tooLarge();
      return next();
    }
    return streaming(c, next);
  };
}
