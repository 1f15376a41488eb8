import { extend } from '../core/objects.js';
import type { ResolvedConfig } from '../config/load.js';
import { badInput, policyBlock, toHiragaError } from '../core/errors.js';
import type { Actor, Confidentiality } from '../core/types.js';
import { sha256Hex } from '../audit/canonical.js';
import type { AuditEventInput, AuditSink } from '../audit/types.js';
import { reservePlaceholders } from '../guard/mask.js';
import type { Finding, FlagDetail, GuardFlag, MaskResult, MaskSession, ScanOptions, ScanResult } from '../guard/types.js';
import { mayUse, modelNotFound } from '../models/access.js';
import { modelFailure } from '../models/failure.js';
import { parameterText, unsupportedParameter } from '../models/generation.js';
import type { ChatMessage, ChatRequest, ChatResult, ModelInfo, Passage } from '../models/types.js';
import { reviewCauses } from '../review/policy.js';
import type { GovernedDelta, GovernedRequest, GovernedResult } from './types.js';

/** What the pipeline needs from the guard (src/guard). */
export interface GuardPort {
  scan(text: string, options?: ScanOptions): ScanResult;
  newSession(): MaskSession;
  mask(text: string, session: MaskSession, scan?: ScanResult): MaskResult;
  unmask(text: string, session: MaskSession): string;
  /** Checks of a model's output: verbatim overlap with protected works, leaked placeholders, injection echoes. */
  checkOutput(text: string, session: MaskSession): { flags: GuardFlag[]; details: FlagDetail[] };
  decide(level: Confidentiality, clearance: number): 'allow' | 'mask' | 'block';
}

/** The request's level (no model cleared below it is used) and the caller (no fallback closed to its tenant). */
export interface ModelCallOptions {
  requiredLevel: Confidentiality;
  actor: Actor;
}

/** What the pipeline needs from the model layer (src/models): calls with retries, breaker and clearance-safe fallback. */
export interface ModelPort {
  info(id: string): ModelInfo;
  call(id: string, req: ChatRequest, opts: ModelCallOptions): Promise<{ result: ChatResult; model: ModelInfo }>;
  /** Text deltas name the model that wrote them: the requested one, or the fallback that answered. */
  stream(id: string, req: ChatRequest, opts: ModelCallOptions): AsyncIterable<{ type: 'text'; text: string; model: string } | { type: 'done'; result: ChatResult; model: ModelInfo }>;
}

/** What the pipeline needs from the review queue (src/review). */
export interface ReviewPort {
  enqueue(item: {
    actor: GovernedRequest['actor'];
    app?: string;
    model: string;
    reasons: string[];
    input: string;
    output: string;
    citations?: unknown;
    auditId?: number;
  }): Promise<{ id: number }>;
}

export interface PipelineDeps {
  config: ResolvedConfig;
  guard: GuardPort;
  models: ModelPort;
  audit: AuditSink;
  review: ReviewPort;
  /** Monthly spending limits (src/gateway/limits/budget.ts): throws 429 `budget_exceeded` for a tenant at its limit. */
  budgets?: BudgetPort;
}

/** What the pipeline needs from the budgets: a refusal, or a promise while a tenant's spend is first read. */
export interface BudgetPort {
  admit(actor: Actor): void | Promise<void>;
}

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

export const REVIEW_PENDING_TEXT = '確認待ち: この回答は担当者の確認後に表示されます。/ Awaiting review: the answer is shown once a reviewer approves it.';

/** Everything decided before the model is called. */
interface Prepared {
  model: ModelInfo;
  level: Confidentiality;
  policy: 'allow' | 'mask';
  session: MaskSession;
  messages: ChatMessage[];
  passages: Passage[] | undefined;
  findings: Record<string, number>;
  flags: Set<GuardFlag>;
  masked: MaskResult['replaced'];
  reviewReasons: string[];
  started: number;
}

