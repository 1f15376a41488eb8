import { HiragaError, toHiragaError, upstreamError } from '../../core/errors.js';
import type { GovernedResult } from '../../gateway/types.js';
import type { ChatMessage, Passage } from '../../models/types.js';
import { SCORERS } from '../scoring/index.js';
import type { SuiteItem, TaskType } from '../suite/schema.js';
import type { CallOutcome, ExecuteDeps, ItemResult, ItemScore, Prompt, ScoreContext, Scorer } from '../types.js';

/**
 * The eval measures the model it names. When that model failed and the pipeline's fallback answered, the answer
 * is another model's: a failure of this one (counted wrong, not cached), never a result credited to it.
 */
function answeredBy(result: GovernedResult, model: string): void {
  if (result.model.id === model) return;
  throw upstreamError(`model "${model}" did not answer: the pipeline fell back to "${result.model.id}" (its answer is not counted for "${model}") / 「${model}」は応答せず、フォールバック先「${result.model.id}」が回答しました`);
}

/** Pipeline refusals that are an outcome to score (a refusal), not a fault to retry. */
const isBlock = (e: HiragaError) => e.code === 'policy' || e.code === 'forbidden';

/** A call whose answer did not reach the requester (blocked, or held for review): what it cost, if the model ran. */
function withheld(prompt: Prompt, passages: Passage[], blocked: { reason: string; message: string }, latencyMs: number, ran?: GovernedResult): CallOutcome {
  return {
    ...(prompt.label ? { label: prompt.label } : {}),
    content: '',
    abstained: false,
    citations: [],
    passages,
    blocked,
    latencyMs,
    promptTokens: ran?.usage.prompt_tokens ?? 0,
    completionTokens: ran?.usage.completion_tokens ?? 0,
    ...(ran?.usage.estimated ? { tokensEstimated: true } : {}),
    costJpy: ran?.costJpy ?? 0,
    energyWh: ran?.energyWh ?? 0,
  };
}

async function call(deps: ExecuteDeps, model: string, prompt: Prompt, passages: Passage[], collection: string | undefined): Promise<CallOutcome> {
  const started = performance.now();
  let result: GovernedResult;
  try {
    result = await deps.run({
      actor: deps.actor,
      model,
      messages: prompt.messages,
      // Searched (an item naming a collection): the passages found, none perhaps, as 資料QA passes them.
      ...(collection || passages.length ? { passages } : {}),
      ...(collection ? { collection } : {}),
      app: 'eval',
      ...(deps.settings.maxTokens ? { maxTokens: deps.settings.maxTokens } : {}),
      temperature: 0,
    });
  } catch (err) {
    const e = toHiragaError(err);
    if (!isBlock(e)) throw e;
    return withheld(prompt, passages, { reason: e.reason ?? e.code, message: e.message }, performance.now() - started);
  }
  answeredBy(result, model);
  const latencyMs = result.latencyMs > 0 ? result.latencyMs : performance.now() - started;
  if (result.review) {
    // Held for a reviewer: the content is a placeholder, not the model's answer. What reached the requester is
    // nothing, as with a block (the model was called, so its tokens, cost and energy count).
    const why = result.flags.length ? result.flags.join(', ') : 'review policy';
    const blocked = { reason: 'review', message: `確認待ちとして保留（${why}）/ held for review (${why}): the output is withheld until a reviewer approves it` };
    return withheld(prompt, passages, blocked, latencyMs, result);
  }
  const refusal = result.refusal || (result.finishReason === 'content_filter' ? 'content_filter' : undefined);
  return {
    ...(prompt.label ? { label: prompt.label } : {}),
    content: result.content,
    ...(refusal ? { refusal } : {}),
    // Decided by the provider over the passages it was given — none, when the search found none (grounding.ts).
    abstained: result.abstained ?? false,
    citations: result.citations ?? [],
    passages,
    latencyMs,
    promptTokens: result.usage.prompt_tokens,
    completionTokens: result.usage.completion_tokens,
    ...(result.usage.estimated ? { tokensEstimated: true } : {}),
    costJpy: result.costJpy,
    energyWh: result.energyWh,
  };
}

