import crypto from 'node:crypto';

/**
 * RFC 9162 Merkle tree over the audit chain. The leaf data of event i is its 32-byte chain hash:
 * leaf hash = SHA-256(0x00 || event hash), node hash = SHA-256(0x01 || left || right).
 */
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export const EMPTY_ROOT = crypto.createHash('sha256').digest();

export function leafHash(eventHash: Buffer): Buffer {
  return crypto.hash('sha256', Buffer.concat([LEAF, eventHash]), 'buffer');
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return crypto.hash('sha256', Buffer.concat([NODE, left, right]), 'buffer');
}

/** The compact range [0, size): roots of the perfect subtrees of the binary decomposition of size, largest first. */
export class Frontier {
  constructor(
    public size: number,
    public readonly nodes: Buffer[],
  ) {}

  static fromJson(size: number, json: string): Frontier {
    return new Frontier(size, (JSON.parse(json) as string[]).map((h) => Buffer.from(h, 'hex')));
  }

  toJson(): string {
    return JSON.stringify(this.nodes.map((n) => n.toString('hex')));
  }

  /** Append one leaf (given its event hash). */
  push(eventHash: Buffer): void {
    let node = leafHash(eventHash);
    let n = this.size;
    while (n & 1) {
      node = nodeHash(this.nodes.pop()!, node);
      n = Math.floor(n / 2);
    }
    this.nodes.push(node);
    this.size++;
  }

  root(): Buffer {
    if (!this.nodes.length) return EMPTY_ROOT;
    let r = this.nodes[this.nodes.length - 1]!;
    for (let i = this.nodes.length - 2; i >= 0; i--) r = nodeHash(this.nodes[i]!, r);
    return r;
  }
}

const largestPowerOfTwoBelow = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/** MTH(D[lo:hi]) over leaf hashes. */
export function subtreeRoot(leaves: Buffer[], lo = 0, hi = leaves.length): Buffer {
  const n = hi - lo;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[lo]!;
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(subtreeRoot(leaves, lo, lo + k), subtreeRoot(leaves, lo + k, hi));
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]) over leaf hashes. */
export function inclusionPath(m: number, leaves: Buffer[], lo = 0, hi = leaves.length): Buffer[] {
  const n = hi - lo;
  if (n <= 1) return [];
  const k = largestPowerOfTwoBelow(n);
  if (m < k) return [...inclusionPath(m, leaves, lo, lo + k), subtreeRoot(leaves, lo + k, hi)];
  return [...inclusionPath(m - k, leaves, lo + k, hi), subtreeRoot(leaves, lo, lo + k)];
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) for 0 < m <= n. */
export function consistencyProof(m: number, leaves: Buffer[]): Buffer[] {
  const sub = (m: number, lo: number, hi: number, complete: boolean): Buffer[] => {
    const n = hi - lo;
    if (m === n) return complete ? [] : [subtreeRoot(leaves, lo, hi)];
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) return [...sub(m, lo, lo + k, complete), subtreeRoot(leaves, lo + k, hi)];
    return [...sub(m - k, lo + k, hi, false), subtreeRoot(leaves, lo, lo + k)];
  };
  return m === 0 || m === leaves.length ? [] : sub(m, 0, leaves.length, true);
}

/** RFC 9162 §2.1.3.2: verify an inclusion proof of the leaf at `index` in a tree of `size`. */
export function verifyInclusion(index: number, size: number, leaf: Buffer, path: Buffer[], root: Buffer): boolean {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: verify that the tree of size `m` (root1) is a prefix of the tree of size `n` (root2). */
export function verifyConsistency(m: number, n: number, root1: Buffer, root2: Buffer, proof: Buffer[]): boolean {
  if (m > n) return false;
  if (m === n) return proof.length === 0 && root1.equals(root2);
  if (m === 0) return false;
  let path = proof;
  if ((m & (m - 1)) === 0) path = [root1, ...proof];
  if (!path.length) return false;
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(root1) && sr.equals(root2) && sn === 0;
}
