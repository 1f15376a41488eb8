import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { badInput } from '../core/errors.js';
import type { Store } from '../store/open.js';
import { Analyzer } from './analysis/analyzer.js';
import { chunkDocument, inferTitle } from './chunking/index.js';
import { ensureCollection } from './collections.js';
import { contentStamp } from './index-format.js';
import { IndexWriter } from './index-writer.js';
import { parserFor, SUPPORTED_EXTENSIONS } from './parsers/index.js';
import type { Embedder } from './embeddings.js';

export interface IngestOptions {
  collection: string;
  tenant?: string;
  chunkChars?: number;
  maxFileBytes?: number;
  embedder?: Embedder | null;
  /**
   * The folders given are the whole collection: documents whose file is no longer in them are removed (a
   * regulation deleted or renamed stops being found and quoted). Only with folders, all of which exist.
   */
  prune?: boolean;
  /** Called after each file with running counts (for progress bars and server progress). */
  onProgress?: (p: IngestProgress) => void;
}

export interface IngestProgress {
  /**
   * Files handled (ingested, unchanged or failed). Written documents become searchable when the index is
   * written, at the end (and every few MB): the last file waits for that, so done reaches total only then.
   */
  done: number;
  /** The files to ingest. */
  total: number;
  /** The file just handled; while the index is written, a note saying so. */
  file: string;
  /** files: reading and parsing them; indexing: writing the index; done: everything is searchable. */
  phase: 'files' | 'indexing' | 'done';
}

export interface IngestFailure {
  source: string;
  error: string;
}

export interface IngestReport {
  collection: string;
  tenant: string;
  files: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Documents taken out because their file is gone from the folders given (`prune`). */
  removed: number;
  failed: IngestFailure[];
  chunks: number;
  chars: number;
  ms: number;
}

interface FileEntry {
  abs: string;
  source: string;
}

/**
 * Expand files and folders into (absolute path, source) pairs; source is relative to the folder given.
 * A folder walk skips hidden entries (.git, .DS_Store); a file named itself is always taken, dot or not.
 */
export function expandInputs(inputs: string[]): { files: FileEntry[]; failed: IngestFailure[] } {
  const files: FileEntry[] = [];
  const failed: IngestFailure[] = [];
  for (const input of inputs) {
    const abs = path.resolve(input);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      failed.push({ source: input, error: 'no such file or folder' });
      continue;
    }
    if (st.isDirectory()) {
      for (const f of walk(abs)) files.push({ abs: f, source: path.relative(abs, f).split(path.sep).join('/') });
    } else {
      files.push({ abs, source: path.basename(abs) });
    }
  }
  return { files, failed };
}

