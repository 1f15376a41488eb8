/** Postings are packed little-endian Int32 triples: chunk id, term frequency, field length. */
export const TRIPLE = 3;

export function encodePostings(values: ArrayLike<number>): Uint8Array {
  const arr = Int32Array.from(values as ArrayLike<number>);
  return new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
}

export function decodePostings(data: Uint8Array): Int32Array {
  // Copy when unaligned (Buffers from a pool may start at any offset).
  if (data.byteOffset % 4 === 0) return new Int32Array(data.buffer, data.byteOffset, data.byteLength / 4);
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return new Int32Array(copy.buffer);
}

/** Remove triples whose chunk id is in `drop`, then append `add`. */
export function mergePostings(existing: Int32Array | null, drop: Set<number>, add: number[]): Int32Array {
  const out: number[] = [];
  if (existing) {
    for (let i = 0; i < existing.length; i += TRIPLE) {
      if (!drop.has(existing[i]!)) out.push(existing[i]!, existing[i + 1]!, existing[i + 2]!);
    }
  }
  for (const v of add) out.push(v);
  return Int32Array.from(out);
}
