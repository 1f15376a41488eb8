import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { consistencyProof, Frontier, inclusionPath, leafHash, nodeHash, subtreeRoot, verifyConsistency, verifyInclusion, EMPTY_ROOT } from '../../src/audit/merkle.js';

const events = (n: number) => Array.from({ length: n }, (_, i) => crypto.createHash('sha256').update(`e${i}`).digest());

describe('RFC 9162 Merkle tree', () => {
  it('hashes leaves and nodes with distinct prefixes (known values)', () => {
    const e = Buffer.alloc(32, 7);
    expect(leafHash(e).toString('hex')).toBe(crypto.createHash('sha256').update(Buffer.concat([Buffer.from([0]), e])).digest('hex'));
    expect(nodeHash(e, e).toString('hex')).toBe(crypto.createHash('sha256').update(Buffer.concat([Buffer.from([1]), e, e])).digest('hex'));
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('the incremental frontier root equals MTH for every size up to 40', () => {
    const ev = events(40);
    const f = new Frontier(0, []);
    for (let n = 1; n <= 40; n++) {
      f.push(ev[n - 1]!);
      expect(f.root().equals(subtreeRoot(ev.slice(0, n).map(leafHash))), `n=${n}`).toBe(true);
      const again = Frontier.fromJson(f.size, f.toJson());
      expect(again.root().equals(f.root())).toBe(true);
    }
  });

  it('every inclusion and consistency proof up to 24 leaves verifies, and tampered ones do not', () => {
    const leaves = events(24).map(leafHash);
    for (let n = 1; n <= 24; n++) {
      const root = subtreeRoot(leaves.slice(0, n));
      for (let m = 0; m < n; m++) {
        const path = inclusionPath(m, leaves.slice(0, n));
        expect(verifyInclusion(m, n, leaves[m]!, path, root), `incl ${m}/${n}`).toBe(true);
        if (path.length) {
          const bent = path.map((p, i) => (i === 0 ? Buffer.from(p.map((b, j) => (j === 0 ? b ^ 1 : b))) : p));
          expect(verifyInclusion(m, n, leaves[m]!, bent, root), `bent ${m}/${n}`).toBe(false);
        }
      }
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(m, leaves.slice(0, n));
        const old = subtreeRoot(leaves.slice(0, m));
        expect(verifyConsistency(m, n, old, root, proof), `cons ${m}/${n}`).toBe(true);
        if (m < n) expect(verifyConsistency(m, n, subtreeRoot(leaves.slice(1, m + 1)), root, proof)).toBe(false);
      }
    }
  });
});
