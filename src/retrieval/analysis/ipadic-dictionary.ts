import type { IpadicSections } from './ipadic-cache.js';

/** Parsed feature fields of one dictionary entry (IPADIC: pos, pos1–3, conjugation ×2, base, reading, pronunciation). */
export interface WordFeatures {
  surface: string;
  pos: string;
  pos1: string;
  pos2: string;
  pos3: string;
  /** Raw base form ('*' when none). */
  base: string;
  /** Raw reading ('' when absent). */
  reading: string;
}

export interface CharClass {
  name: string;
  invoke: boolean;
  group: boolean;
}

const utf8 = new TextDecoder('utf-8');

/** Entry table (tid.dat / unk.dat): records of left id, right id, cost (int16) and a feature offset (int32) at byte offsets. */
class EntryTable {
  private readonly i16: Int16Array;
  private readonly u16: Uint16Array;
  private readonly cache = new Map<number, WordFeatures>();

  constructor(
    table: Uint8Array,
    private readonly features: Uint8Array,
  ) {
    this.i16 = new Int16Array(table.buffer, table.byteOffset, table.byteLength >> 1);
    this.u16 = new Uint16Array(table.buffer, table.byteOffset, table.byteLength >> 1);
  }

  left(id: number): number {
    return this.i16[id >> 1] ?? 0;
  }
  right(id: number): number {
    return this.i16[(id >> 1) + 1] ?? 0;
  }
  cost(id: number): number {
    return this.i16[(id >> 1) + 2] ?? 0;
  }

  /** Features of an entry, decoded on first use and cached per entry id. */
  featuresOf(id: number): WordFeatures {
    let f = this.cache.get(id);
    if (f) return f;
    const at = ((this.u16[(id >> 1) + 3] ?? 0) | ((this.u16[(id >> 1) + 4] ?? 0) << 16)) >>> 0;
    let end = this.features.indexOf(0, at);
    if (end < 0) end = this.features.length;
    const fields = at < this.features.length ? utf8.decode(this.features.subarray(at, end)).split(',') : [];
    f = {
      surface: fields[0] ?? '',
      pos: fields[1] ?? '',
      pos1: fields[2] ?? '',
      pos2: fields[3] ?? '',
      pos3: fields[4] ?? '',
      base: fields[7] ?? '*',
      reading: fields[8] ?? '',
    };
    this.cache.set(id, f);
    return f;
  }
}

/**
 * A key → entry ids map stored as kuromoji writes it: [count, (key, n, id × n) × count] in int32.
 * Indexed in one pass into an offsets array instead of a JS object with hundreds of thousands of keys.
 */
class TargetMap {
  readonly values: Int32Array;
  /** key → index of the record's length field in `values`, 0 when the key has no entries. */
  private readonly at: Int32Array;

  constructor(buf: Uint8Array) {
    const v = new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength >> 2);
    const count = v[0] ?? 0;
    let maxKey = -1;
    let i = 1;
    for (let r = 0; r < count; r++) {
      const key = v[i]!;
      if (key <= maxKey) throw new Error('dictionary target map keys are not ascending');
      maxKey = key;
      i += 2 + v[i + 1]!;
      if (i > v.length) throw new Error('dictionary target map is truncated');
    }
    const at = new Int32Array(maxKey + 1);
    i = 1;
    for (let r = 0; r < count; r++) {
      at[v[i]!] = i + 1;
      i += 2 + v[i + 1]!;
    }
    this.values = v;
    this.at = at;
  }

  /** Index of the first entry id for `key` in `values`, and how many follow (0 when none). */
  start(key: number): number {
    const p = key >= 0 && key < this.at.length ? this.at[key]! : 0;
    return p === 0 ? 0 : p + 1;
  }
  count(key: number): number {
    const p = key >= 0 && key < this.at.length ? this.at[key]! : 0;
    return p === 0 ? 0 : this.values[p]!;
  }
}

/** IPADIC as built by kuromoji: double-array trie, entries, connection costs, unknown-word classes. */
export class IpadicDictionary {
  readonly base: Int32Array;
  readonly check: Int32Array;
  readonly known: EntryTable;
  readonly knownMap: TargetMap;
  readonly unknown: EntryTable;
  readonly unknownMap: TargetMap;
  /** Connection costs: costs[2 + right * backwardSize + left]. */
  readonly costs: Int16Array;
  readonly backwardSize: number;
  /** Character class id for each UTF-16 code unit. */
  readonly charClass: Uint8Array;
  readonly classes: CharClass[];
  /** Class used for characters outside the BMP. */
  readonly defaultClass: number;

  constructor(s: IpadicSections) {
    const i32 = (b: Uint8Array) => new Int32Array(b.buffer, b.byteOffset, b.byteLength >> 2);
    this.base = i32(s['base.dat.gz']);
    this.check = i32(s['check.dat.gz']);
    this.known = new EntryTable(s['tid.dat.gz'], s['tid_pos.dat.gz']);
    this.knownMap = new TargetMap(s['tid_map.dat.gz']);
    this.unknown = new EntryTable(s['unk.dat.gz'], s['unk_pos.dat.gz']);
    this.unknownMap = new TargetMap(s['unk_map.dat.gz']);
    const cc = s['cc.dat.gz'];
    this.costs = new Int16Array(cc.buffer, cc.byteOffset, cc.byteLength >> 1);
    this.backwardSize = this.costs[1]!;
    if (this.costs.length < 2 + this.costs[0]! * this.backwardSize) throw new Error('connection cost matrix is truncated');
    this.charClass = s['unk_char.dat.gz'];
    if (this.charClass.length < 0x10000) throw new Error('character class map is truncated');
    this.classes = parseClasses(s['unk_invoke.dat.gz']);
    this.defaultClass = this.classes.findIndex((c) => c.name === 'DEFAULT');
    for (const id of new Set(this.charClass)) if (!this.classes[id]) throw new Error(`character class ${id} is not defined`);
    if (this.defaultClass < 0) throw new Error('the DEFAULT character class is missing');
  }

  /** Trie child of `parent` by byte `code`, or -1. */
  traverse(parent: number, code: number): number {
    const child = this.base[parent]! + code;
    return child >= 0 && child < this.check.length && this.check[child] === parent ? child : -1;
  }
}

/** Character classes (char.def) as kuromoji stores them: invoke byte, group byte, int32 max length, NUL-terminated name. */
function parseClasses(buf: Uint8Array): CharClass[] {
  const out: CharClass[] = [];
  let i = 0;
  while (i + 1 < buf.length) {
    const invoke = buf[i]!;
    const group = buf[i + 1]!;
    i += 6;
    let end = buf.indexOf(0, i);
    if (end < 0) end = buf.length;
    out.push({ name: utf8.decode(buf.subarray(i, end)), invoke: invoke === 1, group: group === 1 });
    i = end + 1;
  }
  return out;
}