/**
 * The governed path of every model call, in one place:
 * validate → guard the messages and passages → confidentiality level → policy per model clearance
 * (allow, mask, or block) → model call (retries, fallback) → output checks → review checkpoint → audit event
 * (durable before the caller gets the result) → usage (tokens, JPY, Wh).
 */
export class Pipeline {
  constructor(private readonly deps: PipelineDeps) {}

  async run(req: GovernedRequest): Promise<GovernedResult> {
    return this.callToCompletion(req, await this.prepare(req));
  }

  /** Streams text as it arrives when nothing can require review; otherwise runs to completion first. */
  async *stream(req: GovernedRequest): AsyncGenerator<GovernedDelta> {
    const p = await this.prepare(req);
    if (p.reviewReasons.length) {
      const done = await this.callToCompletion(req, p);
      if (!done.review && done.content) yield { type: 'text', text: done.content, model: done.model.id };
      yield { type: 'done', result: done };
      return;
    }
    const restorer = new PlaceholderBuffer((t) => (this.deps.config.guard.restoreMasked ? this.deps.guard.unmask(t, p.session) : t));
    let finished = false;
    let failed = false;
    let model = p.model.id;
    try {
      for await (const d of this.deps.models.stream(p.model.id, this.chatRequest(req, p), { requiredLevel: this.requiredLevel(p), actor: req.actor })) {
        if (d.type === 'text') {
          const out = restorer.push(d.text);
          model = d.model;
          if (out) yield { type: 'text', text: out, model };
        } else {
          const tail = restorer.flush();
          if (tail) yield { type: 'text', text: tail, model: d.model.id };
          const result = await this.finish(req, p, d.result, d.model);
          finished = true;
          yield { type: 'done', result };
        }
      }
    } catch (err) {
      if (finished) throw err;
      failed = true;
      throw await this.failed(req, p, err);
    } finally {
      // Closed early (the client went away mid-stream): the model was called, so the call is recorded.
      if (!finished && !failed) await this.failed(req, p, modelFailure(p.model.id, 'cancelled', 'the caller stopped reading the stream'));
    }
  }

  /** The model call of a prepared request, run to completion and finished (a failure is audited first). */
  private async callToCompletion(req: GovernedRequest, p: Prepared): Promise<GovernedResult> {
    let called;
    try {
      called = await this.deps.models.call(p.model.id, this.chatRequest(req, p), { requiredLevel: this.requiredLevel(p), actor: req.actor });
    } catch (err) {
      throw await this.failed(req, p, err);
    }
    return this.finish(req, p, called.result, called.model);
  }

  /**
   * A model call that failed after the request was cleared to go (the model, a retry or a fallback may have
   * received it): recorded like a completed call, with the failure instead of an output, so the audit trail
   * holds every call that left the process. Returns the error to throw (if the audit store fails too, its
   * error is thrown instead, as for a completed call).
   */
  private async failed(req: GovernedRequest, p: Prepared, err: unknown): Promise<unknown> {
    const e = toHiragaError(err);
    const inputText = inputTextOf(req);
    await this.deps.audit.append({
      actor: req.actor,
      action: req.app ? 'app.run' : 'model.call',
      model: { id: p.model.id, origin: p.model.origin, hosting: p.model.hosting },
      ...(req.app ? { app: req.app } : {}),
      ...(req.collection ? { collection: req.collection } : {}),
      findings: p.findings,
      flags: [...p.flags],
      confidentiality: p.level,
      outcome: e.reason === 'cancelled' ? 'cancelled' : 'error',
      latencyMs: Math.round(performance.now() - p.started),
      inputSha256: sha256Hex(inputText),
      content: { input: inputText },
      detail: {
        policy: p.policy,
        masked: p.masked.length,
        error: e.reason ?? e.code,
        ...(typeof e.details?.upstreamCode === 'string' ? { upstreamCode: e.details.upstreamCode } : {}),
        ...(Array.isArray(e.details?.fallbacks) && e.details.fallbacks.length ? { fallbacks: e.details.fallbacks } : {}),
        ...(req.purpose ? { purpose: req.purpose } : {}),
      },
    });
    return err;
  }

