import { z } from 'zod';
import { badInput } from '../../core/errors.js';
import { collectionName } from '../collection-name.js';
import type { ChatMessage, GenerationOptions, ToolCall, ToolDefinition } from '../../models/types.js';
import { parseBody } from '../request.js';
import { checkToolChoiceHasTools, functionFields, hiragaExtension, jsonSchemaFields, reasoningEffort, toJsonSchemaFormat, toolName, toToolDefinition } from './chat-request.js';

/**
 * POST /v1/responses — OpenAI's Responses API, stateless: hiraga keeps no responses, so the conversation
 * comes whole in `input` (what clients send with `store: false`). Items and fields that need a stored
 * response (previous_response_id, item_reference, conversation, background) or a tool hiraga does not run
 * (web_search, code_interpreter…) are refused with a 400 saying what to send instead; the rest hiraga does
 * not use (store, user, reasoning.summary, truncation…) are accepted and ignored. `file_search` searches the caller's
 * own collections (資料QA) before the call.
 */

/** A value as the caller wrote it, for an error message (JSON, cut short). */
const shown = (v: unknown) => {
  const json = JSON.stringify(v) ?? String(v);
  return json.length > 60 ? `${json.slice(0, 60)}…` : json;
};

const noStoredState = 'hiraga は応答を保存しません。会話全体を input で送ってください / hiraga does not store responses: send the whole conversation in input (as with store: false)';

const functionTool = z.object({ type: z.literal('function'), ...functionFields });

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required'], { message: 'tool_choice must be none, auto, required, {"type":"function","name":…} or {"type":"file_search"}' }),
  z.object({ type: z.literal('function'), name: toolName }),
  z.object({ type: z.literal('file_search', { message: 'tool_choice.type must be function or file_search' }) }),
]);

/**
 * file_search over the caller's own collections (資料QA): `vector_store_ids` name hiraga collections of the
 * caller's tenant. hiraga searches them for the last user turn before the model call, every time (unless
 * tool_choice is "none"), and grounds the answer on what it found.
 */
const fileSearchTool = z
  .object({
    type: z.literal('file_search'),
    vector_store_ids: z
      .array(collectionName(), { message: 'file_search.vector_store_ids must list collection names' })
      .min(1, 'file_search.vector_store_ids: name at least one collection (see GET /api/collections)')
      .max(4, 'file_search.vector_store_ids: at most 4 collections'),
    max_num_results: z.number().int().min(1).max(50, 'file_search.max_num_results: at most 50').nullish(),
    filters: z
      .unknown()
      .optional()
      .refine((v) => v == null, { message: 'file_search.filters: hiraga does not filter by file attributes; remove filters' }),
    ranking_options: z.unknown().optional(),
  })
  .passthrough();

/** What a request's tools ask of hiraga: the functions offered to the model, and the collections to search first. */
export interface ResponsesTools {
  functions: ToolDefinition[];
  fileSearch?: { collections: string[]; k?: number };
}

const textFormat = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('text') }),
    z.object({ type: z.literal('json_object') }),
    z.object({ type: z.literal('json_schema'), ...jsonSchemaFields('text.format.name'), schema: z.record(z.string(), z.unknown(), { message: 'text.format.schema: give the JSON schema the output must follow' }) }),
  ],
  { message: 'text.format.type must be one of text, json_object, json_schema' },
);

const refused = (message: string) => z.unknown().optional().refine((v) => v === undefined || v === null || v === false, { message });

