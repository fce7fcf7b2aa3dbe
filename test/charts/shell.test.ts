import { stoppableLoop, stoppableSteps } from '../../lib/charts/shell';
import { COUNTER_SCRIPT } from '../../lib/charts/one-pod-or-two-chart';
import { CART_WORKER_SCRIPT, RATES_POLLER_SCRIPT } from '../../lib/charts/proxy-ambassador-chart';
import { REPORT_JOB_SCRIPT } from '../../lib/charts/log-sidecar-chart';

describe('example shell loops', () => {
  test('a loop traps SIGTERM and runs its step and its sleep under wait, so that the trap runs at once', () => {
    expect(stoppableLoop('date || echo failed', 5)).toBe('trap \'exit 0\' TERM; while true; do { date || echo failed; } & wait $!; sleep 5 & wait $!; done');
  });

  test('a script of steps exits 143 on SIGTERM', () => {
    expect(stoppableSteps(['echo a', 'sleep 1'])).toBe('trap \'exit 143\' TERM; { echo a; } & wait $!; { sleep 1; } & wait $!');
  });

  test('every example loop is one of them (none runs a bare `while true` as PID 1)', () => {
    for (const script of [COUNTER_SCRIPT, CART_WORKER_SCRIPT, RATES_POLLER_SCRIPT]) expect(script).toMatch(/^trap 'exit 0' TERM; while true; do \{ .+; \} & wait \$!; sleep \d+ & wait \$!; done$/);
    expect(REPORT_JOB_SCRIPT).toMatch(/^trap 'exit 143' TERM; \{ echo "step 1 of 5" >> \/var\/log\/report\/report\.log; \} & wait \$!; \{ sleep 1; \} & wait \$!; /);
  });
});
