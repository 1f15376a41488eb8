import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { badInput } from '../core/errors.js';
import { configSchema, type ParsedConfig } from './schema.js';
import { checkDataDir } from './data-dir.js';
import type { ModelConfig } from './sections/models.js';

export interface ResolvedConfig extends ParsedConfig {
  /** Absolute path of the config file used, or null for built-in defaults. */
  readonly configPath: string | null;
  readonly dataDir: string;
  readonly store: { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string };
}

export interface LoadOptions {
  configPath?: string;
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Extra values merged over the file (used by tests and by `serve --port`). */
  overrides?: Record<string, unknown>;
}

const DEFAULT_FILES = ['hiraga.config.json', 'hiraga.config.yaml', 'hiraga.config.yml'];

/** Find, parse, validate and freeze the configuration. */
export function loadConfig(options: LoadOptions = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const configPath = findConfigFile(options.configPath ?? envValue(env, 'HIRAGA_CONFIG'), cwd);
  const raw = configPath ? readConfigFile(configPath) : {};
  const merged = { ...raw, ...(options.overrides ?? {}) };
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) throw badInput(formatIssues(parsed.error, merged, configPath));
  const cfg = parsed.data;

  if (!cfg.models.some((m) => m.provider === 'extractive')) {
    cfg.models.unshift(configSchema.shape.models.parse([{ id: 'extractive', provider: 'extractive' }])[0] as ModelConfig);
  }
  checkModelReferences(cfg, configPath);

  const envDataDir = envValue(env, 'HIRAGA_DATA_DIR');
  const dataDir = path.resolve(cwd, options.dataDir ?? envDataDir ?? '.hiraga');
  checkDataDir(dataDir, options.dataDir ? 'option' : envDataDir ? 'env' : 'default');
  const dbUrl = envValue(env, 'HIRAGA_DATABASE_URL') ?? cfg.database;
  if (dbUrl && !/^postgres(ql)?:\/\//.test(dbUrl)) {
    throw badInput(`database: "${dbUrl}" is not a PostgreSQL URL; use postgres://user@host:port/db, or leave it out for the embedded SQLite store`);
  }
  const store = dbUrl ? ({ kind: 'postgres', url: dbUrl } as const) : ({ kind: 'sqlite', file: path.join(dataDir, 'hiraga.sqlite') } as const);
  const redis = envValue(env, 'HIRAGA_REDIS_URL') ?? cfg.redis;
  return deepFreeze({ ...cfg, redis, configPath, dataDir, store });
}

/**
 * An environment variable's value; set but empty counts as not set (`HIRAGA_DATABASE_URL= hiraga serve`, a
 * blank line in a systemd EnvironmentFile), so it neither overrides the config file nor puts the data folder in
 * the current directory.
 */
export function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v;
}

