/**
 * The example apps' shell loops. A container's command is PID 1 of its PID namespace, and the
 * kernel drops signals PID 1 has no handler for: a plain `while true; do ...; sleep 5; done`
 * ignores SIGTERM, so every stop waits the whole termination grace period (30 s) and ends in
 * SIGKILL. These loops trap SIGTERM, and run each step and each sleep in the background under
 * `wait`, which a trapped signal interrupts at once (a foreground command would delay the trap
 * until it finishes: up to the sleep, or curl's 10 s timeout).
 */

/**
 * A loop that runs `body` every `intervalSeconds` and exits 0 on SIGTERM at once. `body` is one
 * shell command list (e.g. `cmd || echo "failed"`).
 */
export function stoppableLoop(body: string, intervalSeconds: number): string {
  return `trap 'exit 0' TERM; while true; do { ${body}; } & wait $!; sleep ${intervalSeconds} & wait $!; done`;
}

/**
 * A finite script of steps that, on SIGTERM, stops at once with status 143 (128 + SIGTERM): a
 * stopped Job's pod counts as failed, not as completed. Each step runs under `wait`.
 */
export function stoppableSteps(steps: readonly string[]): string {
  return [`trap 'exit 143' TERM`, ...steps.map((s) => `{ ${s}; } & wait $!`)].join('; ');
}
