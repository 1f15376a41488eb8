import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { badInput, internalError } from '../core/errors.js';

/** The office's Ed25519 signing key (audit checkpoints, export manifests, provenance manifests). */
export interface SigningKey {
  readonly keyId: string;
  readonly publicKeyPem: string;
  sign(message: string): string;
}

export interface KeyLocation {
  dataDir: string;
  audit?: { keyFile?: string | undefined };
}

export const DEFAULT_KEY_FILE = path.join('keys', 'audit-ed25519.pem');

export function keyPath(loc: KeyLocation): string {
  return loc.audit?.keyFile ? path.resolve(loc.audit.keyFile) : path.join(loc.dataDir, DEFAULT_KEY_FILE);
}

/** Key id: the first 16 hex digits of SHA-256 over the public key (SPKI DER). */
export function keyIdOf(publicKey: crypto.KeyObject): string {
  return crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/**
 * Load the signing key; the default key in <dataDir>/keys/ is created on first use (mode 0600,
 * atomically, so two processes starting together end up with the same key).
 */
export function loadSigningKey(loc: KeyLocation): SigningKey {
  const file = keyPath(loc);
  if (!fs.existsSync(file)) {
    if (loc.audit?.keyFile) throw badInput(`audit.keyFile: ${file} does not exist (give a PEM Ed25519 private key, or remove keyFile to use a generated key)`);
    createKeyFile(file);
  }
  // A configured keyFile that is wrong is a config error (exit 2); the installation's own key file that is
  // damaged is a fault of the installation (exit 1). Either way it is never replaced: what it signed is checked against it.
  const fault = (why: string, todo = 'restore it from a backup') =>
    loc.audit?.keyFile
      ? badInput(`audit.keyFile: ${file} ${why}; give a PEM Ed25519 private key, or remove keyFile to use a generated key`)
      : internalError(`署名鍵を読めません / the signing key ${file} ${why}: ${todo} (hiraga never replaces it: the checkpoints and manifests it signed are verified with it)`);
  let pem: Buffer;
  try {
    pem = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fault(`cannot be read (${code ?? (err as Error).message})`, code === 'EACCES' || code === 'EPERM' ? 'give the user running hiraga read access to it' : 'restore it from a backup');
  }
  let privateKey: crypto.KeyObject;
  try {
    privateKey = crypto.createPrivateKey(pem);
  } catch {
    throw fault(pem.length ? 'is damaged (not a PEM private key)' : 'is damaged (empty)');
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw fault(`holds a ${privateKey.asymmetricKeyType} key, not ed25519`, 'restore the Ed25519 key from a backup');
  const publicKey = crypto.createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  return {
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (message) => crypto.sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
}

/**
 * This installation's signing key as a verification key, without creating one: null when the default key
 * file does not exist yet (a configured audit.keyFile must exist). A damaged key file fails as in loadSigningKey.
 */
export function installationVerifyKey(loc: KeyLocation): (VerifyKey & { file: string }) | null {
  const file = keyPath(loc);
  if (!loc.audit?.keyFile && !fs.existsSync(file)) return null;
  return Object.assign(verifyKeyFromPem(loadSigningKey(loc).publicKeyPem), { file });
}

function createKeyFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  const fd = fs.openSync(tmp, 'r');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  try {
    fs.linkSync(tmp, file); // fails if another process won the race: then its key is used
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw internalError(`cannot create the audit signing key ${file}: ${(err as Error).message}`);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** A verification key read from a PEM file (public or private key). */
export interface VerifyKey {
  readonly keyId: string;
  verify(message: string, signatureB64: string): boolean;
}

export function verifyKeyFromPem(pem: string | Buffer, label = 'public key'): VerifyKey {
  let publicKey: crypto.KeyObject;
  try {
    publicKey = crypto.createPublicKey(pem);
  } catch (err) {
    throw badInput(`${label} is not a PEM Ed25519 public key: ${(err as Error).message}`);
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') throw badInput(`${label} is ${publicKey.asymmetricKeyType}, expected ed25519`);
  return {
    keyId: keyIdOf(publicKey),
    verify(message, signatureB64) {
      try {
        return crypto.verify(null, Buffer.from(message, 'utf8'), publicKey, Buffer.from(signatureB64, 'base64'));
      } catch {
        return false;
      }
    },
  };
}

export function readVerifyKey(file: string): VerifyKey {
  if (!fs.existsSync(file)) throw badInput(`public key file not found: ${file}`);
  return verifyKeyFromPem(fs.readFileSync(file), `the public key file ${file}`);
}
