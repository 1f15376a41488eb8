export { writeWithProvenance, withProvenance, manifestPathFor, type ProvenanceOptions } from './write.js';
export { verifyProvenance, type ProvenanceReport } from './verify.js';
export { embedProperty as embedDocxProperty, readProperty as readDocxProperty, docxContentHash, PROPERTY_NAME } from './docx.js';
export type { ProvenanceManifest, ProvenanceMeta } from './manifest.js';

import { embedProperty } from './docx.js';
import type { ProvenanceManifest } from './manifest.js';

/** Take .docx bytes and return .docx bytes carrying the manifest in docProps/custom.xml (hiraga.provenance). */
export function embedManifestInDocx(docx: Uint8Array, manifest: ProvenanceManifest): Promise<Uint8Array> {
  return embedProperty(docx, JSON.stringify(manifest));
}