  private async prepare(req: GovernedRequest): Promise<Prepared> {
    const started = performance.now();
    this.validate(req);
    const { config, guard } = this.deps;
    const model = this.deps.models.info(req.model ?? config.defaultModel);
    if (!mayUse(model, req.actor)) throw modelNotFound(model.id);
    const budget = this.deps.budgets?.admit(req.actor);
    if (budget) await budget;
    const unsupported = unsupportedParameter(model, req.generation, req.messages);
    if (unsupported) {
      throw badInput(
        `モデル「${model.id}」は ${unsupported} に対応していません。/ Model "${model.id}" cannot honour ${unsupported}: choose a model that lists it in supported_parameters (GET /v1/models), or remove it.`,
        { reason: 'unsupported_parameter', details: { param: unsupported, model: model.id } },
      );
    }

    // Guard every message (and the arguments of tool calls in it) and passage, and the text the parameters
    // carry (stop sequences, a JSON schema, tool definitions); the level is the highest found (or declared).
    const scans = req.messages.map((m) => guard.scan(m.content, { origin: 'prompt', ...(req.declaredLevel ? { declaredLevel: req.declaredLevel } : {}) }));
    // The caller's tool-call ids are never sent (the model gets call_1, call_2…), but they are the caller's text:
    // they count for the level (so for the policy and the audit content's retention), scanned once together.
    const ids = toolCallIds(req.messages);
    const callScans = ids?.calls ? req.messages.map((m) => m.toolCalls?.map((t) => guard.scan(t.arguments, { origin: 'prompt' }))) : null;
    // A passage's source (file name) and heading go to the model with its text: one scan over the three.
    const passageScans = (req.passages ?? []).map((ps) => guard.scan(passageScanText(ps), { origin: 'passage' }));
    const paramText = parameterText(req.generation);
    const paramScan = paramText ? guard.scan(paramText, { origin: 'prompt' }) : null;
    const all = [...scans, ...passageScans];
    if (paramScan) all.push(paramScan);
    if (callScans) for (const cs of callScans) if (cs) all.push(...cs);
    if (ids) all.push(guard.scan([...ids.opaque.keys()].join('\n'), { origin: 'prompt' }));
    let level = (req.declaredLevel ?? 1) as Confidentiality;
    const findings: Record<string, number> = {};
    const flags = new Set<GuardFlag>();
    for (const s of all) {
      if (s.confidentiality > level) level = s.confidentiality;
      for (const f of s.findings) findings[f.type] = (findings[f.type] ?? 0) + 1;
      for (const fl of s.flags) flags.add(fl);
    }

    const decision = level <= model.clearance ? 'allow' : guard.decide(level, model.clearance);
    // Parameters are sent as given: what would have to be masked in them blocks the call instead.
    const unmaskable = decision === 'mask' && paramScan !== null && paramScan.findings.length > 0;
    // Everything above only read the request; from here on the call has effects, so a refused caller stops here.
    if (req.admission) await req.admission;
    if (decision === 'block' || unmaskable) {
      await this.deps.audit.append({
        actor: req.actor,
        action: 'policy.decision',
        model: { id: model.id, origin: model.origin, hosting: model.hosting },
        ...(req.app ? { app: req.app } : {}),
        ...(req.collection ? { collection: req.collection } : {}),
        findings,
        flags: [...flags],
        confidentiality: level,
        outcome: 'block',
        inputSha256: sha256Hex(JSON.stringify(req.messages)),
        ...(req.purpose ? { detail: { purpose: req.purpose } } : {}),
      });
      throw policyBlock(
        unmaskable
          ? `stop・response_format・tools の定義に個人情報が含まれており、これらはマスキングしないためモデル「${model.id}」(取扱い可能な機密性${model.clearance}まで) に送信できません。/ stop, response_format or a tool definition holds personal data, which is not masked in parameters, and model "${model.id}" is cleared only for level ${model.clearance}: remove it from the parameters, or choose a model cleared for level ${level}.`
          : `機密性${level}の内容はモデル「${model.id}」(取扱い可能な機密性${model.clearance}まで) に送信できません。/ Confidentiality level ${level} exceeds the clearance (${model.clearance}) of model "${model.id}": choose a model cleared for level ${level}, or remove the sensitive content.`,
        { reason: 'confidentiality_exceeds_clearance', details: { level, clearance: model.clearance, model: model.id } },
      );
    }

    const session = guard.newSession();
    let messages = req.messages;
    let passages = req.passages;
    const masked: MaskResult['replaced'] = [];
    if (decision === 'mask') {
      // Placeholders the request already holds are never issued for its values (a typed 〔氏名1〕 must not restore to another's name).
      reserveRequestPlaceholders(req, paramText, session);
      messages = req.messages.map((m, i) => {
        const r = guard.mask(m.content, session, scans[i]);
        masked.push(...r.replaced);
        const out: ChatMessage = { role: m.role, content: r.masked };
        if (m.toolCallId !== undefined) out.toolCallId = ids!.opaque.get(m.toolCallId)!;
        if (m.toolCalls) {
          out.toolCalls = m.toolCalls.map((t, j) => {
            const a = guard.mask(t.arguments, session, callScans?.[i]?.[j]);
            masked.push(...a.replaced);
            return { id: ids!.opaque.get(t.id)!, name: t.name, arguments: a.masked };
          });
        }
        return out;
      });
      passages = req.passages?.map((ps, i) => maskPassage(guard, session, ps, passageScans[i]!, masked));
    } else if (ids) {
      messages = req.messages.map((m) => withOpaqueIds(m, ids.opaque));
    }

    // Held before the model is called? (Decides whether the answer may stream.)
    const reviewReasons = reviewCauses(config.review, { inputFlags: [...flags], confidentiality: level, appRequiresReview: req.requireReview === true });
    return { model, level, policy: decision, session, messages, passages, findings, flags, masked, reviewReasons, started };
  }

