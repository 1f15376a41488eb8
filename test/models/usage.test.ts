import { describe, expect, it } from 'vitest';
import { costJpy, energyWh, estimateTokens, usageOrEstimate } from '../../src/models/usage.js';

describe('usage', () => {
  it('estimates Japanese at about one token per kanji and fewer per kana; Latin at about four characters per token', () => {
    expect(estimateTokens('住民票')).toBe(3);
    expect(estimateTokens('ください')).toBe(3);
    expect(estimateTokens('application')).toBe(3);
    expect(estimateTokens('住民票の写しを請求します。')).toBeGreaterThan(estimateTokens('request a copy'));
    expect(estimateTokens('')).toBe(0);
  });

  it('prefers the provider report and marks estimates', () => {
    const messages = [{ role: 'user' as const, content: '申請書の書き方' }];
    expect(usageOrEstimate({ prompt_tokens: 7, completion_tokens: 3 }, messages, 'x')).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    const est = usageOrEstimate(null, messages, '申請書は窓口で受け取れます。');
    expect(est.estimated).toBe(true);
    expect(est.total_tokens).toBe(est.prompt_tokens + est.completion_tokens);
    expect(est.completion_tokens).toBeGreaterThan(5);
  });

  it('computes cost in JPY from per-1k prices and energy as watts × busy seconds / 3600', () => {
    const usage = { prompt_tokens: 2000, completion_tokens: 500, total_tokens: 2500 };
    expect(costJpy({ priceInputPer1k: 0.3, priceOutputPer1k: 1.2 }, usage)).toBeCloseTo(1.2);
    expect(energyWh({ watts: 360 }, 10_000)).toBeCloseTo(1);
    expect(energyWh({}, 10_000)).toBe(0);
  });
});
