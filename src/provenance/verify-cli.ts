import { installationVerifyKey, readVerifyKey } from '../audit/keys.js';
import { loadConfig } from '../config/load.js';
import type { GlobalOptions } from '../cli/context.js';
import { verifyProvenance, type TrustedKey } from './verify.js';

/**
 * `hiraga provenance verify FILE [MANIFEST]`: the signer must be the --public-key given, else this
 * installation's own key (the audit key of the data folder or audit.keyFile, never created here). With
 * neither, only integrity is checked, and the output says the signer is not authenticated.
 * Exit 0 intact (and signed by the trusted key when one is known); 1 changed or signed by another key.
 */
export async function verifyProvenanceCli(global: GlobalOptions, file: string, manifest: string | undefined, opts: { publicKey?: string; json?: boolean }): Promise<void> {
  let trust: TrustedKey | undefined;
  if (opts.publicKey) trust = { keyId: readVerifyKey(opts.publicKey).keyId, from: 'public-key' };
  else {
    const config = loadConfig({ ...(global.config ? { configPath: global.config } : {}), ...(global.dataDir ? { dataDir: global.dataDir } : {}) });
    const own = installationVerifyKey(config);
    if (own) trust = { keyId: own.keyId, from: 'installation-key' };
  }
  const report = await verifyProvenance(file, manifest, trust);
  if (opts.json) process.stdout.write(JSON.stringify(report) + '\n');
  if (report.ok && report.authenticated) {
    if (!opts.json) process.stdout.write(`検証成功 / intact: ${file} matches ${report.manifest} (signed by key ${report.keyId}${report.trustedBy === 'installation-key' ? ', this installation' : ', the given --public-key'})\n`);
    return;
  }
  if (report.ok) {
    // Intact, but anyone could have signed it: say so wherever the reader looks.
    const note = `the signer is not authenticated: the manifest names its own key ${report.keyId}, and there is neither --public-key nor a signing key of this installation to compare it with, so anyone could have signed it; pass --public-key KEYFILE of the issuer to check who did`;
    if (!opts.json) process.stdout.write(`内容は一致・署名者は未確認 / content matches, signer NOT authenticated: ${file} matches ${report.manifest}; ${note}\n`);
    process.stderr.write(`hiraga: warning: 署名者を確認していません / ${note}\n`);
    return;
  }
  for (const p of report.problems) {
    const label = p.reason === 'unknown_signer' ? '署名者が不明 / unknown signer' : `改変を検出 / ${p.what === 'file' ? 'file changed' : 'manifest changed'}`;
    process.stderr.write(`hiraga: ${label}: ${p.message}\n`);
  }
  process.exitCode = 1;
}
