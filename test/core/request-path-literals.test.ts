import fs from 'node:fs';
import path from 'node:path';
import { parseAst } from 'rolldown/parseAst';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { sourceFiles } from '../helpers/files.js';

/**
 * A static check, like a lint rule: the folders a governed call runs through have no object literal that
 * starts with a spread and goes on (`{ ...base, time }`, `{ ...(c ? { a } : {}), b }`). On Node 20 such a
 * literal keeps what it points at alive until a full collection (src/core/objects.ts, measured in
 * objects.test.ts); write `extend(base, { time })`, or start the literal with a plain property.
 *
 * Files that never run on a model call are listed below with the reason; every other file in these
 * folders, including new ones, is checked.
 */
const FOLDERS = ['src/core', 'src/gateway', 'src/audit', 'src/models', 'src/guard'];
const OFF_THE_REQUEST_PATH: Record<string, string> = {
  'src/audit/export.ts': 'audit export (CLI and API, not a model call)',
  'src/audit/query.ts': 'audit reads',
  'src/gateway/auth/oidc-login.ts': 'OIDC discovery at login',
  'src/gateway/jobs.ts': 'ingest job progress',
  'src/gateway/openapi.ts': 'built once',
  'src/gateway/routes/admin.ts': 'admin API',
  'src/gateway/routes/audit.ts': 'audit API',
  'src/gateway/routes/oidc.ts': 'login',
  'src/gateway/runtime.ts': 'built once per CLI run',
};

interface Node {
  type: string;
  start: number;
  end: number;
  properties?: Array<{ type: string }>;
}

/** Every object literal in `code` whose first member is a spread and that has more than one member. */
function spreadFirstLiterals(file: string, code: string): string[] {
  const found: string[] = [];
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    const node = n as Node;
    if (node.type === 'ObjectExpression' && node.properties && node.properties.length > 1 && node.properties[0]!.type === 'SpreadElement') {
      const line = code.slice(0, node.start).split('\n').length;
      found.push(`${file}:${line}: ${code.slice(node.start, node.end).replace(/\s+/g, ' ').slice(0, 80)}`);
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'parent') visit(v);
  };
  visit(parseAst(code, { lang: 'ts', sourceType: 'module' }, file));
  return found;
}

const sources = (dir: string): string[] => sourceFiles(dir, /\.ts$/);

describe('request path: no spread-first object literals', () => {
  it('finds them (the check itself)', () => {
    const code = 'const a = { ...b, c: 1 };\nconst d = { c: 1, ...b };\nconst e = { ...b };\nconst f = { ...(x ? { y } : {}), z };\n';
    expect(spreadFirstLiterals('t.ts', code).map((s) => s.split(':')[1])).toEqual(['1', '4']);
  });

  it('none in the folders a governed call runs through', () => {
    const files = FOLDERS.flatMap(sources).filter((f) => !(f in OFF_THE_REQUEST_PATH));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) => spreadFirstLiterals(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(found, 'use extend() from src/core/objects.ts, or start the literal with a plain property').toEqual([]);
  });

  it('lists only files that exist', () => {
    for (const f of Object.keys(OFF_THE_REQUEST_PATH)) expect(fs.existsSync(path.join(ROOT, f)), f).toBe(true);
  });
});
