import { describe, expect, it } from 'vitest';
import { createProvider } from '../../src/models/providers/index.js';
import { EXTRACTIVE_NO_CHAT } from '../../src/models/providers/extractive.js';
import { providerContract } from './provider-contract.js';
import { models } from './setup.js';

const passages = [
  { n: 1, source: 'juminhyo.md', chunk: 0, heading: '住民票の写しの交付', text: '住民票の写しの交付手数料は1通300円です。窓口は区役所1階の区民課です。' },
  { n: 2, source: 'inkan.md', chunk: 0, heading: '印鑑登録', text: '印鑑登録には本人確認書類が必要です。' },
];
const provider = () => createProvider(models([{ id: 'extractive', provider: 'extractive' }])[0]!, { env: {} });

providerContract('extractive', {
  provider,
  request: { messages: [{ role: 'user', content: '住民票の写しの交付手数料はいくらですか' }], passages },
});

describe('extractive model', () => {
  it('is domestic, on-prem and cleared for level 3 by default', () => {
    expect(provider().info).toMatchObject({ origin: 'domestic', hosting: 'on-prem', clearance: 3 });
  });

  it('answers by quoting the passage that supports the question, with its citation', async () => {
    const r = await provider().chat({ messages: [{ role: 'user', content: '住民票の写しの交付手数料はいくらですか' }], passages });
    expect(r.abstained).toBe(false);
    expect(r.content).toContain('300円');
    expect(r.citations?.[0]).toMatchObject({ source: 'juminhyo.md', chunk: 0 });
    expect(r.usage.estimated).toBe(true);
  });

  it('abstains with 資料に記載が見当たりません when a search ran and found no passage (passages: [])', async () => {
    const r = await provider().chat({ messages: [{ role: 'user', content: '住民票の写しの交付手数料はいくらですか' }], passages: [] });
    expect(r.content).toContain('資料に記載が見当たりません。');
    expect(r.content).not.toBe(EXTRACTIVE_NO_CHAT);
    expect(r.abstained).toBe(true);
    expect(r.citations).toEqual([]);
  });

  it('says honestly, in Japanese and English, that it cannot chat without passages', async () => {
    const r = await provider().chat({ messages: [{ role: 'user', content: '今日の天気は？' }] });
    expect(r.content).toBe(EXTRACTIVE_NO_CHAT);
    expect(r.content).toContain('生成AI（LLM）ではありません');
    expect(r.content).toContain('not a large language model');
    expect(r.abstained).toBe(true);
    expect(r.citations).toEqual([]);
  });
});
