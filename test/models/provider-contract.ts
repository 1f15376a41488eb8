/**
 * The contract every model provider runs (shape after Hono's router/common.case.test.ts):
 * call `providerContract(name, setup)` from a provider's test file.
 */
import { describe, expect, it } from 'vitest';
import { HiragaError } from '../../src/core/errors.js';
import type { ChatDelta, ChatRequest, ModelProvider } from '../../src/models/types.js';

export interface ContractSetup {
  provider(): ModelProvider;
  /** A request this provider can answer. */
  request: ChatRequest;
  embeddings?: boolean;
}

export function providerContract(name: string, setup: ContractSetup, options: { skip?: string } = {}): void {
  const run = options.skip ? it.skipIf(true) : it;
  const title = (t: string) => (options.skip ? `${t} — skipped: ${options.skip}` : t);

  describe(`provider contract: ${name}`, () => {
    run(title('exposes complete trust facts'), () => {
      const info = setup.provider().info;
      expect(info.id).toMatch(/\S/);
      expect(['domestic', 'foreign']).toContain(info.origin);
      expect(['on-prem', 'domestic-cloud', 'foreign-cloud']).toContain(info.hosting);
      expect([1, 2, 3]).toContain(info.clearance);
      expect(Array.isArray(info.fallback)).toBe(true);
    });

    run(title('chat returns content and consistent usage'), async () => {
      const r = await setup.provider().chat(setup.request);
      expect(typeof r.content).toBe('string');
      expect(r.content.length).toBeGreaterThan(0);
      expect(r.usage.prompt_tokens).toBeGreaterThan(0);
      expect(r.usage.completion_tokens).toBeGreaterThan(0);
      expect(r.usage.total_tokens).toBe(r.usage.prompt_tokens + r.usage.completion_tokens);
    });

    run(title('chatStream yields text deltas, then one done whose content is their concatenation'), async () => {
      const deltas: ChatDelta[] = [];
      for await (const d of setup.provider().chatStream(setup.request)) deltas.push(d);
      const last = deltas.at(-1)!;
      expect(last.type).toBe('done');
      expect(deltas.filter((d) => d.type === 'done')).toHaveLength(1);
      const text = deltas.flatMap((d) => (d.type === 'text' ? [d.text] : [])).join('');
      expect(text.length).toBeGreaterThan(0);
      if (last.type === 'done') {
        expect(last.result.content).toBe(text);
        expect(last.result.usage.total_tokens).toBeGreaterThan(0);
      }
    });

    run(title('an aborted signal ends the call with a "cancelled" error naming the model'), async () => {
      const p = setup.provider();
      const ctl = new AbortController();
      ctl.abort(new Error('user pressed Ctrl-C'));
      const err = await p.chat({ ...setup.request, signal: ctl.signal }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(HiragaError);
      expect((err as HiragaError).reason).toBe('cancelled');
      expect((err as HiragaError).message).toContain(`"${p.info.id}"`);
    });

    if (setup.embeddings) {
      run(title('embed returns one vector per text, same dimension, deterministic'), async () => {
        const p = setup.provider();
        const v = await p.embed!(['住民票の写しの交付', '印鑑登録証明書', '住民票の写しの交付']);
        expect(v).toHaveLength(3);
        expect(new Set(v.map((x) => x.length)).size).toBe(1);
        expect(v[0]).toEqual(v[2]);
        expect(v[0]).not.toEqual(v[1]);
      });
    }
  });
}
