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

  it.skipIf(!gguf)('ends the reply at a stop sequence and repeats itself for a seed (needs HIRAGA_TEST_GGUF)', async () => {
    const reg = registryOf([entry(gguf!)]);
    const ask = (generation: object) => callModel(reg, 'local', { messages: [{ role: 'user', content: '1から10まで、読点で区切って数字だけ並べてください。' }], maxTokens: 48, temperature: 0.8, generation });
    const free = await ask({ seed: 7 });
    const again = await ask({ seed: 7 });
    expect(again.result.content).toBe(free.result.content);
    // A stop sequence taken from the middle of that reply: the same seed writes the same text up to it, and no further.
    const text = free.result.content;
    const stop = text.slice(Math.floor(text.length / 2), Math.floor(text.length / 2) + 2);
    const stopped = await ask({ seed: 7, stop: [stop] });
    expect(stopped.result.content.trimEnd()).toBe(text.slice(0, text.indexOf(stop)).trimEnd());
    await reg.close();
  });
});