/** Run one item on one model through the pipeline and score it. Faults (upstream, timeout) are thrown. */
export async function executeItem(item: SuiteItem, model: string, deps: ExecuteDeps): Promise<ItemResult> {
  const scorer = SCORERS[item.task] as Scorer<SuiteItem>;
  const prompts = scorer.prompts(item);
  const calls: CallOutcome[] = [];
  try {
    for (const p of prompts) {
      const passages = item.collection && deps.retrieve ? await deps.retrieve(p.query, item.collection) : [];
      calls.push(await call(deps, model, p, passages, item.collection));
    }
  } catch (err) {
    if (calls.length && err && typeof err === 'object') completedBefore.set(err, calls);
    throw err;
  }
  const ctx: ScoreContext = { settings: deps.settings };
  if (deps.judgeModel && item.task === 'generation') {
    const judgeModel = deps.judgeModel;
    ctx.judgeModel = judgeModel;
    ctx.judge = async (messages: ChatMessage[]) => {
      const verdict = await deps.run({ actor: deps.actor, model: judgeModel, messages, app: 'eval-judge', temperature: 0.7 });
      answeredBy(verdict, judgeModel);
      return verdict.content;
    };
  }
  const score = await scorer.score(item, calls, ctx);
  const result = toItemResult(item.id, item.task, model, score, calls);
  return deps.fingerprint ? { ...result, config_sha256: deps.fingerprint(model) } : result;
}

/** What a call gave back, for the report: the text, or the refusal the model sent instead of text. */
const shown = (c: CallOutcome) => c.content || (c.refusal ? `〔拒否 refusal〕${c.refusal}` : '');

export function toItemResult(id: string, task: TaskType, model: string, s: ItemScore, calls: CallOutcome[]): ItemResult {
  const sum = (f: (c: CallOutcome) => number) => calls.reduce((a, c) => a + f(c), 0);
  return {
    id,
    task,
    model,
    correct: s.correct,
    score: s.score,
    abstained: s.abstained ?? false,
    refused: s.refused ?? false,
    citation_correct: s.citationCorrect ?? null,
    hallucinated: s.hallucinated ?? null,
    consistent: s.consistent ?? null,
    latency_ms: Math.round(sum((c) => c.latencyMs) * 100) / 100,
    prompt_tokens: sum((c) => c.promptTokens),
    completion_tokens: sum((c) => c.completionTokens),
    ...(calls.some((c) => c.tokensEstimated) ? { tokens_estimated: true } : {}),
    cost_jpy: sum((c) => c.costJpy),
    energy_wh: sum((c) => c.energyWh),
    output: calls.length === 1 ? shown(calls[0]!) : calls.map((c) => `【${c.label ?? ''}】${shown(c)}`).join('\n'),
    citations: calls.flatMap((c) => c.citations.map((x) => ({ source: x.source, chunk: x.chunk }))),
    evidence: s.evidence,
    ...(s.details ? { details: s.details } : {}),
    ...(s.judge ? { judge: s.judge } : {}),
  };
}

/** The calls of an item that were made before one of them failed (a bias pair's first variant…). */
const completedBefore = new WeakMap<object, CallOutcome[]>();

/**
 * The result recorded for an item whose call failed after the pipeline's own retries. The calls made before the
 * failure were paid for: their tokens, cost and energy count (not their latency: a failed item measured none).
 */
export function failedItem(item: SuiteItem, model: string, err: unknown): ItemResult {
  const e = toHiragaError(err);
  const paid = (err && typeof err === 'object' ? completedBefore.get(err) : undefined) ?? [];
  const r = toItemResult(item.id, item.task, model, { correct: false, score: 0, evidence: [`failed: ${e.message}`] }, paid);
  return { ...r, latency_ms: 0, output: '', citations: [], error: { code: e.code, message: e.message } };
}
