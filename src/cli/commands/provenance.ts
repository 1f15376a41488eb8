import type { Command } from 'commander';
import type { CommandSpec } from './types.js';

export const provenanceCommand: CommandSpec = {
  name: 'provenance',
  register(program: Command) {
    const prov = program.command('provenance').description('来歴 / signed provenance manifests of generated files');
    prov
      .command('verify')
      .description('来歴の検証 / check FILE against its signed manifest (exit 0 intact, 1 changed)')
      .argument('<file>', 'the generated file')
      .argument('[manifest]', 'the manifest (default: FILE.provenance.json, or the one embedded in a .docx)')
      .option('--public-key <keyfile>', 'require the manifest to be signed by this key (PEM)')
      .option('--json', 'print the report as JSON')
      .action(async (file: string, manifest: string | undefined, opts: { publicKey?: string; json?: boolean }) => {
        const { verifyProvenance } = await import('../../provenance/verify.js');
        const { readVerifyKey } = await import('../../audit/keys.js');
        const trusted = opts.publicKey ? readVerifyKey(opts.publicKey).keyId : undefined;
        const report = await verifyProvenance(file, manifest, trusted);
        if (opts.json) process.stdout.write(JSON.stringify(report) + '\n');
        if (report.ok) {
          if (!opts.json) process.stdout.write(`検証成功 / intact: ${file} matches ${report.manifest} (signed by key ${report.keyId})\n`);
          return;
        }
        for (const p of report.problems) process.stderr.write(`hiraga: 改変を検出 / ${p.what === 'file' ? 'file changed' : 'manifest changed'}: ${p.message}\n`);
        process.exitCode = 1;
      });
  },
};
