import crypto from 'node:crypto';
import fs from 'node:fs';
import { badInput } from '../core/errors.js';
import { docxContentHash, readProperty } from './docx.js';
import { manifestSignatureProblem, MANIFEST_FORMAT, type ProvenanceManifest } from './manifest.js';
import { manifestPathFor } from './write.js';

export interface ProvenanceReport {
  ok: boolean;
  file: string;
  /** The manifest file used, or "embedded" (the .docx custom property). */
  manifest: string;
  keyId: string | null;
  /**
   * What is wrong: `manifest` (signature, or `reason: 'unknown_signer'` — validly signed, but not by the
   * trusted key), `file` (hash), or both.
   */
  problems: { what: 'file' | 'manifest'; message: string; reason?: 'unknown_signer' }[];
  /** The manifest is validly signed by a trusted key (the --public-key given, or this installation's key). */
  authenticated: boolean;
  /** Which key the signer was checked against; null when none was known (integrity only: anyone can sign). */
  trustedBy: 'public-key' | 'installation-key' | null;
}

/** The key a manifest must be signed by: given with --public-key, or this installation's own. */
export interface TrustedKey {
  keyId: string;
  from: 'public-key' | 'installation-key';
}

/**
 * Check FILE against its signed manifest (FILE.provenance.json, the given MANIFEST, or the .docx's embedded one).
 * The signature is checked with the key the manifest carries, which proves nothing about who signed it; only
 * `trusted` (a key id: as given with --public-key) makes the signer authenticated.
 */
export async function verifyProvenance(file: string, manifestFile?: string, trusted?: string | TrustedKey): Promise<ProvenanceReport> {
  const trust: TrustedKey | null = trusted === undefined ? null : typeof trusted === 'string' ? { keyId: trusted, from: 'public-key' } : trusted;
  if (!fs.existsSync(file)) throw badInput(`file not found: ${file}`);
  const bytes = fs.readFileSync(file);
  const isDocx = /\.docx$/i.test(file);
  let text: string | null = null;
  let source = manifestFile ?? manifestPathFor(file);
  if (fs.existsSync(source)) text = fs.readFileSync(source, 'utf8');
  else if (manifestFile) throw badInput(`manifest not found: ${manifestFile}`);
  else if (isDocx) {
    text = await readProperty(bytes).catch(() => null);
    source = 'embedded';
  }
  if (text === null) throw badInput(`no provenance manifest for ${file}: expected ${manifestPathFor(file)}${isDocx ? ' or an embedded hiraga.provenance property' : ''}`);

  const problems: ProvenanceReport['problems'] = [];
  let m: ProvenanceManifest | null = null;
  try {
    m = JSON.parse(text) as ProvenanceManifest;
    if (m.format !== MANIFEST_FORMAT || !m.signature || !m.output) throw new Error('not a hiraga provenance manifest');
  } catch (err) {
    problems.push({ what: 'manifest', message: `the manifest is not readable (${(err as Error).message}): it was changed` });
    return { ok: false, file, manifest: source, keyId: null, problems, authenticated: false, trustedBy: trust?.from ?? null };
  }
  const sigProblem = manifestSignatureProblem(m);
  const keyId = m.signature.key_id ?? null;
  if (sigProblem) problems.push({ what: 'manifest', message: sigProblem });
  else if (trust && keyId !== trust.keyId) {
    const message =
      trust.from === 'public-key'
        ? `signed with key ${keyId}, not with the trusted key ${trust.keyId} (--public-key): it was signed by someone else`
        : `signed by an unknown key ${keyId}, not by this installation's key ${trust.keyId}: pass --public-key KEYFILE of the issuer to trust it`;
    problems.push({ what: 'manifest', message, reason: 'unknown_signer' });
  }
  const actual = m.output.hash_method === 'docx-parts-sha256' ? await docxContentHash(bytes).catch(() => 'unreadable') : crypto.createHash('sha256').update(bytes).digest('hex');
  if (actual !== m.output.sha256) problems.push({ what: 'file', message: `${file} was changed: its SHA-256 (${m.output.hash_method}) is ${actual.slice(0, 16)}…, the manifest says ${String(m.output.sha256).slice(0, 16)}…` });
  return { ok: problems.length === 0, file, manifest: source, keyId, problems, authenticated: Boolean(trust) && !sigProblem && keyId === trust!.keyId, trustedBy: trust?.from ?? null };
}