export const responsesRequest = z
  .object({
    model: z.string().min(1, 'model must name a model from GET /v1/models').optional(),
    input: z.union([z.string().min(1, 'input must not be empty'), z.array(z.record(z.string(), z.unknown())).min(1, 'input must hold at least one item')], {
      message: 'input must be a string or a list of items (messages, function_call, function_call_output)',
    }),
    instructions: z.string().nullish(),
    stream: z.boolean().nullish(),
    max_output_tokens: z.number().int().positive().nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    tools: z.array(z.record(z.string(), z.unknown())).max(128, 'tools: at most 128 functions').nullish(),
    tool_choice: toolChoice.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    text: z.object({ format: textFormat.optional() }).passthrough().nullish(),
    metadata: z.record(z.string(), z.string()).nullish(),
    reasoning: z.object({ effort: reasoningEffort.nullish() }).passthrough().nullish(),
    previous_response_id: refused(noStoredState),
    conversation: refused(noStoredState),
    background: refused('background: hiraga answers while the request is open; remove it or use false'),
    prompt: refused('prompt: hiraga has no stored prompt templates; send the text in instructions and input'),
    top_logprobs: z.literal(0, { message: 'top_logprobs: hiraga does not return log probabilities; remove it or use 0' }).nullish(),
    include: z
      .array(z.string())
      .nullish()
      .refine((v) => !v?.includes('message.output_text.logprobs'), { message: 'include: hiraga does not return log probabilities (message.output_text.logprobs)' }),
    hiraga: hiragaExtension.optional(),
  })
  .passthrough()
  .superRefine((body, ctx) => checkToolChoiceHasTools(body.tool_choice, body.tools, ctx));

export type ResponsesRequest = z.infer<typeof responsesRequest>;

/** The tools of a request: functions, and at most one file_search; any other kind refused. Checked against tool_choice. */
export function toTools(body: ResponsesRequest): ResponsesTools {
  const out: ResponsesTools = { functions: [] };
  (body.tools ?? []).forEach((raw, i) => {
    if (raw.type === 'function') out.functions.push(toToolDefinition(parseBody(functionTool, raw, ['tools', i])));
    else if (raw.type === 'file_search') {
      if (out.fileSearch) throw badInput(`tools[${i}]: give one file_search tool, listing every collection in its vector_store_ids`, { details: { param: `tools[${i}]` } });
      const f = parseBody(fileSearchTool, raw, ['tools', i]);
      out.fileSearch = { collections: [...new Set(f.vector_store_ids)], ...(f.max_num_results ? { k: f.max_num_results } : {}) };
    } else {
      throw badInput(
        `tools[${i}].type = ${shown(raw.type)}: hiraga runs function tools and file_search over your collections; hosted tools such as web_search or code_interpreter are not run here`,
        { reason: 'unsupported_parameter', details: { param: `tools[${i}].type` } },
      );
    }
  });
  const tc = body.tool_choice;
  if (tc && typeof tc === 'object') {
    if (tc.type === 'function' && !out.functions.some((t) => t.name === tc.name)) {
      throw badInput(`入力が正しくありません / invalid request: tool_choice.name: "${tc.name}" is not among tools`, { reason: 'invalid_request', details: { param: 'tool_choice.name' } });
    }
    if (tc.type === 'file_search' && !out.fileSearch) {
      throw badInput('入力が正しくありません / invalid request: tool_choice asks for file_search but no file_search tool is given', { reason: 'invalid_request', details: { param: 'tool_choice' } });
    }
  }
  return out;
}

/** The generation parameters of a request, or undefined when it sets none. */
export function toResponsesGeneration(body: ResponsesRequest, tools: ToolDefinition[]): GenerationOptions | undefined {
  const g: GenerationOptions = {};
  if (body.top_p != null) g.topP = body.top_p;
  if (body.reasoning?.effort != null) g.reasoningEffort = body.reasoning.effort;
  if (tools.length) {
    g.tools = tools;
    // A choice of file_search is hiraga's to honour (it searches before the call), not the model's.
    const tc = body.tool_choice;
    if (typeof tc === 'string') g.toolChoice = tc;
    else if (tc?.type === 'function') g.toolChoice = { name: tc.name };
    if (body.parallel_tool_calls != null) g.parallelToolCalls = body.parallel_tool_calls;
  }
  const f = body.text?.format;
  if (f?.type === 'json_object') g.responseFormat = { type: 'json_object' };
  else if (f?.type === 'json_schema') g.responseFormat = toJsonSchemaFormat(f);
  return Object.keys(g).length ? g : undefined;
}

const part = z.object({ type: z.string() }).passthrough();
const messageItem = z
  .object({
    type: z.literal('message').optional(),
    role: z.enum(['user', 'assistant', 'system', 'developer'], { message: 'role must be one of user, assistant, system, developer' }),
    content: z.union([z.string(), z.array(part)], { message: 'content must be a string or a list of input_text parts' }),
  })
  .passthrough();
