import type { ModelConfig } from '../../config/sections/models.js';
import { modelFailure } from '../failure.js';
import { modelInfo } from '../info.js';
import type { ChatDelta, ChatRequest, ChatResult, ModelInfo, ModelProvider } from '../types.js';
import { usageOrEstimate } from '../usage.js';
import type { ProviderDeps } from './deps.js';

type ExtractiveConfig = Extract<ModelConfig, { provider: 'extractive' }>;

/**
 * What the extractive model says when asked to chat with no collection searched (`passages` absent): it is
 * not an LLM. A search that found nothing gives `passages: []` (the pipeline passes the array on as the
 * route retrieved it); then the honest answer is the answerer's abstention, 資料に記載が見当たりません.
 */
export const EXTRACTIVE_NO_CHAT =
  'このモデル（extractive）は資料から該当箇所を抜き出して示す抽出型の回答器で、生成AI（LLM）ではありません。' +
  '資料を指定しない自由な対話はできません。コレクションを指定して質問するか（hiraga ask）、生成モデルを選んでください。\n' +
  'This model (extractive) is a retrieval-only answerer that quotes passages from your documents; it is not a large language model ' +
  'and cannot chat freely. Ask a question over a collection (hiraga ask) or choose a generative model.';

/**
 * The built-in offline answerer: quotes the sentences of the given passages that support an answer,
 * or abstains. Always present; domestic, on-prem, clearance 3 (nothing leaves the process).
 */
export class ExtractiveProvider implements ModelProvider {
  readonly info: ModelInfo;

  constructor(cfg: ExtractiveConfig) {
    this.info = modelInfo(cfg);
  }

  async chat(req: ChatRequest): Promise<ChatResult> {
    if (req.signal?.aborted) throw modelFailure(this.info.id, 'cancelled', 'the call was cancelled');
    const question = [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    if (req.passages === undefined) {
      return { content: EXTRACTIVE_NO_CHAT, usage: usageOrEstimate(null, req.messages, EXTRACTIVE_NO_CHAT), abstained: true, citations: [], finishReason: 'stop' };
    }
    // Passages searched for (none found, perhaps): the answerer quotes them or abstains.
    const { answerExtractive } = await import('../extractive/answerer.js');
    const r = await answerExtractive(question, req.passages);
    const passageText = req.passages.map((p) => p.text).join('\n');
    return { content: r.answer, usage: usageOrEstimate(null, req.messages, r.answer, passageText), citations: r.citations, abstained: r.abstained, finishReason: 'stop' };
  }

  async *chatStream(req: ChatRequest): AsyncIterable<ChatDelta> {
    const result = await this.chat(req);
    if (result.content) yield { type: 'text', text: result.content };
    yield { type: 'done', result };
  }
}

export const createExtractive = (cfg: ExtractiveConfig, _deps: ProviderDeps): ModelProvider => new ExtractiveProvider(cfg);
