// Preloaded (`node -r`) by the benchmark into the processes it times: prints the process's CPU
// time (user + system) at exit, after any other exit handler (BENCH_INJECT_SLOWDOWN's), to stderr.
// CPU time is what the quick benchmark's gate compares: on a machine shared with other work, a
// short process's wall time varies far more than the CPU it uses.
'use strict';
process.on('exit', () => {
  const u = process.cpuUsage();
  process.stderr.write(`\nbench-cpu-ms ${(u.user + u.system) / 1000}\n`);
});
