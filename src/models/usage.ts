import type { TokenUsage } from '../core/types.js';
import type { ChatMessage, ModelInfo } from './types.js';

/**
 * A Japanese-aware token estimate for when a backend reports no usage.
 * Current tokenizers spend about one token per kanji, a little less per kana, and about
 * one per four characters of Latin text; digits and symbols count one each per run of three.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const run of text.match(/[\p{Script=Han}々〆ヵヶ]+|[\p{Script=Hiragana}\p{Script=Katakana}ー]+|[A-Za-z]+|[0-9０-９]+|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}A-Za-z0-9０-９]+/gu) ?? []) {
    const n = Array.from(run).length;
    if (/\p{Script=Han}|[々〆ヵヶ]/u.test(run)) tokens += n;
    else if (/[\p{Script=Hiragana}\p{Script=Katakana}ー]/u.test(run)) tokens += Math.ceil(n * 0.7);
    else if (/[A-Za-z]/.test(run)) tokens += Math.ceil(n / 4);
    else tokens += Math.ceil(n / 3);
  }
  return tokens;
}

/** Estimated prompt tokens: content plus a small per-message overhead for the chat template. */
export function estimatePromptTokens(messages: ChatMessage[], extraText = ''): number {
  return messages.reduce((n, m) => n + 4 + estimateTokens(m.content), 0) + estimateTokens(extraText) + 2;
}

/** The provider's usage when it reported one, else an estimate marked `estimated: true`. */
export function usageOrEstimate(reported: Partial<TokenUsage> | null | undefined, messages: ChatMessage[], output: string, extraPrompt = ''): TokenUsage {
  if (reported && typeof reported.prompt_tokens === 'number' && typeof reported.completion_tokens === 'number') {
    return {
      prompt_tokens: reported.prompt_tokens,
      completion_tokens: reported.completion_tokens,
      total_tokens: reported.total_tokens ?? reported.prompt_tokens + reported.completion_tokens,
    };
  }
  const prompt = estimatePromptTokens(messages, extraPrompt);
  const completion = estimateTokens(output);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, estimated: true };
}

/** Cost in JPY from the model's prices per 1,000 tokens. */
export function costJpy(info: Pick<ModelInfo, 'priceInputPer1k' | 'priceOutputPer1k'>, usage: TokenUsage): number {
  return (usage.prompt_tokens * info.priceInputPer1k + usage.completion_tokens * info.priceOutputPer1k) / 1000;
}

/** Energy in Wh = watts × busy seconds / 3600 (0 when the model's power draw is unknown). */
export function energyWh(info: Pick<ModelInfo, 'watts'>, busyMs: number): number {
  return ((info.watts ?? 0) * busyMs) / 1000 / 3600;
}