function* walk(dir: string): Generator<string> {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/**
 * Ingest files into a collection. A changed file replaces its chunks; an unchanged one (same content hash and
 * index format, index-format.ts) is skipped; a broken or unsupported file is reported and skipped while the rest lands.
 */
export async function ingest(store: Store, inputs: string[], options: IngestOptions): Promise<IngestReport> {
  const started = performance.now();
  if (!inputs.length) throw badInput('ingest needs at least one file or folder');
  if (!/^[\p{L}\p{N}_.-]{1,100}$/u.test(options.collection)) {
    throw badInput(`collection name "${options.collection}" is not allowed: use 1–100 letters, digits, _ . or -`);
  }
  if (options.prune) {
    for (const input of inputs) {
      let folder = false;
      try {
        folder = fs.statSync(input).isDirectory();
      } catch {
        /* reported below */
      }
      if (!folder) throw badInput(`--prune needs folders that exist (the collection mirrors them); "${input}" is not one — give the folder, or leave out --prune`);
    }
  }
  const tenant = options.tenant ?? 'default';
  const maxBytes = options.maxFileBytes ?? 50 * 1024 * 1024;
  const chunkChars = options.chunkChars ?? 800;
  const analyzer = await Analyzer.load();
  const collection = await ensureCollection(store, tenant, options.collection);
  const writer = new IndexWriter(store, analyzer, collection.id);
  const { files, failed } = expandInputs(inputs);
  const report: IngestReport = { collection: options.collection, tenant, files: files.length + failed.length, added: 0, updated: 0, unchanged: 0, removed: 0, failed, chunks: 0, chars: 0, ms: 0 };

  const known = new Map<string, string>();
  for (const r of await store.db.selectFrom('documents').select(['source', 'content_hash']).where('collection_id', '=', collection.id).execute()) {
    known.set(r.source, r.content_hash);
  }
  const seen = new Set<string>();
  const total = files.length;
  let done = 0;
  for (const f of files) {
    try {
      if (seen.has(f.source)) throw new Error(`another input already has the source name "${f.source}"`);
      seen.add(f.source);
      const parser = parserFor(f.abs);
      if (!parser) throw new Error(unsupportedType(f.abs));
      const size = fs.statSync(f.abs).size;
      if (size > maxBytes) throw new Error(`file is ${size} bytes, over the limit of ${maxBytes} (retrieval.maxFileBytes)`);
      const data = fs.readFileSync(f.abs);
      // Same bytes and same index format: nothing to do (a file indexed by an older format is re-indexed).
      const hash = contentStamp(crypto.createHash('sha256').update(data).digest('hex'));
      const previous = known.get(f.source);
      if (previous === hash) {
        report.unchanged++;
        continue;
      }
      const parsed = await parser(data, f.abs);
      const title = parsed.title ?? inferTitle(parsed) ?? path.basename(f.abs, path.extname(f.abs));
      const chunks = chunkDocument(title, parsed, { chunkChars });
      if (!chunks.length) throw new Error(noTextMessage(f.abs));
      const embeddings = options.embedder ? await options.embedder.embed(chunks.map((c) => `${c.heading}\n${c.text}`)) : undefined;
      await writer.add({ source: f.source, title, contentHash: hash, bytes: size, chunks, ...(embeddings ? { embeddings } : {}) });
      if (previous === undefined) report.added++;
      else report.updated++;
      report.chunks += chunks.length;
      report.chars += chunks.reduce((n, c) => n + c.text.length, 0);
    } catch (err) {
      report.failed.push({ source: f.source, error: (err as Error).message.split('\n')[0]! });
    } finally {
      done++;
      options.onProgress?.({ done: Math.min(done, total - 1), total, file: f.source, phase: 'files' });
    }
  }
  if (options.prune) {
    // Files that failed this time are still there: only documents whose file is gone are removed.
    for (const source of known.keys()) {
      if (seen.has(source)) continue;
      writer.remove(source);
      report.removed++;
    }
  }
  options.onProgress?.({ done: Math.max(total - 1, 0), total, file: '索引を書き込み中 / writing the index', phase: 'indexing' });
  await writer.flush();
  options.onProgress?.({ done: total, total, file: '', phase: 'done' });
  report.ms = Math.round(performance.now() - started);
  return report;
}

/** Why a file gave no text: for a PDF, most often a scan without a text layer. */
function noTextMessage(file: string): string {
  if (path.extname(file).toLowerCase() !== '.pdf') return 'no text could be extracted';
  return 'no text could be extracted: テキストのないPDF（スキャン画像）です。OCRで文字を付けてから取り込んでください / a PDF without a text layer (a scan?): run OCR on it first';
}

function unsupportedType(file: string): string {
  const base = path.basename(file);
  // ".txt" has no extension to Node (a dot-file's name): say so, rather than "unsupported type (none)".
  if (SUPPORTED_EXTENSIONS.includes(base.toLowerCase())) {
    return `ファイル名「${base}」は拡張子だけです / the file name "${base}" is only an extension: give the file a name before it, such as "memo${base}"`;
  }
  return `unsupported file type "${path.extname(file) || '(none)'}"; supported: ${SUPPORTED_EXTENSIONS.join(' ')}`;
}
