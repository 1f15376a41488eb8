import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON logs on stderr (stdout stays for what the operator must read, like the first admin key).
 * Level from HIRAGA_LOG_LEVEL (default info); `silent` for tests, or another `destination` to read what is logged.
 */
export function createLogger(level = process.env.HIRAGA_LOG_LEVEL || 'info', destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino({ level, base: { svc: 'hiraga-gateway', pid: process.pid }, redact: { paths: ['req.headers.authorization', '*.apiKey', '*.key'], censor: '***' } }, destination);
}
