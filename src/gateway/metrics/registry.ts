/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in the
 * text exposition format (version 0.0.4). Enough for hiraga's /metrics without a dependency.
 */

type Labels = Record<string, string>;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** The series key of `labels` (on every request: built without intermediate arrays). */
function labelKey(names: readonly string[], labels: Labels): string {
  let key = '';
  for (let i = 0; i < names.length; i++) key += (i ? '\u0000' : '') + (labels[names[i]!] ?? '');
  return key;
}

function renderLabels(names: readonly string[], values: string[], extra?: [string, string]): string {
  const parts = names.map((n, i) => `${n}="${escapeLabel(values[i] ?? '')}"`);
  if (extra) parts.push(`${extra[0]}="${escapeLabel(extra[1])}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

interface Metric {
  readonly name: string;
  render(): string;
}

abstract class Labelled<V> implements Metric {
  protected readonly series = new Map<string, { values: string[]; value: V }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    private readonly type: 'counter' | 'gauge' | 'histogram',
  ) {}
  protected slot(labels: Labels, init: () => V): { values: string[]; value: V } {
    const key = labelKey(this.labelNames, labels);
    let s = this.series.get(key);
    if (!s) {
      s = { values: this.labelNames.map((n) => labels[n] ?? ''), value: init() };
      this.series.set(key, s);
    }
    return s;
  }
  protected header(): string {
    return `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} ${this.type}\n`;
  }
  abstract render(): string;
}

export class Counter extends Labelled<number> {
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, labelNames, 'counter');
  }
  inc(labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) return;
    this.slot(labels, () => 0).value += by;
  }
  get(labels: Labels = {}): number {
    return this.series.get(labelKey(this.labelNames, labels))?.value ?? 0;
  }
  render(): string {
    let out = this.header();
    for (const s of this.series.values()) out += `${this.name}${renderLabels(this.labelNames, s.values)} ${s.value}\n`;
    return out;
  }
}

export class Gauge extends Labelled<number> {
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    private readonly collect?: () => number,
  ) {
    super(name, help, labelNames, 'gauge');
  }
  set(value: number, labels: Labels = {}): void {
    this.slot(labels, () => 0).value = value;
  }
  inc(labels: Labels = {}, by = 1): void {
    this.slot(labels, () => 0).value += by;
  }
  dec(labels: Labels = {}, by = 1): void {
    this.slot(labels, () => 0).value -= by;
  }
  /** Forget every series (a gauge set from a snapshot: series no longer in it must not linger). */
  clear(): void {
    this.series.clear();
  }
  render(): string {
    if (this.collect) this.set(this.collect());
    let out = this.header();
    for (const s of this.series.values()) out += `${this.name}${renderLabels(this.labelNames, s.values)} ${s.value}\n`;
    return out;
  }
}

interface HistogramValue {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Labelled<HistogramValue> {
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    readonly buckets: readonly number[],
  ) {
    super(name, help, labelNames, 'histogram');
  }
  observe(value: number, labels: Labels = {}): void {
    const s = this.slot(labels, () => ({ counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 })).value;
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }
  render(): string {
    let out = this.header();
    for (const s of this.series.values()) {
      this.buckets.forEach((b, i) => {
        out += `${this.name}_bucket${renderLabels(this.labelNames, s.values, ['le', String(b)])} ${s.value.counts[i]}\n`;
      });
      out += `${this.name}_bucket${renderLabels(this.labelNames, s.values, ['le', '+Inf'])} ${s.value.count}\n`;
      out += `${this.name}_sum${renderLabels(this.labelNames, s.values)} ${s.value.sum}\n`;
      out += `${this.name}_count${renderLabels(this.labelNames, s.values)} ${s.value.count}\n`;
    }
    return out;
  }
}

export class Registry {
  private readonly metrics: Metric[] = [];
  register<M extends Metric>(metric: M): M {
    if (this.metrics.some((m) => m.name === metric.name)) throw new Error(`metric ${metric.name} registered twice`);
    this.metrics.push(metric);
    return metric;
  }
  render(): string {
    return this.metrics.map((m) => m.render()).join('');
  }
}
