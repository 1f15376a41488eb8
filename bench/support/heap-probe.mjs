/**
 * Preloaded by bench/gateway.ts into the `hiraga serve` it measures (node --import): on SIGUSR2 the
 * process runs two full garbage collections and appends one JSON line to HIRAGA_BENCH_HEAP_FILE —
 * the live heap (what is still reachable) and external memory. RSS alone cannot say whether memory
 * is flat: V8 keeps freed space and collects old garbage lazily, so RSS grows round over round even when
 * nothing is retained. Bench instrumentation only: hiraga itself never loads this file.
 *
 * With HIRAGA_BENCH_GC_FILE it also records every garbage-collection pause of the main thread (Node's
 * `gc` performance entries) and appends them once a second as JSON lines `[epoch ms, kind, pause ms]`,
 * kind being "young" (scavenge), "full" (mark-compact), "incremental" (a marking step) or "weak"
 * (weak callbacks), so bench:gateway can say how much of a round's latency GC could explain.
 */
import fs from 'node:fs';
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

const gcFile = process.env.HIRAGA_BENCH_GC_FILE;
if (gcFile) {
  const KIND = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'young',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'full',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak',
  };
  let pending = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pending.push(JSON.stringify([performance.timeOrigin + e.startTime, KIND[e.detail?.kind] ?? 'other', e.duration]));
  }).observe({ entryTypes: ['gc'] });
  setInterval(() => {
    if (!pending.length) return;
    const lines = pending.join('\n') + '\n';
    pending = [];
    fs.appendFile(gcFile, lines, () => {});
  }, 1000).unref();
}

const out = process.env.HIRAGA_BENCH_HEAP_FILE;
if (out) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  process.on('SIGUSR2', () => {
    gc();
    gc();
    const m = process.memoryUsage();
    fs.appendFileSync(out, JSON.stringify({ heapUsed: m.heapUsed, external: m.external }) + '\n');
  });
}
