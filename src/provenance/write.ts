import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadSigningKey, type KeyLocation, type SigningKey } from '../audit/keys.js';
import { docxContentHash, embedProperty, prepareDocx } from './docx.js';
import { buildManifest, type ProvenanceManifest, type ProvenanceMeta } from './manifest.js';

export interface ProvenanceOptions {
  /** The signing key, or where to find it (the audit key: <dataDir>/keys/ or config.audit.keyFile). */
  key?: SigningKey;
  config?: KeyLocation;
}

export const manifestPathFor = (file: string) => `${file}.provenance.json`;

/** Sign a manifest for `content` as it will be written to `file` (a .docx gets the manifest embedded too). */
export async function withProvenance(file: string, content: string | Uint8Array, meta: ProvenanceMeta, options: ProvenanceOptions): Promise<{ bytes: Uint8Array; manifest: ProvenanceManifest }> {
  const key = options.key ?? (options.config ? loadSigningKey(options.config) : undefined);
  if (!key) throw new TypeError('withProvenance: give a signing key or the config that locates it');
  let bytes: Uint8Array = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const name = path.basename(file);
  if (/\.docx$/i.test(file)) {
    bytes = await prepareDocx(bytes);
    const manifest = buildManifest(meta, { file: name, sha256: await docxContentHash(bytes), hash_method: 'docx-parts-sha256', bytes: bytes.length }, key);
    return { bytes: await embedProperty(bytes, JSON.stringify(manifest)), manifest };
  }
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  return { bytes, manifest: buildManifest(meta, { file: name, sha256, hash_method: 'sha256', bytes: bytes.length }, key) };
}

/**
 * Write FILE and FILE.provenance.json (used by `chat|ask|apps run --out FILE`). Both are written to a
 * temporary name first and renamed, so a reader never sees one without the other being complete.
 */
export async function writeWithProvenance(file: string, content: string | Uint8Array, meta: ProvenanceMeta, options: ProvenanceOptions): Promise<ProvenanceManifest> {
  const { bytes, manifest } = await withProvenance(file, content, meta, options);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const mfile = manifestPathFor(file);
  const tmp = `.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(file + tmp, bytes);
  fs.writeFileSync(mfile + tmp, JSON.stringify(manifest, null, 2) + '\n');
  fs.renameSync(file + tmp, file);
  fs.renameSync(mfile + tmp, mfile);
  return manifest;
}