const functionCallItem = z.object({ type: z.literal('function_call'), call_id: z.string().min(1, 'call_id must not be empty'), name: toolName, arguments: z.string() }).passthrough();
const functionCallOutputItem = z
  .object({
    type: z.literal('function_call_output'),
    call_id: z.string().min(1, 'call_id must not be empty'),
    output: z.union([z.string(), z.array(part)], { message: 'output must be a string or a list of input_text parts' }),
  })
  .passthrough();

/** Text parts joined; anything but text (images, files, audio) refused, naming where it is. */
function textOf(content: string | z.infer<typeof part>[], at: string): string {
  if (typeof content === 'string') return content;
  return content
    .map((p, j) => {
      const text = (p as { text?: unknown }).text;
      if (p.type === 'input_text' || p.type === 'output_text') {
        if (typeof text === 'string') return text;
        throw badInput(`${at}[${j}].text is missing: give the text`, { details: { param: `${at}[${j}].text` } });
      }
      if (p.type === 'refusal' && typeof (p as { refusal?: unknown }).refusal === 'string') return (p as unknown as { refusal: string }).refusal;
      throw badInput(`${at}[${j}].type = "${p.type}": only text parts (input_text, output_text) are supported`, { details: { param: `${at}[${j}]` } });
    })
    .join('\n');
}

/**
 * Responses input → hiraga messages: instructions first as a system turn, developer → system, the
 * function calls after an assistant turn joined to it (as chat completions has them), function outputs as
 * tool turns. Reasoning and file_search_call items are left out.
 */
export function toResponsesMessages(body: ResponsesRequest): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (body.instructions) out.push({ role: 'system', content: body.instructions });
  if (typeof body.input === 'string') {
    out.push({ role: 'user', content: body.input });
    return out;
  }
  // The assistant turn that function calls join, while no other turn has come since.
  let open: ChatMessage | undefined;
  body.input.forEach((item, i) => {
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
    switch (type) {
      case 'message': {
        const m = parseBody(messageItem, item, ['input', i]);
        const content = textOf(m.content, `input[${i}].content`);
        const msg: ChatMessage = { role: m.role === 'developer' ? 'system' : m.role, content };
        out.push(msg);
        open = m.role === 'assistant' ? msg : undefined;
        return;
      }
      case 'function_call': {
        const f = parseBody(functionCallItem, item, ['input', i]);
        const call: ToolCall = { id: f.call_id, name: f.name, arguments: f.arguments };
        if (!open) {
          open = { role: 'assistant', content: '' };
          out.push(open);
        }
        (open.toolCalls ??= []).push(call);
        return;
      }
      case 'function_call_output': {
        const f = parseBody(functionCallOutputItem, item, ['input', i]);
        out.push({ role: 'tool', content: textOf(f.output, `input[${i}].output`), toolCallId: f.call_id });
        open = undefined;
        return;
      }
      // A reasoning item belongs to the model that wrote it; a past search (file_search_call, sent back with
      // the rest of an earlier response's output) is already in the answer that followed it, and a file_search
      // tool searches again for the new turn.
      case 'reasoning':
      case 'file_search_call':
        return;
      case 'item_reference':
        throw badInput(`input[${i}] is an item_reference: ${noStoredState}`, { reason: 'unsupported_parameter', details: { param: `input[${i}]` } });
      case undefined:
        throw badInput(`input[${i}] has neither type nor role: send a message ({"role":"user","content":"…"}), a function_call or a function_call_output`, { details: { param: `input[${i}]` } });
      default:
        throw badInput(`input[${i}].type = ${shown(type)}: hiraga takes messages, function_call and function_call_output items`, {
          reason: 'unsupported_parameter',
          details: { param: `input[${i}].type` },
        });
    }
  });
  if (!out.some((m) => m.role !== 'system')) {
    throw badInput('input holds no message to answer: add a user message', { details: { param: 'input' } });
  }
  return out;
}

/** What file_search searches for: the text of the conversation's last user turn. */
export function searchQuery(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user' && messages[i]!.content.trim()) return messages[i]!.content;
  throw badInput('file_search needs a user turn to search for: add a user message to input', { details: { param: 'input' } });
}
