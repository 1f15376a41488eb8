import { z } from 'zod';
import { badInput } from '../../core/errors.js';
import { collectionName } from '../collection-name.js';
import type { ChatMessage, GenerationOptions, ResponseFormat, ToolDefinition } from '../../models/types.js';
import type { GovernedRequest } from '../types.js';

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const anyPart = z.object({ type: z.string() }).passthrough();

export const toolName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a function name is 1–64 letters, digits, _ or -');

const message = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function'], { message: 'role must be one of system, developer, user, assistant, tool' }),
    content: z.union([z.string(), z.array(z.union([textPart, anyPart])), z.null()]).optional(),
    name: z.string().optional(),
    tool_calls: z
      .array(z.object({ id: z.string().min(1), type: z.literal('function').optional(), function: z.object({ name: toolName, arguments: z.string() }) }))
      .nullish(),
    tool_call_id: z.string().min(1).optional(),
  })
  .passthrough();

/** A function's fields: chat completions nests them under `function`, the Responses API has them flat. */
export const functionFields = {
  name: toolName,
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
};

const tool = z.object({
  type: z.literal('function', { message: 'tools[].type must be "function"' }),
  function: z.object(functionFields),
});

export function toToolDefinition(f: { name: string; description?: string | null | undefined; parameters?: Record<string, unknown> | null | undefined; strict?: boolean | null | undefined }): ToolDefinition {
  const d: ToolDefinition = { name: f.name };
  if (f.description != null) d.description = f.description;
  if (f.parameters) d.parameters = f.parameters;
  if (f.strict != null) d.strict = f.strict;
  return d;
}

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required'], { message: 'tool_choice must be none, auto, required or {"type":"function","function":{"name":…}}' }),
  z.object({ type: z.literal('function'), function: z.object({ name: toolName }) }),
]);

/** OpenAI's reasoning effort (chat: reasoning_effort; responses: reasoning.effort). */
export const reasoningEffort = z.enum(['minimal', 'low', 'medium', 'high'], { message: 'reasoning effort must be one of minimal, low, medium, high' });

const stopSequence = z.string().min(1, 'stop: a sequence must not be empty').max(256, 'stop: a sequence is at most 256 characters');

/** A JSON schema the output must follow: under `response_format.json_schema` in chat completions, flat in the Responses API's `text.format`. */
export const jsonSchemaFields = (namePath: string) => ({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, `${namePath}: 1–64 letters, digits, _ or -`),
  description: z.string().optional(),
  schema: z.record(z.string(), z.unknown()).optional(),
  strict: z.boolean().nullish(),
});

export function toJsonSchemaFormat(js: { name: string; description?: string | undefined; schema?: Record<string, unknown> | undefined; strict?: boolean | null | undefined }): ResponseFormat {
  const jsonSchema: Extract<ResponseFormat, { type: 'json_schema' }>['jsonSchema'] = { name: js.name };
  if (js.description !== undefined) jsonSchema.description = js.description;
  if (js.schema) jsonSchema.schema = js.schema;
  if (js.strict != null) jsonSchema.strict = js.strict;
  return { type: 'json_schema', jsonSchema };
}

const responseFormat = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('text') }),
    z.object({ type: z.literal('json_object') }),
    z.object({ type: z.literal('json_schema'), json_schema: z.object(jsonSchemaFields('response_format.json_schema.name')) }),
  ],
  { message: 'response_format.type must be one of text, json_object, json_schema' },
);

/** A tool_choice other than "none" needs tools to choose from (chat completions and responses alike). */
export function checkToolChoiceHasTools(tc: unknown, tools: unknown[] | null | undefined, ctx: z.RefinementCtx): void {
  if (tc && tc !== 'none' && !tools?.length) {
    ctx.addIssue({ code: 'custom', path: ['tool_choice'], message: 'tool_choice asks for a function call but no tools are given: add tools, or remove tool_choice' });
  }
}

/** hiraga's own request fields, under `hiraga` (chat completions and responses alike). */
export const hiragaExtension = z
  .object({
    /** Declared confidentiality level (raises the computed level). */
    confidentiality: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    app: z.string().max(200).optional(),
    collection: collectionName().optional(),
    review: z.boolean().optional(),
  })
  .strict();

/** The GovernedRequest fields that `hiraga` sets. */
export function hiragaOptions(h: z.infer<typeof hiragaExtension> | undefined): Pick<GovernedRequest, 'declaredLevel' | 'app' | 'collection' | 'requireReview'> {
  const o: Pick<GovernedRequest, 'declaredLevel' | 'app' | 'collection' | 'requireReview'> = {};
  if (!h) return o;
  if (h.confidentiality) o.declaredLevel = h.confidentiality;
  if (h.app) o.app = h.app;
  if (h.collection) o.collection = h.collection;
  if (h.review) o.requireReview = true;
  return o;
}

/**
 * POST /v1/chat/completions. OpenAI fields hiraga cannot honour are refused when they ask for something
 * (logprobs, the deprecated functions and function_call); the rest it does not use (user, metadata, store,
 * logit_bias…) are accepted and ignored.
 * hiraga's own fields go under `hiraga`.
 */
