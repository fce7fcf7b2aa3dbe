import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The benchmark's gate (scripts/bench/index.js --quick, run by CI): it fails when a ratio to the
// floor measured in the same run is more than 1.5x its baseline (scripts/bench/baseline.json).
// The negative control: BENCH_INJECT_SLOWDOWN=3 makes our own synth processes three times as slow.

const ROOT = path.resolve(__dirname, '../..');

function quickBench(env: Record<string, string>): { code: number | null; out: string; err: string } {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-gate-')), 'bench.md');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/bench/index.js'), '--quick', '--out', out], { cwd: ROOT, encoding: 'utf-8', env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
  return { code: r.status, out: fs.existsSync(out) ? fs.readFileSync(out, 'utf-8') : '', err: r.stderr };
}

describe('the quick benchmark\'s regression gate', () => {
  test('GIVEN the baseline committed WHEN the quick benchmark runs as is THEN it passes; WHEN our synth is made three times as slow THEN it fails, naming the ratio', () => {
    // GIVEN the committed baseline of every gated ratio
    const baseline = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts/bench/baseline.json'), 'utf-8'));
    expect(Object.keys(baseline.ratios)).toEqual(['README synth / floor (CPU)', '100 pods: ours / plain cdk8s-plus (CPU)', '20 charts / one chart of 20 pods (CPU)']);
    // WHEN it runs as CI runs it THEN it passes and says so for each ratio
    const ok = quickBench({});
    expect(ok.err).not.toContain('bench: FAILED');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/\| README synth \/ floor \(CPU\) \| [\d.]+x \| [\d.]+x \| ok \|/);
    // WHEN our synth processes are three times as slow (the floor and plain cdk8s-plus are not)
    const slow = quickBench({ BENCH_INJECT_SLOWDOWN: '3' });
    // THEN it fails, and names the ratios past 1.5x their baseline
    expect(slow.code).toBe(1);
    expect(slow.err).toMatch(/bench: FAILED: README synth \/ floor \(CPU\) is [\d.]+x, more than 1.5x its baseline/);
    expect(slow.out).toContain('**regression: more than 1.5x the baseline**');
  }, 300_000);
});