function findConfigFile(given: string | undefined, cwd: string): string | null {
  if (given) {
    const p = path.resolve(cwd, given);
    if (!fs.existsSync(p)) throw badInput(`config file not found: ${p} (from --config or HIRAGA_CONFIG)`);
    return p;
  }
  for (const name of DEFAULT_FILES) {
    const p = path.join(cwd, name);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

function readConfigFile(file: string): Record<string, unknown> {
  const text = fs.readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(file) ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    const yaml = /\.ya?ml$/i.test(file);
    throw badInput(`config file ${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${syntaxProblem((err as Error).message, text, yaml)}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badInput(`config file ${file} must hold an object at the top level`);
  return value as Record<string, unknown>;
}

/**
 * A parser's complaint without the file's text: V8 quotes the JSON around the fault (`"{"key": "hk_abc…"`) and
 * the YAML parser the faulty line, which may hold an API key or a password, and this message goes to the log,
 * the audit trail of a key reload and its HTTP answer. Kept: what is wrong and where (line and column).
 */
export function syntaxProblem(message: string, text: string, yaml: boolean): string {
  if (yaml) return message.split('\n')[0]!.replace(/:\s*$/, '');
  const at = /^(.*?) in JSON at position (\d+)/.exec(message);
  if (at) {
    const before = text.slice(0, Number(at[2]));
    const line = before.split('\n').length;
    return `${at[1]} at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
  }
  if (/^Unexpected token/.test(message)) return 'an unexpected character (not repeated here: the file may hold keys)';
  if (/^Unexpected end of JSON input/.test(message)) return 'it ends too early (a bracket, brace or quote is not closed)';
  return 'a syntax error (the parser’s message is not repeated: it may quote keys)';
}

function checkModelReferences(cfg: ParsedConfig, file: string | null): void {
  const where = file ? ` in ${file}` : '';
  const ids = new Set<string>();
  cfg.models.forEach((m, i) => {
    if (ids.has(m.id)) throw badInput(`config error${where}: models[${i}].id = "${m.id}" is used twice; model ids must be unique`);
    ids.add(m.id);
  });
  if (!ids.has(cfg.defaultModel)) {
    throw badInput(`config error${where}: defaultModel = "${cfg.defaultModel}" names no model; allowed: ${[...ids].join(', ')}`);
  }
  cfg.models.forEach((m, i) =>
    m.fallback.forEach((f, j) => {
      if (!ids.has(f)) throw badInput(`config error${where}: models[${i}].fallback[${j}] = "${f}" names no model; allowed: ${[...ids].join(', ')}`);
    }),
  );
  cfg.auth.apiKeys.forEach((k, i) =>
    k.models?.forEach((m, j) => {
      if (!ids.has(m)) throw badInput(`config error${where}: auth.apiKeys[${i}].models[${j}] = "${m}" names no model; allowed: ${[...ids].join(', ')}`);
    }),
  );
}

/** `models[1].clearance = 5: Too big: expected number to be <=3` — path, bad value, what is allowed. */
export function formatIssues(error: z.ZodError, input: unknown, file: string | null): string {
  const lines = error.issues.slice(0, 5).map((issue) => {
    const p = formatPath(issue.path);
    return `${p || '(top level)'} = ${shownValue(valueAt(input, issue.path), issue.path)}: ${issue.message}`;
  });
  const more = error.issues.length > 5 ? ` (+${error.issues.length - 5} more)` : '';
  return `config error${file ? ` in ${file}` : ''}: ${lines.join('; ')}${more}`;
}

/** Fields whose values are secrets: never repeated in an error (a config error goes to logs and terminals). */
const SECRET_FIELD = /^(key|apiKey|clientSecret|password|secret|token)$/i;

/** A bad value as an error shows it: secrets hidden, long values cut. */
function shownValue(value: unknown, p: ReadonlyArray<PropertyKey>): string {
  if (value === undefined) return '(missing)';
  const last = p[p.length - 1];
  if (typeof last === 'string' && SECRET_FIELD.test(last)) return '(hidden)';
  const text = JSON.stringify(value, (k, v: unknown) => (k && SECRET_FIELD.test(k) && typeof v === 'string' ? '(hidden)' : v)) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export function formatPath(p: ReadonlyArray<PropertyKey>): string {
  return p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

function valueAt(input: unknown, p: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = input;
  for (const k of p) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function deepFreeze<T>(obj: T): T {
  if (obj && typeof obj === 'object' && !Object.isFrozen(obj)) {
    Object.freeze(obj);
    for (const v of Object.values(obj)) deepFreeze(v);
  }
  return obj;
}

/** Resolve `env:NAME` secrets at use time (never stored resolved in the frozen config). */
export function resolveSecret(value: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!value) return undefined;
  if (value.startsWith('env:')) {
    const name = value.slice(4);
    const v = env[name];
    if (v === undefined) throw badInput(`the environment variable ${name} (named by an "env:${name}" secret in the config) is not set`);
    return v;
  }
  return value;
}