export const chatCompletionRequest = z
  .object({
    model: z.string().min(1, 'model must name a model from GET /v1/models').optional(),
    messages: z.array(message).min(1, 'messages must hold at least one message'),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    n: z.number().int().min(1).max(1, 'n: hiraga returns one choice; use n = 1').nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    seed: z.number().int().nullish(),
    presence_penalty: z.number().min(-2).max(2).nullish(),
    frequency_penalty: z.number().min(-2).max(2).nullish(),
    stop: z
      .union([stopSequence, z.array(stopSequence).max(4, 'stop: at most 4 sequences')])
      .nullish(),
    response_format: responseFormat.nullish(),
    tools: z.array(tool).max(128, 'tools: at most 128 functions').nullish(),
    tool_choice: toolChoice.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    reasoning_effort: reasoningEffort.nullish(),
    functions: z.array(z.unknown()).max(0, 'functions (the deprecated form of function calling) is not supported: send tools instead').nullish(),
    function_call: z.literal('none', { message: 'function_call (the deprecated form of function calling) is not supported: send tool_choice instead' }).nullish(),
    logprobs: z.literal(false, { message: 'logprobs: hiraga does not return log probabilities; remove it or use false' }).nullish(),
    top_logprobs: z.literal(0, { message: 'top_logprobs: hiraga does not return log probabilities; remove it or use 0' }).nullish(),
    hiraga: hiragaExtension.optional(),
  })
  .passthrough()
  .superRefine((body, ctx) => {
    const tc = body.tool_choice;
    checkToolChoiceHasTools(tc, body.tools, ctx);
    if (tc && typeof tc === 'object' && body.tools?.length && !body.tools.some((t) => t.function.name === tc.function.name)) {
      ctx.addIssue({ code: 'custom', path: ['tool_choice', 'function', 'name'], message: `tool_choice names "${tc.function.name}", which is not among tools` });
    }
  });

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;

/** The generation parameters of a request, or undefined when it sets none (`response_format: text` is the default and sets none). */
export function toGeneration(body: ChatCompletionRequest): GenerationOptions | undefined {
  const g: GenerationOptions = {};
  if (body.top_p != null) g.topP = body.top_p;
  if (body.seed != null) g.seed = body.seed;
  if (body.presence_penalty != null) g.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty != null) g.frequencyPenalty = body.frequency_penalty;
  if (body.reasoning_effort != null) g.reasoningEffort = body.reasoning_effort;
  // The caller's name for the output limit goes on to the model server (reasoning models take only this one).
  if (body.max_completion_tokens != null) g.maxTokensParam = 'max_completion_tokens';
  if (body.tools?.length) {
    g.tools = body.tools.map((t) => toToolDefinition(t.function));
  }
  // Without tools they say nothing (and some servers refuse tool_choice without tools).
  const tc = body.tool_choice;
  if (g.tools && tc != null) g.toolChoice = typeof tc === 'string' ? tc : { name: tc.function.name };
  if (g.tools && body.parallel_tool_calls != null) g.parallelToolCalls = body.parallel_tool_calls;
  const stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (stop?.length) g.stop = stop;
  const rf = body.response_format;
  if (rf?.type === 'json_object') g.responseFormat = { type: 'json_object' };
  else if (rf?.type === 'json_schema') g.responseFormat = toJsonSchemaFormat(rf.json_schema);
  return Object.keys(g).length ? g : undefined;
}

/** OpenAI messages → hiraga messages: text parts joined, developer → system, tool calls and tool turns kept; images refused. */
export function toChatMessages(messages: ChatCompletionRequest['messages']): ChatMessage[] {
  return messages.map((m, i): ChatMessage => {
    if (m.role === 'function') throw badInput(`messages[${i}].role = "function" is the deprecated form of a tool turn: send role "tool" with tool_call_id`, { details: { param: `messages[${i}].role` } });
    let content: string;
    if (typeof m.content === 'string') content = m.content;
    else if (Array.isArray(m.content)) {
      content = m.content
        .map((part, j) => {
          // An earlier reply sent back as history may hold the model's refusal as a part of its own.
          const refusal = (part as { refusal?: unknown }).refusal;
          if (m.role === 'assistant' && part.type === 'refusal' && typeof refusal === 'string') return refusal;
          if (part.type !== 'text' || typeof (part as { text?: unknown }).text !== 'string') {
            throw badInput(`messages[${i}].content[${j}].type = "${part.type}": only text parts are supported`, { details: { param: `messages[${i}].content[${j}]` } });
          }
          return (part as { text: string }).text;
        })
        // Parts are separate pieces of text: joined by a line break, as vLLM joins them, so words do not run together.
        .join('\n');
    } else if (m.role === 'assistant') content = '';
    else throw badInput(`messages[${i}].content is missing: give the message text`, { details: { param: `messages[${i}].content` } });
    if (m.role === 'tool') {
      if (!m.tool_call_id) throw badInput(`messages[${i}] is a tool turn without tool_call_id: name the tool call it answers`, { details: { param: `messages[${i}].tool_call_id` } });
      return { role: 'tool', content, toolCallId: m.tool_call_id };
    }
    if (m.tool_calls?.length) {
      if (m.role !== 'assistant') throw badInput(`messages[${i}].tool_calls: only an assistant turn calls tools`, { details: { param: `messages[${i}].tool_calls` } });
      return { role: 'assistant', content, toolCalls: m.tool_calls.map((t) => ({ id: t.id, name: t.function.name, arguments: t.function.arguments })) };
    }
    return { role: m.role === 'developer' ? 'system' : m.role, content };
  });
}
