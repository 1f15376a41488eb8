import fs from 'node:fs';
import readline from 'node:readline';
import { once } from 'node:events';
import { badInput } from '../core/errors.js';
import type { VerifyKey } from './keys.js';
import { verifyExport, type ExportReport } from './verify-export.js';

/** Verify an export file line by line (streams, so a large export never sits in memory). */
export async function verifyExportFile(file: string, key: VerifyKey): Promise<ExportReport> {
  if (!fs.existsSync(file)) throw badInput(`export file not found: ${file}`);
  const rl = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  try {
    return await verifyExport(withoutTrailingBlank(rl), key);
  } finally {
    rl.close();
  }
}

/** A final newline makes no empty line; other blank lines are reported by the verifier. */
async function* withoutTrailingBlank(lines: AsyncIterable<string>): AsyncGenerator<string> {
  let blanks = 0;
  for await (const l of lines) {
    if (l === '') {
      blanks++;
      continue;
    }
    for (; blanks > 0; blanks--) yield '';
    yield l;
  }
}

/** Write lines to a stream, honouring back-pressure. */
export async function writeLines(out: NodeJS.WritableStream, lines: AsyncIterable<string>): Promise<void> {
  for await (const l of lines) {
    if (!out.write(l + '\n')) await once(out, 'drain');
  }
}
