import crypto from 'node:crypto';
import { badInput } from '../../core/errors.js';

/**
 * Sealed suites: AES-256-GCM over the plain JSONL, so a test can be fixed (its hash published)
 * before it is disclosed. File layout (UTF-8 text, one JSON object):
 *   {"format":"hiraga-sealed-suite/1","cipher":"aes-256-gcm","kdf":"raw"|"scrypt","salt","iv","tag","data"}
 * The header fields are authenticated as additional data, so none of them can be altered unnoticed.
 * The key is 32 random bytes (printed as 64 hex digits) or, with `kdf: scrypt`, a passphrase.
 */
export const SEALED_FORMAT = 'hiraga-sealed-suite/1';

interface SealedFile {
  format: typeof SEALED_FORMAT;
  cipher: 'aes-256-gcm';
  kdf: 'raw' | 'scrypt';
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

export function generateKey(): string {
  return crypto.randomBytes(32).toString('hex');
}

const isRawKey = (key: string) => /^[0-9a-fA-F]{64}$/.test(key);

function deriveKey(key: string, kdf: SealedFile['kdf'], salt: Buffer): Buffer {
  if (kdf === 'raw') {
    if (!isRawKey(key)) throw badInput('this sealed suite needs the 64-hex-digit key it was sealed with');
    return Buffer.from(key, 'hex');
  }
  return crypto.scryptSync(key.normalize('NFC'), salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
}

const aad = (f: Pick<SealedFile, 'format' | 'cipher' | 'kdf' | 'salt' | 'iv'>) => Buffer.from(`${f.format}|${f.cipher}|${f.kdf}|${f.salt}|${f.iv}`, 'utf8');

/** Encrypt a suite. A 64-hex-digit key is used as is; anything else is a passphrase (scrypt). */
export function sealSuite(plain: Buffer, key: string): Buffer {
  if (!key) throw badInput('the sealing key is empty');
  const kdf: SealedFile['kdf'] = isRawKey(key) ? 'raw' : 'scrypt';
  if (kdf === 'scrypt' && key.length < 12) throw badInput('a passphrase must have at least 12 characters (or use a 64-hex-digit key)');
  const salt = crypto.randomBytes(16);
  const iv = crypto.randomBytes(12);
  const header = { format: SEALED_FORMAT, cipher: 'aes-256-gcm', kdf, salt: salt.toString('base64'), iv: iv.toString('base64') } as const;
  const cipher = crypto.createCipheriv('aes-256-gcm', deriveKey(key, kdf, salt), iv);
  cipher.setAAD(aad(header));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  const file: SealedFile = { ...header, tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  return Buffer.from(JSON.stringify(file) + '\n', 'utf8');
}

/** Whether these bytes are a sealed suite (rather than plain JSONL). */
export function isSealed(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 200).toString('utf8');
  return head.startsWith('{"format":"' + SEALED_FORMAT + '"');
}

/** Decrypt a sealed suite in memory. Wrong key or altered file: one clear error. */
export function unsealSuite(bytes: Buffer, key: string | undefined, name = 'suite'): Buffer {
  if (!key) throw badInput(`${name} is sealed: give the key with --key or HIRAGA_EVAL_KEY`);
  let file: SealedFile;
  try {
    file = JSON.parse(bytes.toString('utf8')) as SealedFile;
  } catch (err) {
    throw badInput(`${name}: the sealed file is damaged (${(err as Error).message})`);
  }
  if (file.format !== SEALED_FORMAT || file.cipher !== 'aes-256-gcm' || (file.kdf !== 'raw' && file.kdf !== 'scrypt')) {
    throw badInput(`${name}: unsupported sealed format ${JSON.stringify(file.format)}`);
  }
  const salt = Buffer.from(file.salt, 'base64');
  const decipher = crypto.createDecipheriv('aes-256-gcm', deriveKey(key, file.kdf, salt), Buffer.from(file.iv, 'base64'));
  decipher.setAAD(aad(file));
  decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]);
  } catch {
    throw badInput(`${name}: cannot unseal: the key is wrong or the file was altered`);
  }
}
