import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKey, isSealed, sealSuite, unsealSuite } from '../../src/eval/suite/seal.js';
import { loadSuite } from '../../src/eval/suite/load.js';
import { tempDir } from '../helpers/store.js';

const plain = Buffer.from('{"id":"q1","task":"qa","input":"日本の首都は？","expected":{"answer":"東京"}}\n');

describe('sealed suites', () => {
  it('round-trips with a random key and with a passphrase, and hides the content', () => {
    const key = generateKey();
    const sealed = sealSuite(plain, key);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed.toString('utf8')).not.toContain('東京');
    expect(unsealSuite(sealed, key).equals(plain)).toBe(true);
    const byPhrase = sealSuite(plain, 'correct horse battery staple');
    expect(unsealSuite(byPhrase, 'correct horse battery staple').equals(plain)).toBe(true);
  });

  it('refuses a wrong key, a missing key and an altered file', () => {
    const sealed = sealSuite(plain, generateKey());
    expect(() => unsealSuite(sealed, generateKey())).toThrow(/key is wrong or the file was altered/);
    expect(() => unsealSuite(sealed, undefined)).toThrow(/--key/);
    const f = JSON.parse(sealed.toString('utf8'));
    const data = Buffer.from(f.data, 'base64');
    data[0] ^= 1;
    const altered = Buffer.from(JSON.stringify({ ...f, data: data.toString('base64') }));
    const key = generateKey();
    const s2 = sealSuite(plain, key);
    const f2 = JSON.parse(s2.toString('utf8'));
    expect(() => unsealSuite(Buffer.from(JSON.stringify({ ...f2, data: JSON.parse(altered.toString()).data })), key)).toThrow(/altered/);
    expect(() => unsealSuite(Buffer.from(JSON.stringify({ ...f2, kdf: 'scrypt' })), key)).toThrow(/altered|wrong/);
  });

  it('loads a sealed file in memory, reporting the sealed file hash and the plain hash', () => {
    const dir = tempDir();
    const key = generateKey();
    const file = path.join(dir, 's.jsonl.sealed');
    const sealed = sealSuite(plain, key);
    fs.writeFileSync(file, sealed);
    const s = loadSuite(file, key);
    expect(s.sealed).toBe(true);
    expect(s.items[0]!.id).toBe('q1');
    expect(s.fileSha256).toBe(crypto.createHash('sha256').update(sealed).digest('hex'));
    expect(s.sha256).toBe(crypto.createHash('sha256').update(plain).digest('hex'));
  });
});
