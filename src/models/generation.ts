import type { ChatMessage, GenerationOptions, ModelInfo } from './types.js';

export type GatedParameter = 'stop' | 'response_format' | 'tools';

/**
 * The first output-changing parameter of a request that a model cannot honour (`stop`, `response_format`,
 * or `tools`: function calling, offered or already in the conversation), named as the OpenAI API names it;
 * null when it can honour them all. The pipeline refuses such a request for the chosen model; the fallback
 * chain skips such models.
 */
export function unsupportedParameter(model: ModelInfo, generation: GenerationOptions | undefined, messages?: readonly ChatMessage[]): GatedParameter | null {
  if (!model.accepts.tools && (generation?.tools?.length || messages?.some((m) => m.role === 'tool' || m.toolCalls?.length))) return 'tools';
  if (!generation) return null;
  if (generation.stop?.length && !model.accepts.stop) return 'stop';
  if (generation.responseFormat && !model.accepts.responseFormat) return 'response_format';
  return null;
}

/** The text a request's parameters carry to the model (stop sequences, a JSON schema, tool definitions): guarded like the messages. */
export function parameterText(generation: GenerationOptions | undefined): string {
  if (!generation) return '';
  const parts: string[] = [];
  if (generation.stop?.length) parts.push(generation.stop.join('\n'));
  const rf = generation.responseFormat;
  if (rf?.type === 'json_schema') parts.push(JSON.stringify(rf.jsonSchema));
  if (generation.tools?.length) parts.push(JSON.stringify(generation.tools));
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
    ...(a.tools ? ['tools', 'tool_choice', 'parallel_tool_calls'] : []),
    ...(a.reasoning ? ['reasoning_effort'] : []),
  ];
}