  private validate(req: GovernedRequest): void {
    const limits = this.deps.config.server;
    if (!Array.isArray(req.messages) || req.messages.length === 0) throw badInput('メッセージがありません / messages must be a non-empty array of {role, content}');
    if (req.messages.length > limits.maxMessages) throw badInput(`メッセージが多すぎます（${req.messages.length} 件、上限 ${limits.maxMessages} 件）。古いやり取りを減らしてください / too many messages: ${req.messages.length} (limit ${limits.maxMessages}, server.maxMessages)`, { reason: 'too_many_messages', details: { param: 'messages' } });
    req.messages.forEach((m, i) => {
      if (!m || typeof m !== 'object') throw badInput(`messages[${i}] must be an object {role, content}`);
      if (!ROLES.has(m.role)) throw badInput(`messages[${i}].role = ${JSON.stringify(m.role)}: allowed are system, user, assistant, tool`);
      if (typeof m.content !== 'string') throw badInput(`messages[${i}].content must be a string`);
      if (m.content.length > limits.maxMessageChars) throw badInput(`メッセージが長すぎます（${m.content.length} 文字、上限 ${limits.maxMessageChars} 文字）。分けて送ってください / messages[${i}].content is ${m.content.length} characters; the limit is ${limits.maxMessageChars} (server.maxMessageChars)`, { reason: 'message_too_long', details: { param: `messages[${i}].content` } });
    });
  }

  private requiredLevel(p: Prepared): Confidentiality {
    // A fallback model must be cleared for at least what the chosen model was trusted with for this request.
    return (p.policy === 'allow' ? p.level : Math.min(p.level, p.model.clearance)) as Confidentiality;
  }

