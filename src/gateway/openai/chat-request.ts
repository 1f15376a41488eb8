import { z } from 'zod';
import { badInput } from '../../core/errors.js';
import type { ChatMessage } from '../../models/types.js';

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const anyPart = z.object({ type: z.string() }).passthrough();

const message = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function'], { message: 'role must be one of system, developer, user, assistant' }),
    content: z.union([z.string(), z.array(z.union([textPart, anyPart])), z.null()]).optional(),
    name: z.string().optional(),
  })
  .passthrough();

/** POST /v1/chat/completions. Unknown OpenAI fields are accepted and ignored; hiraga's own go under `hiraga`. */
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
    tools: z.array(z.unknown()).max(0, 'tools (function calling) are not supported by hiraga; remove them').nullish(),
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
