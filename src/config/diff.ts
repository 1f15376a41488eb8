/**
 * Which parts of a configuration differ between two loads, by name (`models`, `server.port`, `auth.oidc`) —
 * never by value, so the names can be logged: a value may be a secret. A section that is an object is
 * compared field by field; anything else (lists, strings, numbers) as a whole. Paths in `skip` (a section,
 * or one field of it, `auth.apiKeys`) are left out.
 */
export function changedSections(before: object, after: object, skip: readonly string[] = []): string[] {
  const out: string[] = [];
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  for (const section of union(a, b)) {
    if (skip.includes(section)) continue;
    const x = a[section];
    const y = b[section];
    if (isPlainObject(x) && isPlainObject(y)) {
      for (const field of union(x, y)) {
        const name = `${section}.${field}`;
        if (!skip.includes(name) && !same(x[field], y[field])) out.push(name);
      }
    } else if (!same(x, y)) out.push(section);
  }
  return out;
}

const union = (x: Record<string, unknown>, y: Record<string, unknown>) => [...new Set([...Object.keys(x), ...Object.keys(y)])];

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Equal as JSON, whatever the order of object keys. */
function same(x: unknown, y: unknown): boolean {
  return canonical(x) === canonical(y);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}
