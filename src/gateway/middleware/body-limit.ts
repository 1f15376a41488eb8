import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { HiragaError } from '../../core/errors.js';
import type { GatewayEnv } from '../env.js';

/** 413 when the request body is larger than `maxBytes` (checked on Content-Length and while streaming). */
export function bodyLimit({ maxBytes }: { maxBytes: number }): MiddlewareHandler<GatewayEnv> {
  return honoBodyLimit({
    maxSize: maxBytes,
    onError() {
      throw new HiragaError('bad_input', `リクエスト本文が大きすぎます（上限 ${maxBytes} バイト） / the request body is larger than the limit of ${maxBytes} bytes; send less text or split it`, {
        reason: 'body_too_large',
      });
    },
  });
}
