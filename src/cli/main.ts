import { Command, CommanderError } from 'commander';
import { exitCodeFor, toHiragaError } from '../core/errors.js';
import { COMMANDS } from './commands/index.js';

export const VERSION = '0.1.0';

export function buildProgram(): Command {
  const program = new Command('hiraga')
    .description('hiraga — 信頼できる生成AI環境 / a trustworthy generative-AI environment for Japanese public offices')
    .version(VERSION, '-v, --version')
    .option('--config <file>', 'config file (else $HIRAGA_CONFIG, else ./hiraga.config.json|yaml, else built-in defaults)')
    .option('--data-dir <dir>', 'data directory (else $HIRAGA_DATA_DIR, else ./.hiraga)')
    .option('--debug', 'print stack traces on errors')
    // A usage error is one line, like every other error.
    .configureOutput({ outputError: (text, write) => write(`hiraga: ${text.trim().replace(/\s*\n\s*/g, ' ')} (run with --help for usage)\n`) })
    .exitOverride()
    .enablePositionalOptions(false);
  for (const c of COMMANDS) c.register(program);
  program.commands.forEach(exitOverrideDeep);
  return program;
}

function exitOverrideDeep(cmd: Command): void {
  cmd.exitOverride();
  cmd.commands.forEach(exitOverrideDeep);
}

/** Entry point used by bin/hiraga. Never throws: prints one line and sets the exit code. */
export async function main(argv: string[]): Promise<void> {
  const debug = argv.includes('--debug');
  // A reader that stops early (`| head -1`) closes the pipe: stop quietly, as other tools do.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is a usage error.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    const e = toHiragaError(err);
    // One line: a parser's message may quote the input across lines (a YAML code frame, say).
    process.stderr.write(`hiraga: error: ${e.message.trim().replace(/\s*\n\s*/g, ' ')}\n`);
    if (debug) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
    process.exitCode = exitCodeFor(e);
  }
}
