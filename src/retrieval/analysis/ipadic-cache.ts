import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

/** kuromoji's IPADIC files, in the order they are stored in the cache. */
export const IPADIC_FILES = [
  'base.dat.gz',
  'check.dat.gz',
  'tid.dat.gz',
  'tid_pos.dat.gz',
  'tid_map.dat.gz',
  'cc.dat.gz',
  'unk.dat.gz',
  'unk_pos.dat.gz',
  'unk_map.dat.gz',
  'unk_char.dat.gz',
  'unk_compat.dat.gz',
  'unk_invoke.dat.gz',
] as const;

export type IpadicFile = (typeof IPADIC_FILES)[number];
/** Decompressed dictionary sections, each starting on an 8-byte boundary of its own buffer. */
export type IpadicSections = Record<IpadicFile, Uint8Array>;

const MAGIC = 'HIRAGA-IPADIC-v1';
const HEADER_BYTES = 16 + 4 * 2 * IPADIC_FILES.length;
/** kuromoji writes its buffers padded with zeros; this much slack is kept after the last non-zero byte. */
const TRIM_SLACK = 16;

export interface IpadicLoadOptions {
  /** Folder with kuromoji's *.dat.gz files. */
  dicPath: string;
  /** Folders to try for the decompressed cache, in order; the first writable one is used. */
  cacheDirs: string[];
}

export interface IpadicLoadResult {
  sections: IpadicSections;
  /** Where the sections came from. */
  source: 'cache' | 'gzip';
  cacheFile: string | null;
}

/** Default cache folders: next to the installed packages, then the OS temp folder. */
export function defaultCacheDirs(dicPath: string): string[] {
  const nodeModules = path.dirname(path.dirname(path.resolve(dicPath)));
  const dirs = [];
  if (path.basename(nodeModules) === 'node_modules') dirs.push(path.join(nodeModules, '.cache', 'hiraga'));
  dirs.push(path.join(os.tmpdir(), 'hiraga-cache'));
  return dirs;
}

/**
 * The dictionary, decompressed. Reads a cache file keyed by the hash of the .gz files when one exists;
 * otherwise gunzips the files and writes the cache atomically (temp file + rename) for the next start.
 */
export function loadIpadic(options: IpadicLoadOptions): IpadicLoadResult {
  const name = `ipadic-${dictionaryKey(options.dicPath)}.bin`;

  for (const dir of options.cacheDirs) {
    const sections = readCache(path.join(dir, name));
    if (sections) return { sections, source: 'cache', cacheFile: path.join(dir, name) };
  }
  const raw = IPADIC_FILES.map((f) => trimPadding(zlib.gunzipSync(fs.readFileSync(path.join(options.dicPath, f)))));
  trimTrie(raw);
  const file = packCache(raw);
  let written: string | null = null;
  for (const dir of options.cacheDirs) {
    if (writeAtomically(path.join(dir, name), file)) {
      written = path.join(dir, name);
      break;
    }
  }
  return { sections: unpackCache(file)!, source: 'gzip', cacheFile: written };
}

/**
 * Cache key: a hash of the dictionary files' names, sizes and modification times (and the cache format).
 * Statting is enough to notice a reinstalled or upgraded kuromoji, and avoids reading 17 MB at every start.
 */
function dictionaryKey(dicPath: string): string {
  const hash = crypto.createHash('sha1').update(MAGIC);
  for (const f of IPADIC_FILES) {
    const st = fs.statSync(path.join(dicPath, f));
    hash.update(`${f}:${st.size}:${st.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** The double-array trie is padded with unused cells (negative check); keep only up to the last used one. */
function trimTrie(raw: Uint8Array[]): void {
  const b = IPADIC_FILES.indexOf('base.dat.gz');
  const c = IPADIC_FILES.indexOf('check.dat.gz');
  const check = new DataView(raw[c]!.buffer, raw[c]!.byteOffset, raw[c]!.byteLength);
  let used = check.byteLength >> 2;
  while (used > 0 && check.getInt32((used - 1) * 4, true) < 0) used--;
  raw[c] = raw[c]!.subarray(0, used * 4);
  raw[b] = raw[b]!.subarray(0, Math.min(raw[b]!.length, used * 4));
}

/** Drop the zero padding kuromoji leaves after its data (keeping a little slack so trailing zero fields survive). */
function trimPadding(buf: Uint8Array): Uint8Array {
  let last = buf.length - 1;
  while (last >= 0 && buf[last] === 0) last--;
  const keep = Math.min(buf.length, roundUp(last + 1 + TRIM_SLACK, 8));
  return buf.subarray(0, keep);
}

const roundUp = (n: number, to: number) => Math.ceil(n / to) * to;

function packCache(sections: Uint8Array[]): Uint8Array {
  let offset = HEADER_BYTES;
  const placed = sections.map((s) => {
    const at = roundUp(offset, 8);
    offset = at + s.length;
    return at;
  });
  const out = new Uint8Array(roundUp(offset, 8));
  const view = new DataView(out.buffer);
  out.set(Buffer.from(MAGIC, 'ascii'), 0);
  sections.forEach((s, i) => {
    view.setUint32(16 + i * 8, placed[i]!, true);
    view.setUint32(20 + i * 8, s.length, true);
    out.set(s, placed[i]!);
  });
  return out;
}

function unpackCache(file: Uint8Array): IpadicSections | null {
  if (file.length < HEADER_BYTES || Buffer.from(file.buffer, file.byteOffset, 16).toString('ascii') !== MAGIC) return null;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const sections = {} as IpadicSections;
  for (let i = 0; i < IPADIC_FILES.length; i++) {
    const at = view.getUint32(16 + i * 8, true);
    const len = view.getUint32(20 + i * 8, true);
    if (at % 8 !== 0 || at + len > file.length) return null;
    sections[IPADIC_FILES[i]!] = file.subarray(at, at + len);
  }
  return sections;
}

function readCache(file: string): IpadicSections | null {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch {
    return null;
  }
  // Typed-array views need the file to start on an 8-byte boundary.
  const aligned = data.byteOffset % 8 === 0 ? data : new Uint8Array(data);
  return unpackCache(aligned);
}

function writeAtomically(file: string, data: Uint8Array): boolean {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
    return true;
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // The folder itself is unusable; nothing was written.
    }
    return false;
  }
}
