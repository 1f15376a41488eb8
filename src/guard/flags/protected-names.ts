import protectedNames from '../data/protected-names.json' with { type: 'json' };

/** Named creators, works and characters (data file + config.guard.protectedNames). */
export class ProtectedNames {
  private readonly names: string[];

  constructor(extra: readonly string[] = []) {
    this.names = [...new Set([...protectedNames.entries, ...extra])].filter(Boolean).sort((a, b) => b.length - a.length);
  }

  /** The longest listed name that ends exactly at `end` in `text`. */
  endingAt(text: string, end: number): string | null {
    for (const n of this.names) if (end >= n.length && text.startsWith(n, end - n.length)) return n;
    return null;
  }

  /** Every listed name in `text`, with offsets (longest first at a position). */
  findAll(text: string): { name: string; start: number; end: number }[] {
    const out: { name: string; start: number; end: number }[] = [];
    for (const n of this.names) {
      let i = text.indexOf(n);
      while (i >= 0) {
        if (!out.some((o) => i < o.end && o.start < i + n.length)) out.push({ name: n, start: i, end: i + n.length });
        i = text.indexOf(n, i + n.length);
      }
    }
    return out.sort((a, b) => a.start - b.start);
  }
}
