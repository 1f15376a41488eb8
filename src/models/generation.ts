import type { GenerationOptions, ModelInfo } from './types.js';

/**
 * The first output-changing parameter of a request that a model cannot honour (`stop` or
 * `response_format`, named as the OpenAI API names them), or null when it can honour them all.
 * The pipeline refuses such a request for the chosen model; the fallback chain skips such models.
 */
export function unsupportedParameter(model: ModelInfo, generation: GenerationOptions | undefined): 'stop' | 'response_format' | null {
  if (!generation) return null;
  if (generation.stop?.length && !model.accepts.stop) return 'stop';
  if (generation.responseFormat && !model.accepts.responseFormat) return 'response_format';
  return null;
}

/** The text a request's parameters carry to the model (stop sequences, a JSON schema): guarded like the messages. */
export function parameterText(generation: GenerationOptions | undefined): string {
  if (!generation) return '';
  const parts: string[] = [];
  if (generation.stop?.length) parts.push(generation.stop.join('\n'));
  const rf = generation.responseFormat;
  if (rf?.type === 'json_schema') parts.push(JSON.stringify(rf.jsonSchema));
  return parts.join('\n');
}

/** The OpenAI request parameters a model honours, as GET /v1/models lists them (`supported_parameters`). */
export function supportedParameters(model: ModelInfo): string[] {
  const a = model.accepts;
  return [
    ...(a.sampling ? ['max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'seed'] : []),
    ...(a.penalties ? ['presence_penalty', 'frequency_penalty'] : []),
    ...(a.stop ? ['stop'] : []),
    ...(a.responseFormat ? ['response_format'] : []),
  ];
}
