import { z } from 'zod';
import { badInput } from '../../core/errors.js';
import type { ChatMessage, GenerationOptions, ResponseFormat } from '../../models/types.js';

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const anyPart = z.object({ type: z.string() }).passthrough();

const message = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function'], { message: 'role must be one of system, developer, user, assistant' }),
    content: z.union([z.string(), z.array(z.union([textPart, anyPart])), z.null()]).optional(),
    name: z.string().optional(),
  })
  .passthrough();

const stopSequence = z.string().min(1, 'stop: a sequence must not be empty').max(256, 'stop: a sequence is at most 256 characters');

const responseFormat = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('text') }),
    z.object({ type: z.literal('json_object') }),
    z.object({
      type: z.literal('json_schema'),
      json_schema: z.object({
        name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'response_format.json_schema.name: 1–64 letters, digits, _ or -'),
        description: z.string().optional(),
        schema: z.record(z.string(), z.unknown()).optional(),
        strict: z.boolean().nullish(),
      }),
    }),
  ],
  { message: 'response_format.type must be one of text, json_object, json_schema' },
);

/**
 * POST /v1/chat/completions. OpenAI fields hiraga cannot honour are refused when they ask for something
 * (tools, logprobs); the rest it does not use (user, metadata, store, logit_bias…) are accepted and ignored.
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
    tools: z.array(z.unknown()).max(0, 'tools (function calling) are not supported by hiraga; remove them').nullish(),
    functions: z.array(z.unknown()).max(0, 'functions (function calling) are not supported by hiraga; remove them').nullish(),
    tool_choice: z.literal('none', { message: 'tool_choice: function calling is not supported by hiraga; remove it or use "none"' }).nullish(),
    function_call: z.literal('none', { message: 'function_call: function calling is not supported by hiraga; remove it or use "none"' }).nullish(),
    logprobs: z.literal(false, { message: 'logprobs: hiraga does not return log probabilities; remove it or use false' }).nullish(),
    top_logprobs: z.literal(0, { message: 'top_logprobs: hiraga does not return log probabilities; remove it or use 0' }).nullish(),
    hiraga: z
      .object({
        /** Declared confidentiality level (raises the computed level). */
        confidentiality: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
        app: z.string().max(200).optional(),
        collection: z.string().max(200).optional(),
        review: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .passthrough();

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;

/** The generation parameters of a request, or undefined when it sets none (`response_format: text` is the default and sets none). */
export function toGeneration(body: ChatCompletionRequest): GenerationOptions | undefined {
  const g: GenerationOptions = {};
  if (body.top_p != null) g.topP = body.top_p;
  if (body.seed != null) g.seed = body.seed;
  if (body.presence_penalty != null) g.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty != null) g.frequencyPenalty = body.frequency_penalty;
  const stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (stop?.length) g.stop = stop;
  const rf = body.response_format;
  if (rf?.type === 'json_object') g.responseFormat = { type: 'json_object' };
  else if (rf?.type === 'json_schema') {
    const js = rf.json_schema;
    const jsonSchema: Extract<ResponseFormat, { type: 'json_schema' }>['jsonSchema'] = { name: js.name };
    if (js.description !== undefined) jsonSchema.description = js.description;
    if (js.schema) jsonSchema.schema = js.schema;
    if (js.strict != null) jsonSchema.strict = js.strict;
    g.responseFormat = { type: 'json_schema', jsonSchema };
  }
  return Object.keys(g).length ? g : undefined;
}

/** OpenAI messages → hiraga messages: text parts joined, developer → system; tools and images refused. */
export function toChatMessages(messages: ChatCompletionRequest['messages']): ChatMessage[] {
  return messages.map((m, i) => {
    if (m.role === 'tool' || m.role === 'function') throw badInput(`messages[${i}].role = "${m.role}": tool messages are not supported by hiraga`, { details: { param: `messages[${i}].role` } });
    let content: string;
    if (typeof m.content === 'string') content = m.content;
    else if (Array.isArray(m.content)) {
      content = m.content
        .map((part, j) => {
          if (part.type !== 'text' || typeof (part as { text?: unknown }).text !== 'string') {
            throw badInput(`messages[${i}].content[${j}].type = "${part.type}": only text parts are supported`, { details: { param: `messages[${i}].content[${j}]` } });
          }
          return (part as { text: string }).text;
        })
        .join('');
    } else if (m.role === 'assistant') content = '';
    else throw badInput(`messages[${i}].content is missing: give the message text`, { details: { param: `messages[${i}].content` } });
    return { role: m.role === 'developer' ? 'system' : m.role, content };
  });
}
