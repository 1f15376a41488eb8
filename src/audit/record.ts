import { badInput } from '../core/errors.js';
import { formatPath } from '../config/load.js';
import type { AuditEventInput } from './types.js';
import { canonicalJson, sha256Hex } from './canonical.js';

export const GENESIS_HASH = '0'.repeat(64);

const SHA = /^[0-9a-f]{64}$/;
const ACTION = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

/**
 * What may be recorded, checked by hand: unknown keys are dropped (so nothing unplanned, e.g. raw text,
 * slips in), and the first wrong value is reported with its path.
 *
 * Every governed call records one event, so this runs on the request path. It was a zod schema, which
 * cost ~70 µs per event in a CPU profile of bench:gateway (a tenth of what governance adds); this costs
 * a few. `test/audit/record.test.ts` checks it against that zod schema on random events: the same
 * events are accepted, and the accepted ones hash the same.
 */
function checkEvent(input: unknown): { record: Omit<AuditEventInput, 'content'>; content?: { input?: string; output?: string } } {
  const e = obj(input, []);
  const out: Record<string, unknown> = {};
  const a = obj(e.actor, ['actor']);
  const actor: Record<string, unknown> = { user: str(a.user, ['actor', 'user'], 1), role: str(a.role, ['actor', 'role'], 1), tenant: str(a.tenant, ['actor', 'tenant'], 1) };
  if (a.credential !== undefined) actor.credential = str(a.credential, ['actor', 'credential'], 1);
  out.actor = actor;
  const action = str(e.action, ['action']);
  if (!ACTION.test(action)) fail(['action'], 'a dotted lowercase action such as model.call');
  out.action = action;
  if (e.model !== undefined) {
    const m = obj(e.model, ['model']);
    out.model = { id: str(m.id, ['model', 'id']), origin: str(m.origin, ['model', 'origin']), hosting: str(m.hosting, ['model', 'hosting']) };
  }
  for (const k of ['app', 'collection', 'outcome'] as const) if (e[k] !== undefined) out[k] = str(e[k], [k]);
  for (const k of ['citedChunks', 'flags'] as const) if (e[k] !== undefined) out[k] = arr(e[k], [k]).map((x, i) => str(x, [k, i]));
  if (e.findings !== undefined) {
    const f = obj(e.findings, ['findings']);
    const copy: Record<string, number> = {};
    for (const k of Object.keys(f)) {
      const n = f[k];
      if (!Number.isSafeInteger(n) || (n as number) < 0) fail(['findings', k], 'a whole number ≥ 0');
      copy[k] = n as number;
    }
    out.findings = copy;
  }
  if (e.confidentiality !== undefined) {
    const c = e.confidentiality;
    if (!Number.isSafeInteger(c) || (c as number) < 1 || (c as number) > 3) fail(['confidentiality'], 'a whole number from 1 to 3');
    out.confidentiality = c;
  }
  if (e.usage !== undefined) {
    const u = obj(e.usage, ['usage']);
    const usage: Record<string, unknown> = {
      prompt_tokens: num(u.prompt_tokens, ['usage', 'prompt_tokens']),
      completion_tokens: num(u.completion_tokens, ['usage', 'completion_tokens']),
      total_tokens: num(u.total_tokens, ['usage', 'total_tokens']),
    };
    if (u.estimated !== undefined) {
      if (typeof u.estimated !== 'boolean') fail(['usage', 'estimated'], 'true or false');
      usage.estimated = u.estimated;
    }
    out.usage = usage;
  }
  for (const k of ['costJpy', 'energyWh', 'latencyMs'] as const) if (e[k] !== undefined) out[k] = num(e[k], [k]);
  for (const k of ['inputSha256', 'outputSha256'] as const) {
    if (e[k] === undefined) continue;
    if (!SHA.test(str(e[k], [k]))) fail([k], 'a lowercase hex SHA-256');
    out[k] = e[k];
  }
  let content: { input?: string; output?: string } | undefined;
  if (e.content !== undefined) {
    const c = obj(e.content, ['content']);
    content = {};
    if (c.input !== undefined) content.input = str(c.input, ['content', 'input']);
    if (c.output !== undefined) content.output = str(c.output, ['content', 'output']);
  }
  if (e.detail !== undefined) out.detail = Object.assign({}, obj(e.detail, ['detail']));
  const record = out as Omit<AuditEventInput, 'content'>;
  return content ? { record, content } : { record };
}

type Path = Array<string | number>;
function fail(path: Path, expected: string): never {
  throw badInput(`audit event: ${formatPath(path) || '(event)'}: expected ${expected}`);
}
function obj(v: unknown, path: Path): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(path, 'an object');
  return v as Record<string, unknown>;
}
function arr(v: unknown, path: Path): unknown[] {
  if (!Array.isArray(v)) fail(path, 'an array');
  return v;
}
function str(v: unknown, path: Path, min = 0): string {
  if (typeof v !== 'string') fail(path, 'a string');
  if (v.length < min) fail(path, 'a non-empty string');
  return v;
}
function num(v: unknown, path: Path): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'a finite number');
  return v;
}

/** The hashed part of an event: everything recorded except `hash` (and except kept content). */
export interface HashedRecord extends Omit<AuditEventInput, 'content'> {
  id: number;
  time: string;
  /** Days the content is kept (0 or absent: not kept). */
  contentRetentionDays?: number;
  prev_hash: string;
}

export interface PreparedEvent {
  /** The validated event without id/prev_hash (assigned at commit). */
  base: Omit<HashedRecord, 'id' | 'prev_hash'>;
  content?: { input?: string; output?: string };
}

/** Validate an event and fill in the content hashes; content itself is split off. */
export function prepareEvent(input: AuditEventInput, time: string, retentionDays: (tenant: string, level: number) => number): PreparedEvent {
  // The checked record is a new object: `time` is added to it rather than copied with a spread (see core/objects.ts).
  const { record: rest, content } = checkEvent(input);
  const base: PreparedEvent['base'] = Object.assign(rest, { time });
  if (content?.input !== undefined) base.inputSha256 ??= sha256Hex(content.input);
  if (content?.output !== undefined) base.outputSha256 ??= sha256Hex(content.output);
  if (!content || (content.input === undefined && content.output === undefined)) return { base };
  const days = retentionDays(rest.actor.tenant, rest.confidentiality ?? 1);
  base.contentRetentionDays = days;
  return days > 0 ? { base, content } : { base };
}

/** hash = SHA-256(canonical JSON of the record including prev_hash, excluding hash). */
export function hashRecord(record: HashedRecord | Record<string, unknown>): { json: string; hash: string } {
  const json = canonicalJson(record);
  return { json, hash: sha256Hex(json) };
}
