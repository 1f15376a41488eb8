import { publicCitation, retrievePassages } from './builtin/qa.js';
import type { AppDefinition } from './definition.js';
import { GovernanceLog } from './governed-call.js';
import { renderTemplate } from './template.js';
import type { AppInputs, AppResult, AppRunContext } from './types.js';

/** Without a prompt template, the inputs are given to the model as labelled lines. */
function defaultPrompt(def: AppDefinition, inputs: AppInputs): string {
  return def.inputs
    .filter((i) => inputs[i.name])
    .map((i) => `${i.label}: ${inputs[i.name]}`)
    .join('\n');
}

/** Run a user-defined app: render its prompt, retrieve from its collection when it has one, one governed call. */
export async function runDefinedApp(def: AppDefinition, inputs: AppInputs, ctx: AppRunContext): Promise<AppResult> {
  const prompt = def.prompt ? renderTemplate(def.prompt, inputs) : defaultPrompt(def, inputs);
  const passages = def.collection ? await retrievePassages(ctx, prompt, def.collection, def.k) : undefined;
  const log = new GovernanceLog();
  const r = await log.call(ctx, def.id, {
    messages: [...(def.system ? [{ role: 'system' as const, content: def.system }] : []), { role: 'user', content: prompt }],
    ...(passages ? { passages, collection: def.collection! } : {}),
  });
  return {
    app: def.id,
    output: r.content,
    model: r.model.id,
    ...(r.abstained !== undefined ? { abstained: r.abstained } : {}),
    ...(r.citations?.length ? { citations: r.citations.map(publicCitation) } : {}),
    governance: log.summary()!,
  };
}
