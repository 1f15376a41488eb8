/**
 * A gateway in a process of its own, for tests that must see whether the process survives (an 'error' event
 * nobody listens to ends it, as it would end `hiraga serve`). Run with tsx:
 *   node --import tsx test/helpers/gateway-process.ts '<config overrides as JSON>'
 * Prints the URL on stdout once listening; logs (warn and above) on stderr; SIGTERM closes it.
 */
import path from 'node:path';
import { createLogger } from '../../src/gateway/log.js';
import { startGateway } from '../../src/gateway/server.js';
import { testConfig } from '../gateway/helpers.js';

const overrides = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const config = testConfig(overrides);
const gw = await startGateway({ config, port: 0, host: '127.0.0.1', logger: createLogger('warn'), webDir: path.join(config.dataDir, 'no-web') });
process.stdout.write(`${gw.url}\n`);
process.once('SIGTERM', () => void gw.close().then(() => process.exit(0)));
