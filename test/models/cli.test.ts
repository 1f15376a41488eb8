import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { freePort } from './setup.js';

let up: Upstream;
let dir: string;
let config: string;
let deadPort: number;
beforeAll(async () => {
  up = await startUpstream({ apiKey: 'sk-cli' });
  dir = tempDir('hiraga-models-cli-');
  deadPort = await freePort();
  config = path.join(dir, 'hiraga.config.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      models: [
        { id: 'extractive', provider: 'extractive' },
        { id: 'up', provider: 'openai-compatible', baseUrl: up.url, model: 'upstream-model', apiKey: 'env:UP_KEY', origin: 'domestic', hosting: 'on-prem', clearance: 3, watts: 300, priceInputPer1k: 0.2, priceOutputPer1k: 0.8, contextWindow: 32768, fallback: ['extractive'] },
        { id: 'dead', provider: 'openai-compatible', baseUrl: `http://127.0.0.1:${deadPort}/v1`, model: 'm', retries: 0, tenants: ['default', 'chiyoda'] },
      ],
      defaultModel: 'extractive',
    }),
  );
});
afterAll(() => up.close());

const cli = (args: string[]) => runCli(['--config', config, '--data-dir', dir, ...args], { env: { UP_KEY: 'sk-cli' } });

describe('hiraga models / chat', () => {
  it('models list --json prints every model with the trust fields', async () => {
    const r = await cli(['models', 'list', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.map((m: { id: string }) => m.id)).toEqual(['extractive', 'up', 'dead']);
    expect(list[1]).toMatchObject({
      id: 'up',
      provider: 'openai-compatible',
      origin: 'domestic',
      hosting: 'on-prem',
      clearance: 3,
      watts: 300,
      priceInputPer1k: 0.2,
      priceOutputPer1k: 0.8,
      contextWindow: 32768,
      fallback: ['extractive'],
    });
    expect(list[2]).toMatchObject({ origin: 'foreign', hosting: 'foreign-cloud', clearance: 1, tenants: ['default', 'chiyoda'] });
    expect(list[1].tenants).toBeUndefined();
    // The operator's list shows every model, and whom a limited one is for.
    expect((await cli(['models', 'list'])).stdout).toMatch(/dead .*組織 tenants: default, chiyoda/);
  });

  it('chat --json prints {model, content, usage} from the model, and --out writes the reply', async () => {
    const out = path.join(dir, 'reply.txt');
    const r = await cli(['chat', '--model', 'up', '--json', '--out', out, '窓口は何時から？']);
    expect(r.stderr).not.toContain('hiraga: error');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ model: 'up', content: 'echo: 窓口は何時から？' });
    expect(j.usage.total_tokens).toBe(j.usage.prompt_tokens + j.usage.completion_tokens);
    expect(fs.readFileSync(out, 'utf8')).toBe('echo: 窓口は何時から？\n');
    expect(up.requests.at(-1)!.body.messages).toEqual([{ role: 'user', content: '窓口は何時から？' }]);
  });

  it('chat streams plain text for a person', async () => {
    const r = await cli(['chat', '--model', 'up', 'こんにちは']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('echo: こんにちは\n');
  });

  it('an unreachable model gives one line naming the model and the cause, and exit 1', async () => {
    const r = await cli(['chat', '--model', 'dead', 'こんにちは']);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('hiraga: error'));
    expect(lines).toEqual([`hiraga: error: model "dead": connection refused at http://127.0.0.1:${deadPort}/v1 (is the server running?)`]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a model limited to other tenants is, for the CLI as for the API, a model that does not exist', async () => {
    const r = await cli(['chat', '--model', 'dead', '--tenant', 'minato', 'こんにちは']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the model "dead" does not exist');
  });

  it('an unknown model is a usage error (exit 2) listing the configured ids', async () => {
    const r = await cli(['chat', '--model', 'nope', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('model "nope" is not configured; configured models: extractive, up, dead');
  });

  it('models test reports latency, tokens/s and that streaming works', async () => {
    const r = await cli(['models', 'test', 'up', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ model: 'up', ok: true, streaming: true });
    expect(j.latencyMs).toBeGreaterThan(0);
    expect(j.tokensPerS).toBeGreaterThan(0);
    const human = await cli(['models', 'test', 'up']);
    expect(human.stdout).toMatch(/streaming\s+OK/);
  });

  it('models test on an unreachable model fails with exit 1', async () => {
    const r = await cli(['models', 'test', 'dead']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('model "dead": connection refused');
  });
});
