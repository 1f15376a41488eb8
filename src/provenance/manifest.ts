import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../audit/canonical.js';
import { keyIdOf, type SigningKey } from '../audit/keys.js';

export const MANIFEST_FORMAT = 'hiraga-provenance/1';

/** What the caller knows about a generated output. */
export interface ProvenanceMeta {
  model?: { id: string; origin: string; hosting: string };
  app?: string;
  /** The prompt/input (only its SHA-256 is recorded), or its hash directly. */
  input?: string;
  inputSha256?: string;
  sources?: { source: string; chunk: number }[];
  review?: { id: number; status: string; decidedBy?: string | null };
  auditEventId?: number;
  time?: string;
}

export type HashMethod = 'sha256' | 'docx-parts-sha256';

/** A signed manifest in the spirit of C2PA: who/what generated the output, from what, checked by whom. */
export interface ProvenanceManifest {
  format: typeof MANIFEST_FORMAT;
  claim_generator: { name: 'hiraga'; version: string };
  created: string;
  model: { id: string; origin: string; hosting: string } | null;
  app: string | null;
  input: { sha256: string } | null;
  output: { file: string; sha256: string; hash_method: HashMethod; bytes: number };
  sources: { source: string; chunk: number }[];
  review: { id: number; status: string; decided_by: string | null } | null;
  audit_event_id: number | null;
  signature: { alg: 'Ed25519'; key_id: string; public_key: string; value: string };
}

export function generatorVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The signed bytes: the canonical manifest with the signature value left out. */
export function signedStatement(m: ProvenanceManifest): string {
  const { value: _v, ...sig } = m.signature;
  return canonicalJson({ ...m, signature: sig });
}

export function buildManifest(
  meta: ProvenanceMeta,
  output: { file: string; sha256: string; hash_method: HashMethod; bytes: number },
  key: SigningKey,
): ProvenanceManifest {
  const inputSha = meta.inputSha256 ?? (meta.input !== undefined ? crypto.createHash('sha256').update(meta.input).digest('hex') : undefined);
  const m: ProvenanceManifest = {
    format: MANIFEST_FORMAT,
    claim_generator: { name: 'hiraga', version: generatorVersion() },
    created: meta.time ?? new Date().toISOString(),
    model: meta.model ? { id: meta.model.id, origin: meta.model.origin, hosting: meta.model.hosting } : null,
    app: meta.app ?? null,
    input: inputSha ? { sha256: inputSha } : null,
    output,
    sources: (meta.sources ?? []).map((s) => ({ source: s.source, chunk: s.chunk })),
    review: meta.review ? { id: meta.review.id, status: meta.review.status, decided_by: meta.review.decidedBy ?? null } : null,
    audit_event_id: meta.auditEventId ?? null,
    signature: { alg: 'Ed25519', key_id: key.keyId, public_key: key.publicKeyPem, value: '' },
  };
  m.signature.value = key.sign(signedStatement(m));
  return m;
}

/** Check the signature with the manifest's own key, and that key against a trusted one when given. */
export function manifestSignatureProblem(m: ProvenanceManifest, trustedKeyId?: string): string | null {
  let publicKey: crypto.KeyObject;
  try {
    publicKey = crypto.createPublicKey(m.signature.public_key);
  } catch {
    return 'the manifest carries no readable public key';
  }
  const keyId = keyIdOf(publicKey);
  if (keyId !== m.signature.key_id) return `the manifest key id ${m.signature.key_id} does not match its public key (${keyId})`;
  if (trustedKeyId && keyId !== trustedKeyId) return `signed with key ${keyId}, not with the trusted key ${trustedKeyId}`;
  let ok = false;
  try {
    ok = crypto.verify(null, Buffer.from(signedStatement(m), 'utf8'), publicKey, Buffer.from(m.signature.value, 'base64'));
  } catch {
    ok = false;
  }
  return ok ? null : 'the manifest signature is invalid (the manifest was edited)';
}
