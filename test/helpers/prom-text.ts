/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests of /metrics: every line is
 * checked against the format (https://prometheus.io/docs/instrumenting/exposition_formats/), not just parsed.
 * It throws on the first violation with the line number, so a test failure says what is wrong.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, where: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  // Go's ParseFloat: decimal or exponent notation (no hex, no 'Infinity', no empty).
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`${where}: invalid value "${text}"`);
  return Number(text);
}

/** Parse `{a="x",b="y"}` starting at `s[i] === '{'`; returns the labels and the index after `}`. */
function parseLabels(s: string, i: number, where: string): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  i++;
  while (s[i] !== '}') {
    const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(s.slice(i));
    if (!m) throw new Error(`${where}: invalid label name at column ${i}`);
    const name = m[0];
    i += name.length;
    if (s[i] !== '=' || s[i + 1] !== '"') throw new Error(`${where}: expected =" after label ${name}`);
    i += 2;
    let value = '';
    for (;;) {
      const ch = s[i];
      if (ch === undefined) throw new Error(`${where}: unterminated label value of ${name}`);
      if (ch === '"') break;
      if (ch === '\\') {
        const next = s[i + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else throw new Error(`${where}: invalid escape \\${next} in label ${name}`);
        i += 2;
        continue;
      }
      value += ch;
      i++;
    }
    i++;
    if (name in labels) throw new Error(`${where}: label ${name} given twice`);
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`${where}: reserved or invalid label name ${name}`);
    labels[name] = value;
    if (s[i] === ',') i++;
    else if (s[i] !== '}') throw new Error(`${where}: expected , or } after label ${name}`);
  }
  return { labels, end: i + 1 };
}

const HELP_ESCAPES = /\\(?![\\n])/;

/**
 * Parse and validate a whole exposition. Checks: a trailing newline; HELP and TYPE at most once per family and
 * before its samples; a family's samples together; valid metric and label names and escapes; no duplicate
 * series; counters end in _total; histograms have cumulative buckets ending in le="+Inf" equal to _count, with _sum.
 */
export function parsePrometheusText(text: string): Map<string, Family> {
  if (text.length && !text.endsWith('\n')) throw new Error('the exposition does not end with a newline');
  const families = new Map<string, Family>();
  const finished = new Set<string>();
  const seen = new Set<string>();
  let current: Family | null = null;
  const familyOf = (sampleName: string): Family | undefined => {
    if (current && (sampleName === current.name || (current.type === 'histogram' && [`${current.name}_bucket`, `${current.name}_sum`, `${current.name}_count`].includes(sampleName)))) return current;
    return undefined;
  };
  const open = (name: string, where: string): Family => {
    if (current?.name === name) return current;
    if (current) finished.add(current.name);
    if (finished.has(name)) throw new Error(`${where}: family ${name} appears in two places`);
    const f: Family = { name, type: 'untyped', help: '', samples: [] };
    families.set(name, f);
    current = f;
    return f;
  };
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((line, n) => {
    const where = `line ${n + 1}`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) return; // a plain comment
      const [, kind, name, rest] = m as unknown as [string, string, string, string];
      if (!METRIC_NAME.test(name)) throw new Error(`${where}: invalid metric name ${name}`);
      const f = open(name, where);
      if (kind === 'HELP') {
        if (f.help) throw new Error(`${where}: second HELP for ${name}`);
        if (HELP_ESCAPES.test(rest)) throw new Error(`${where}: invalid escape in HELP of ${name}`);
        f.help = rest || ' ';
      } else {
        if (f.samples.length) throw new Error(`${where}: TYPE of ${name} after its samples`);
        if ((f as Family & { typed?: boolean }).typed) throw new Error(`${where}: second TYPE for ${name}`);
        if (!TYPES.has(rest)) throw new Error(`${where}: unknown type ${rest}`);
        f.type = rest as Family['type'];
        (f as Family & { typed?: boolean }).typed = true;
      }
      return;
    }
    const nm = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nm) throw new Error(`${where}: invalid metric name in "${line.slice(0, 80)}"`);
    const name = nm[0];
    let i = name.length;
    let labels: Record<string, string> = {};
    if (line[i] === '{') ({ labels, end: i } = parseLabels(line, i, where));
    if (line[i] !== ' ') throw new Error(`${where}: expected a space before the value`);
    const parts = line.slice(i + 1).split(' ');
    if (parts.length > 2 || (parts[1] !== undefined && !/^-?\d+$/.test(parts[1]))) throw new Error(`${where}: invalid value or timestamp "${line.slice(i + 1)}"`);
    const value = parseValue(parts[0]!, where);
    const f = familyOf(name) ?? open(name, where);
    const key = name + JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (seen.has(key)) throw new Error(`${where}: duplicate series ${name}${JSON.stringify(labels)}`);
    seen.add(key);
    f.samples.push({ name, labels, value });
  });
  for (const f of families.values()) {
    if (f.type === 'counter' && !f.name.endsWith('_total')) throw new Error(`counter ${f.name} does not end in _total`);
    if (f.type === 'counter') for (const s of f.samples) if (!(s.value >= 0)) throw new Error(`counter ${f.name} has value ${s.value}`);
    if (f.type === 'histogram') checkHistogram(f);
  }
  return families;
}

function checkHistogram(f: Family): void {
  const groups = new Map<string, { buckets: Array<[number, number]>; sum?: number; count?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1)));
    const g = groups.get(key) ?? { buckets: [] };
    groups.set(key, g);
    if (s.name === `${f.name}_bucket`) {
      if (le === undefined) throw new Error(`${f.name}_bucket without le`);
      g.buckets.push([parseValue(le, `${f.name} le`), s.value]);
    } else if (s.name === `${f.name}_sum`) g.sum = s.value;
    else if (s.name === `${f.name}_count`) g.count = s.value;
    else throw new Error(`histogram ${f.name} has a sample ${s.name}`);
  }
  for (const [key, g] of groups) {
    if (g.sum === undefined || g.count === undefined) throw new Error(`histogram ${f.name}${key} lacks _sum or _count`);
    const last = g.buckets[g.buckets.length - 1];
    if (!last || last[0] !== Infinity) throw new Error(`histogram ${f.name}${key} does not end with le="+Inf"`);
    if (last[1] !== g.count) throw new Error(`histogram ${f.name}${key}: +Inf bucket ${last[1]} ≠ _count ${g.count}`);
    for (let i = 1; i < g.buckets.length; i++) {
      if (!(g.buckets[i]![0] > g.buckets[i - 1]![0])) throw new Error(`histogram ${f.name}${key}: le not increasing`);
      if (g.buckets[i]![1] < g.buckets[i - 1]![1]) throw new Error(`histogram ${f.name}${key}: buckets not cumulative`);
    }
  }
}

/** Every series (sample line) of the exposition: the number a Prometheus server would store. */
export function seriesCount(families: Map<string, Family>): number {
  let n = 0;
  for (const f of families.values()) n += f.samples.length;
  return n;
}

/** The value of one sample (0 when absent): `value(families, 'hiraga_http_requests_total', {route: '/v1/models'})` sums the matching series. */
export function sampleSum(families: Map<string, Family>, name: string, match: Record<string, string> = {}): number {
  const base = name.replace(/_(bucket|sum|count)$/, '');
  const f = families.get(name) ?? families.get(base);
  if (!f) return 0;
  let total = 0;
  for (const s of f.samples) if (s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v)) total += s.value;
  return total;
}
