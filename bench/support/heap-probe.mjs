/**
 * Preloaded by bench/gateway.ts into the `hiraga serve` it measures (node --import): on SIGUSR2 the
 * process runs two full garbage collections and appends one JSON line to HIRAGA_BENCH_HEAP_FILE —
 * the live heap (what is still reachable) and external memory. RSS alone cannot say whether memory
 * is flat: V8 keeps freed space and collects old garbage lazily, so RSS grows round over round even when
 * nothing is retained. Bench instrumentation only: hiraga itself never loads this file.
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

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
