/**
 * `provenance verify` checks who signed, not only what: a forger who changes the file and re-signs the manifest
 * with a key of their own is refused (exit 1, unknown signer) when this installation has a key or --public-key
 * is given; with neither, only integrity can be checked and the output says the signer is not authenticated.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeWithProvenance } from '../../src/provenance/index.js';
import { loadSigningKey } from '../../src/audit/keys.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';

let dir: string;
let office: string;
let forger: string;
let file: string;
const env = { HIRAGA_DATA_DIR: '' };
const verify = (dataDir: string, ...args: string[]) => runCli(['--data-dir', dataDir, 'provenance', 'verify', ...args], { env });

beforeAll(async () => {
  dir = tempDir('hiraga-prov-trust-');
  office = path.join(dir, 'office');
  forger = path.join(dir, 'forger');
  file = path.join(dir, 'answer.txt');
  await writeWithProvenance(file, '正しい回答です。', { app: 'chat' }, { config: { dataDir: office } });
});

describe('provenance verify: the signer', () => {
  it('signed by this installation: exit 0 intact, authenticated', async () => {
    const r = await verify(office, file, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, problems: [], authenticated: true, trustedBy: 'installation-key', keyId: loadSigningKey({ dataDir: office }).keyId });
    expect(r.stderr).toBe('');
  });

  it('changed and re-signed with a forger\'s own key: exit 1 naming the unknown key, also with --public-key', async () => {
    const forged = path.join(dir, 'forged.txt');
    fs.copyFileSync(file, forged);
    await writeWithProvenance(forged, '偽の回答です。', { app: 'chat' }, { config: { dataDir: forger } });
    const forgerKey = loadSigningKey({ dataDir: forger }).keyId;

    const r = await verify(office, forged);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/intact/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`signed by an unknown key ${forgerKey}`);
    expect(r.stderr).toContain('pass --public-key KEYFILE of the issuer to trust it');

    const json = await verify(office, forged, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, authenticated: false, trustedBy: 'installation-key', problems: [{ what: 'manifest', reason: 'unknown_signer' }] });

    const pem = path.join(dir, 'office.pem');
    fs.writeFileSync(pem, (await runCli(['--data-dir', office, 'audit', 'public-key'], { env })).stdout);
    const withKey = await verify(path.join(dir, 'elsewhere'), forged, '--public-key', pem);
    expect(withKey.code).toBe(1);
    expect(withKey.stderr).toContain('not with the trusted key');
    // The genuine file passes against the issuer's public key, on a machine without a key of its own.
    expect((await verify(path.join(dir, 'elsewhere'), file, '--public-key', pem)).code).toBe(0);
  });

  it('no key here and no --public-key: integrity only, never an unqualified "intact"; no key is created', async () => {
    const none = path.join(dir, 'no-key');
    const r = await verify(none, file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/content matches, signer NOT authenticated/);
    expect(r.stdout).not.toMatch(/^検証成功 \/ intact/);
    expect(r.stderr).toMatch(/^hiraga: warning: .*the signer is not authenticated/);
    expect(fs.existsSync(path.join(none, 'keys'))).toBe(false);
    const json = await verify(none, file, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, authenticated: false, trustedBy: null });

    fs.copyFileSync(`${file}.provenance.json`, path.join(dir, 'copy.txt.provenance.json'));
    fs.writeFileSync(path.join(dir, 'copy.txt'), '書き換えた回答です。');
    expect((await verify(none, path.join(dir, 'copy.txt'))).code).toBe(1);
  });
});
