import fs from 'node:fs';
import path from 'node:path';
import { badInput } from '../core/errors.js';
import { parseDefinition, type AppDefinition } from './definition.js';

/** True when the argument names a definition file rather than an app id. */
export function looksLikeFile(arg: string): boolean {
  return /\.(json|ya?ml)$/i.test(arg) || arg.includes('/') || arg.includes(path.sep);
}

export function readDefinitionFile(file: string): AppDefinition {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw badInput(`cannot read the app definition ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return parseDefinition(text, file);
}

/** The text of an input file: plain text directly; .docx, .pdf, .html and .md through the ingest parsers. */
export async function readInputFile(file: string): Promise<string> {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch {
    throw badInput(`cannot read the input file ${file}`);
  }
  const { parserFor } = await import('../retrieval/parsers/index.js');
  const parser = /\.(txt|text)$/i.test(file) ? undefined : parserFor(file);
  if (!parser) return data.toString('utf8');
  const doc = await parser(data, path.basename(file));
  return doc.blocks.map((b) => b.text).join('\n\n');
}
