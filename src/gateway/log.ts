import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON logs on stderr (stdout stays for what the operator must read, like the first admin key).
 * Level from HIRAGA_LOG_LEVEL (default info); `silent` for tests.
 */
export function createLogger(level = process.env.HIRAGA_LOG_LEVEL || 'info'): Logger {
  return pino({ level, base: { svc: 'hiraga-gateway', pid: process.pid }, redact: { paths: ['req.headers.authorization', '*.apiKey', '*.key'], censor: '***' } }, pino.destination(2));
}
