import crypto from 'node:crypto';
import JSZip from 'jszip';
import { badInput } from '../core/errors.js';

/** The custom property that carries the manifest inside a .docx. */
export const PROPERTY_NAME = 'hiraga.provenance';
const CUSTOM_PART = 'docProps/custom.xml';
const CUSTOM_TYPE = 'application/vnd.openxmlformats-officedocument.custom-properties+xml';
const CUSTOM_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties';
const FMTID = '{D5CDD505-2E9C-101B-9397-08002B2CF9AE}';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const unescapeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

async function open(bytes: Uint8Array): Promise<JSZip> {
  try {
    return await JSZip.loadAsync(bytes);
  } catch (err) {
    throw badInput(`not a .docx (ZIP) file: ${(err as Error).message}`);
  }
}

/**
 * The hash of a .docx that survives embedding the manifest: SHA-256 over "name\tSHA-256(part)\n" for
 * every part in name order, except docProps/custom.xml (which holds the manifest itself).
 */
export async function docxContentHash(bytes: Uint8Array): Promise<string> {
  const zip = await open(bytes);
  const names = Object.keys(zip.files)
    .filter((n) => !zip.files[n]!.dir && n !== CUSTOM_PART)
    .sort();
  const h = crypto.createHash('sha256');
  for (const n of names) h.update(`${n}\t${crypto.createHash('sha256').update(await zip.files[n]!.async('uint8array')).digest('hex')}\n`);
  return h.digest('hex');
}

/** Make sure the package declares a custom-properties part (content type and relationship). */
export async function prepareDocx(bytes: Uint8Array): Promise<Uint8Array> {
  const zip = await open(bytes);
  await ensureDeclared(zip);
  if (!zip.file(CUSTOM_PART)) zip.file(CUSTOM_PART, customXml([]));
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** Return the .docx with `value` stored in the custom property hiraga.provenance (other properties kept). */
export async function embedProperty(bytes: Uint8Array, value: string): Promise<Uint8Array> {
  const zip = await open(bytes);
  await ensureDeclared(zip);
  const existing = zip.file(CUSTOM_PART) ? await zip.file(CUSTOM_PART)!.async('string') : '';
  const others = [...existing.matchAll(/<property\b[^>]*>[\s\S]*?<\/property>/g)].map((m) => m[0]).filter((p) => !p.includes(`name="${PROPERTY_NAME}"`));
  const pid = Math.max(1, ...others.map((p) => Number(/pid="(\d+)"/.exec(p)?.[1] ?? 1))) + 1;
  const ours = `<property fmtid="${FMTID}" pid="${pid}" name="${PROPERTY_NAME}"><vt:lpwstr>${escapeXml(value)}</vt:lpwstr></property>`;
  zip.file(CUSTOM_PART, customXml([...others, ours]));
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** The hiraga.provenance custom property of a .docx, or null. */
export async function readProperty(bytes: Uint8Array): Promise<string | null> {
  const zip = await open(bytes);
  const xml = zip.file(CUSTOM_PART) ? await zip.file(CUSTOM_PART)!.async('string') : '';
  const m = new RegExp(`<property\\b[^>]*name="${PROPERTY_NAME.replace('.', '\\.')}"[^>]*>\\s*<vt:lpwstr>([\\s\\S]*?)</vt:lpwstr>`).exec(xml);
  return m ? unescapeXml(m[1]!) : null;
}

function customXml(properties: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">${properties.join('')}</Properties>`;
}

async function ensureDeclared(zip: JSZip): Promise<void> {
  const types = zip.file('[Content_Types].xml');
  if (!types) throw badInput('not a .docx: [Content_Types].xml is missing');
  let t = await types.async('string');
  if (!t.includes(`PartName="/${CUSTOM_PART}"`)) {
    t = t.replace('</Types>', `<Override PartName="/${CUSTOM_PART}" ContentType="${CUSTOM_TYPE}"/></Types>`);
    zip.file('[Content_Types].xml', t);
  }
  const relsFile = zip.file('_rels/.rels');
  if (!relsFile) throw badInput('not a .docx: _rels/.rels is missing');
  let rels = await relsFile.async('string');
  if (!rels.includes(CUSTOM_REL)) {
    rels = rels.replace('</Relationships>', `<Relationship Id="rIdHiragaCustomProps" Type="${CUSTOM_REL}" Target="${CUSTOM_PART}"/></Relationships>`);
    zip.file('_rels/.rels', rels);
  }
}
