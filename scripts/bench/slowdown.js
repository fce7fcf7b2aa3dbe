// The benchmark's negative control (scripts/bench/index.js): preloaded with `node -r` into the
// processes of our own synth when BENCH_INJECT_SLOWDOWN=<factor> is set, it makes each such
// process take <factor> times its time (a busy wait at exit), so that the quick benchmark's
// regression gate can be shown to fail (test/tools/bench-gate.test.ts).
'use strict';
const factor = Number(process.env.BENCH_INJECT_SLOWDOWN);
if (factor > 1) {
  const started = performance.timeOrigin;
  process.on('exit', () => {
    const end = started + (Date.now() - started) * factor;
    while (Date.now() < end) { /* busy: a slower synth */ }
  });
}
