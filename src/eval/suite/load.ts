import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { badInput } from '../../core/errors.js';
import { parseSuite, type ParsedSuite } from './parse.js';
import { isSealed, unsealSuite } from './seal.js';

export interface LoadedSuite extends ParsedSuite {
  path: string;
  /** SHA-256 of the file as given (the sealed file's hash for a sealed suite: the one published in advance). */
  fileSha256: string;
  sealed: boolean;
}

/** Read a suite file, unsealing it in memory when it is sealed. */
export function loadSuite(file: string, key?: string): LoadedSuite {
  const abs = path.resolve(file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(abs);
  } catch (err) {
    throw badInput(`cannot read the suite ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const fileSha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const sealed = isSealed(bytes);
  const plain = sealed ? unsealSuite(bytes, key, path.basename(file)) : bytes;
  return { ...parseSuite(plain, path.basename(file)), path: file, fileSha256, sealed };
}
