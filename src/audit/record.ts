import { z } from 'zod';
import { badInput } from '../core/errors.js';
import { formatPath } from '../config/load.js';
import type { AuditEventInput } from './types.js';
import { canonicalJson, sha256Hex } from './canonical.js';

export const GENESIS_HASH = '0'.repeat(64);

const sha = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');
const actionSchema = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, 'a dotted lowercase action such as model.call');

/** What may be recorded: unknown keys are dropped (so nothing unplanned, e.g. raw text, slips in). */
const inputSchema = z.object({
  actor: z.object({ user: z.string().min(1), role: z.string().min(1), tenant: z.string().min(1) }),
  action: actionSchema,
  model: z.object({ id: z.string(), origin: z.string(), hosting: z.string() }).optional(),
  app: z.string().optional(),
  collection: z.string().optional(),
  citedChunks: z.array(z.string()).optional(),
  findings: z.record(z.string(), z.number().int().min(0)).optional(),
  flags: z.array(z.string()).optional(),
  confidentiality: z.number().int().min(1).max(3).optional(),
  outcome: z.string().optional(),
  usage: z
    .object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number(), estimated: z.boolean().optional() })
    .optional(),
  costJpy: z.number().finite().optional(),
  energyWh: z.number().finite().optional(),
  latencyMs: z.number().finite().optional(),
  inputSha256: sha.optional(),
  outputSha256: sha.optional(),
  content: z.object({ input: z.string().optional(), output: z.string().optional() }).optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

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
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw badInput(`audit event: ${formatPath(i.path) || '(event)'}: ${i.message}`);
  }
  const { content, ...rest } = parsed.data;
  const base: PreparedEvent['base'] = { ...(rest as Omit<AuditEventInput, 'content'>), time };
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