  private chatRequest(req: GovernedRequest, p: Prepared): ChatRequest {
    return {
      messages: p.messages,
      ...(p.passages ? { passages: p.passages } : {}),
      ...(req.maxTokens !== undefined ? { maxTokens: req.maxTokens } : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      ...(req.generation ? { generation: req.generation } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    };
  }

  private async finish(req: GovernedRequest, p: Prepared, result: ChatResult, model: ModelInfo): Promise<GovernedResult> {
    const { guard, config } = this.deps;
    // Output checks run on what the model produced (still masked), then placeholders are restored for the requester.
    const inputFlags = [...p.flags];
    const out = guard.checkOutput(result.content, p.session);
    // The arguments of tool calls are output too: checked, and their placeholders restored, like the text.
    if (result.toolCalls) for (const t of result.toolCalls) out.flags.push(...guard.checkOutput(t.arguments, p.session).flags.filter((f) => !out.flags.includes(f)));
    if (result.refusal) out.flags.push(...guard.checkOutput(result.refusal, p.session).flags.filter((f) => !out.flags.includes(f)));
    for (const f of out.flags) p.flags.add(f);
    const content = config.guard.restoreMasked ? guard.unmask(result.content, p.session) : result.content;
    const toolCalls = result.toolCalls?.map((t) => ({ id: t.id, name: t.name, arguments: config.guard.restoreMasked ? guard.unmask(t.arguments, p.session) : t.arguments }));
    const refusal = result.refusal && (config.guard.restoreMasked ? guard.unmask(result.refusal, p.session) : result.refusal);
    // What the model gave back, as the audit trail and the review queue keep it.
    const outputText = toolCalls ? JSON.stringify({ content, tool_calls: toolCalls }) : refusal ? JSON.stringify({ content, refusal }) : content;
    // Citations name the passages as the model got them: the caller gets its own source names and headings back.
    const originals = p.passages !== req.passages && result.citations?.length ? originalPassages(req.passages!, p.passages!) : null;
    const citations = result.citations?.map((c) => {
      const restored = extend(c, { quote: config.guard.restoreMasked ? guard.unmask(c.quote, p.session) : c.quote });
      const o = originals?.get(`${c.chunk}\u0000${c.source}`);
      if (o === undefined) return restored;
      restored.source = o ? o.source : guard.unmask(c.source, p.session);
      if (restored.heading !== undefined) restored.heading = o ? o.heading : guard.unmask(restored.heading, p.session);
      return restored;
    });

    const reasons = reviewCauses(config.review, {
      inputFlags,
      outputFlags: out.flags,
      confidentiality: p.level,
      appRequiresReview: req.requireReview === true,
      uncitedAnswer: req.passages !== undefined && !result.abstained && !result.citations?.length,
    });

    const latencyMs = Math.round(performance.now() - p.started);
    const costJpy = (result.usage.prompt_tokens / 1000) * model.priceInputPer1k + (result.usage.completion_tokens / 1000) * model.priceOutputPer1k;
    const energyWh = model.watts ? (model.watts * latencyMs) / 1000 / 3600 : 0;
    const inputText = inputTextOf(req);

    const event: AuditEventInput = {
      actor: req.actor,
      action: req.app ? 'app.run' : 'model.call',
      model: { id: model.id, origin: model.origin, hosting: model.hosting },
      ...(req.app ? { app: req.app } : {}),
      ...(req.collection ? { collection: req.collection } : {}),
      // As the model saw them: a source name masked for the model is not kept raw in the chain, which outlives content retention.
      ...(result.citations?.length ? { citedChunks: result.citations.map((c) => `${c.source}#${c.chunk}`) } : {}),
      findings: p.findings,
      flags: [...p.flags],
      confidentiality: p.level,
      outcome: reasons.length ? 'review' : p.policy,
      usage: result.usage,
      costJpy,
      energyWh,
      latencyMs,
      inputSha256: sha256Hex(inputText),
      outputSha256: sha256Hex(outputText),
      content: { input: inputText, output: outputText },
      detail: {
        masked: p.masked.length,
        ...(model.id !== p.model.id ? { fallbackFrom: p.model.id } : {}),
        ...(reasons.length ? { reviewReasons: reasons } : {}),
        ...(req.purpose ? { purpose: req.purpose } : {}),
      },
    };
    const { id: auditId } = await this.deps.audit.append(event);

    let review: GovernedResult['review'];
    if (reasons.length) {
      const item = await this.deps.review.enqueue({
        actor: req.actor,
        ...(req.app ? { app: req.app } : {}),
        model: model.id,
        reasons,
        input: req.messages.map((m) => `${m.role}: ${m.content}`).join('\n'),
        output: outputText,
        citations,
        auditId,
      });
      review = { id: item.id, status: 'pending' };
    }

    return {
      model,
      content: review ? REVIEW_PENDING_TEXT : content,
      ...(toolCalls && !review ? { toolCalls } : {}),
      ...(refusal && !review ? { refusal } : {}),
      finishReason: review ? 'stop' : finishReason(result, toolCalls),
      usage: result.usage,
      ...(citations && !review ? { citations } : {}),
      ...(result.abstained !== undefined ? { abstained: result.abstained } : {}),
      confidentiality: p.level,
      policy: p.policy,
      masked: p.masked,
      flags: [...p.flags],
      ...(review ? { review } : {}),
      auditId,
      costJpy: Math.round(costJpy * 1e6) / 1e6,
      energyWh: Math.round(energyWh * 1e6) / 1e6,
      latencyMs,
    };
  }
}

/** The model's reason to stop, in OpenAI's terms (servers name a few more, or none). */
function finishReason(result: ChatResult, toolCalls: unknown[] | undefined): NonNullable<GovernedResult['finishReason']> {
  if (toolCalls?.length) return 'tool_calls';
  if (result.finishReason === 'length' || result.finishReason === 'content_filter') return result.finishReason;
  return 'stop';
}

/** Holds back a partial placeholder (〔氏名1 …) across stream deltas so restoration never sees half of one. */
class PlaceholderBuffer {
  private pending = '';
  constructor(private readonly restore: (text: string) => string) {}
  push(text: string): string {
    this.pending += text;
    const open = this.pending.lastIndexOf('〔');
    if (open >= 0 && this.pending.indexOf('〕', open) < 0 && this.pending.length - open < 16) {
      const ready = this.pending.slice(0, open);
      this.pending = this.pending.slice(open);
      return ready ? this.restore(ready) : '';
    }
    const out = this.restore(this.pending);
    this.pending = '';
    return out;
  }
  flush(): string {
    const out = this.pending ? this.restore(this.pending) : '';
    this.pending = '';
    return out;
  }
}

/** The id the model gets for the caller's n-th tool call. */
const opaqueId = (n: number): string => `call${String(n).padStart(5, '0')}`;

/**
 * The caller's tool-call ids (tool_calls[].id, tool_call_id; the Responses API's call_id) and the opaque id the
 * model gets for each — call00001, call00002… in order of first appearance, the same for a call and the tool turn
 * that answers it (nine letters and digits: servers for Mistral models refuse ids of any other form); `calls`
 * when some message carries tool calls (their arguments are scanned). Null without any:
 * nothing more for a request without tool turns.
 */
function toolCallIds(messages: readonly ChatMessage[]): { opaque: Map<string, string>; calls: boolean } | null {
  let opaque: Map<string, string> | null = null;
  let calls = false;
  for (const m of messages) {
    if (m.toolCalls?.length) {
      calls = true;
      opaque ??= new Map();
      for (const t of m.toolCalls) if (!opaque.has(t.id)) opaque.set(t.id, opaqueId(opaque.size + 1));
    }
    if (m.toolCallId !== undefined) {
      opaque ??= new Map();
      if (!opaque.has(m.toolCallId)) opaque.set(m.toolCallId, opaqueId(opaque.size + 1));
    }
  }
  return opaque ? { opaque, calls } : null;
}

/** A message as the model gets it when nothing is masked: the same, with the opaque tool-call ids. */
function withOpaqueIds(m: ChatMessage, opaque: ReadonlyMap<string, string>): ChatMessage {
  if (!m.toolCalls && m.toolCallId === undefined) return m;
  const out: ChatMessage = { role: m.role, content: m.content };
  if (m.toolCallId !== undefined) out.toolCallId = opaque.get(m.toolCallId)!;
  if (m.toolCalls) out.toolCalls = m.toolCalls.map((t) => ({ id: opaque.get(t.id)!, name: t.name, arguments: t.arguments }));
  return out;
}

/** Every text of the request the session masks or sends beside masked text: reserved before anything is masked. */
function reserveRequestPlaceholders(req: GovernedRequest, paramText: string, session: MaskSession): void {
  for (const m of req.messages) {
    reservePlaceholders(m.content, session);
    if (m.toolCalls) for (const t of m.toolCalls) reservePlaceholders(t.arguments, session);
  }
  if (req.passages) {
    for (const ps of req.passages) {
      reservePlaceholders(ps.source, session);
      reservePlaceholders(ps.heading, session);
      reservePlaceholders(ps.text, session);
    }
  }
  if (paramText) reservePlaceholders(paramText, session);
}

/** The text a passage is scanned as: its source, heading and text, one line apart (offsets as in maskPassage). */
function passageScanText(ps: Passage): string {
  return `${ps.source}\n${ps.heading}\n${ps.text}`;
}

/**
 * A passage as a model not cleared for it gets it: source, heading and text masked in the request's session
 * from the one scan of passageScanText (a finding across a line break is masked on both sides).
 */
function maskPassage(guard: GuardPort, session: MaskSession, ps: Passage, scan: ScanResult, masked: MaskResult['replaced']): Passage {
  if (!scan.findings.length) return ps;
  const headingAt = ps.source.length + 1;
  const textAt = headingAt + ps.heading.length + 1;
  const part = (text: string, at: number): string => {
    const end = at + text.length;
    const findings: Finding[] = [];
    for (const f of scan.findings) {
      if (f.end <= at || f.start >= end) continue;
      const start = Math.max(f.start, at) - at;
      const stop = Math.min(f.end, end) - at;
      findings.push(start === f.start - at && stop === f.end - at ? extend(f, { start, end: stop }) : extend(f, { start, end: stop, text: text.slice(start, stop) }));
    }
    if (!findings.length) return text;
    const r = guard.mask(text, session, { findings, confidentiality: scan.confidentiality, flags: [], details: [] });
    masked.push(...r.replaced);
    return r.masked;
  };
  // In the order the model reads them (出典: source（heading）, then the text), so the numbering follows it.
  const source = part(ps.source, 0);
  const heading = part(ps.heading, headingAt);
  const text = part(ps.text, textAt);
  return extend(ps, { source, heading, text });
}

/**
 * The caller's passage behind each passage as the model got it, by chunk and (masked) source; null where two
 * passages masked to the same name (their placeholders are then restored instead).
 */
function originalPassages(given: readonly Passage[], sent: readonly Passage[]): Map<string, Passage | null> {
  const out = new Map<string, Passage | null>();
  sent.forEach((s, i) => {
    const key = `${s.chunk}\u0000${s.source}`;
    const o = given[i]!;
    const seen = out.get(key);
    out.set(key, seen === undefined || seen === o || (seen && seen.source === o.source && seen.heading === o.heading) ? o : null);
  });
  return out;
}

/** What was asked, as the audit trail keeps it: the messages, the passages cited by reference, and the parameters that shape the output (stop, response_format, tools…). */
function inputTextOf(req: GovernedRequest): string {
  return JSON.stringify({ messages: req.messages, passages: req.passages?.map((x) => ({ source: x.source, chunk: x.chunk })), generation: req.generation });
}
