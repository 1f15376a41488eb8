import { badInput } from '../../core/errors.js';
import type { AppRunContext } from '../types.js';

/** Stop with a clear message when a task needs a model that writes text and the chosen one only quotes. */
export function requireGenerative(ctx: AppRunContext, task: string): void {
  if (ctx.models.isGenerative(ctx.model)) return;
  throw badInput(
    `${task}には文章を生成できるモデルが必要です。選択したモデル「${ctx.model}」は資料の抜き出ししかできない抽出型のため、${task}はできません。生成モデルを設定して --model で指定してください。/ ` +
      `${task} needs a generative model; "${ctx.model}" is the extractive answerer, which only quotes passages. Configure a generative model and choose it with --model.`,
    { reason: 'model_not_generative', details: { model: ctx.model } },
  );
}
