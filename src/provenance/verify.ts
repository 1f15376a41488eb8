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
  /** What changed: `manifest` (signature), `file` (hash), or both. */
  problems: { what: 'file' | 'manifest'; message: string }[];
}

/** Check FILE against its signed manifest (FILE.provenance.json, the given MANIFEST, or the .docx's embedded one). */
export async function verifyProvenance(file: string, manifestFile?: string, trustedKeyId?: string): Promise<ProvenanceReport> {
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
    return { ok: false, file, manifest: source, keyId: null, problems };
  }
  const sigProblem = manifestSignatureProblem(m, trustedKeyId);
  if (sigProblem) problems.push({ what: 'manifest', message: sigProblem });
  const actual = m.output.hash_method === 'docx-parts-sha256' ? await docxContentHash(bytes).catch(() => 'unreadable') : crypto.createHash('sha256').update(bytes).digest('hex');
  if (actual !== m.output.sha256) problems.push({ what: 'file', message: `${file} was changed: its SHA-256 (${m.output.hash_method}) is ${actual.slice(0, 16)}…, the manifest says ${String(m.output.sha256).slice(0, 16)}…` });
  return { ok: problems.length === 0, file, manifest: source, keyId: m.signature.key_id ?? null, problems };
}
