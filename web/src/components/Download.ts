import { apiBlob } from '../api/client';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Turn the `docx` field of an app run (base64, data URL or a URL on the server) into a Blob. */
export async function docxBlob(docx: string | { url?: string; base64?: string }): Promise<Blob> {
  const ref = typeof docx === 'string' ? docx : (docx.url ?? docx.base64 ?? '');
  if (/^(https?:|\/)/.test(ref)) return apiBlob(ref);
  const b64 = ref.replace(/^data:[^,]*,/, '');
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: DOCX_TYPE });
}

/** Save a Blob under a file name (a temporary link, clicked and removed). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Open a Blob (e.g. an HTML report fetched with the API key) in a new tab. */
export function openBlob(blob: Blob): void {
  const url = URL.createObjectURL(blob);
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
