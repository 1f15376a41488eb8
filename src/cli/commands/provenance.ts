import type { Command } from 'commander';
import type { CommandSpec } from './types.js';
import type { GlobalOptions } from '../context.js';

export const provenanceCommand: CommandSpec = {
  name: 'provenance',
  register(program: Command) {
    const prov = program.command('provenance').description('来歴 / signed provenance manifests of generated files');
    prov
      .command('verify')
      .description('来歴の検証 / check FILE against its signed manifest (exit 0 intact, 1 changed or signed by a key not trusted)')
      .argument('<file>', 'the generated file')
      .argument('[manifest]', 'the manifest (default: FILE.provenance.json, or the one embedded in a .docx)')
      .option('--public-key <keyfile>', "require the manifest to be signed by this key (PEM); default: this installation's own signing key, when it has one")
      .option('--json', 'print the report as JSON')
      .action(async (file: string, manifest: string | undefined, opts: { publicKey?: string; json?: boolean }, cmd: Command) => {
        const { verifyProvenanceCli } = await import('../../provenance/verify-cli.js');
        await verifyProvenanceCli(cmd.optsWithGlobals() as GlobalOptions, file, manifest, opts);
      });
  },
};
