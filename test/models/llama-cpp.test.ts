import { describe, expect, it } from 'vitest';
import { HiragaError } from '../../src/core/errors.js';
import { createProvider } from '../../src/models/providers/index.js';
import { callModel } from '../../src/models/resilience/call.js';
import { providerContract } from './provider-contract.js';
import { models, registryOf } from './setup.js';

const gguf = process.env.HIRAGA_TEST_GGUF;
const entry = (path: string) => ({ id: 'local', provider: 'llama-cpp', path, contextSize: 1024, maxConcurrency: 1, timeoutMs: 300_000 });

providerContract(
  'llama-cpp',
  {
    provider: () => createProvider(models([entry(gguf ?? 'unset.gguf')])[0]!, { env: {} }),
    request: { messages: [{ role: 'user', content: '「こんにちは」とだけ答えてください。' }], maxTokens: 16, temperature: 0 },
  },
  gguf ? {} : { skip: 'HIRAGA_TEST_GGUF is not set to a .gguf model file' },
);

describe('llama-cpp', () => {
  it('names the model and the missing file when the GGUF path does not exist', async () => {
    const reg = registryOf([entry('/nonexistent/model-q4.gguf')]);
    const e = await callModel(reg, 'local', { messages: [{ role: 'user', content: 'x' }] }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(HiragaError);
    expect((e as HiragaError).message).toBe('model "local": GGUF file not found: /nonexistent/model-q4.gguf (set "path" to a .gguf model file)');
  });

  it.skipIf(!gguf)('shares one loaded model between two entries with the same path (needs HIRAGA_TEST_GGUF)', async () => {
    const reg = registryOf([entry(gguf!), { ...entry(gguf!), id: 'local2' }]);
    const [a, b] = await Promise.all([
      callModel(reg, 'local', { messages: [{ role: 'user', content: '1+1は？' }], maxTokens: 8, temperature: 0 }),
      callModel(reg, 'local2', { messages: [{ role: 'user', content: '1+1は？' }], maxTokens: 8, temperature: 0 }),
    ]);
    expect(a.usage.estimated).toBeUndefined();
    expect(a.result.content).toBe(b.result.content);
    await reg.close();
  });
});
