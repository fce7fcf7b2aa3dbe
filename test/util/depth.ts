/**
 * How deep a run of the unit tests goes. `npm test` (the README's command, with a time budget:
 * docs/benchmark.md) runs every behaviour, but of an exhaustive product of cases (every helper on
 * every workload of every cdk8s-plus major, every vendored schema version) a share that still
 * holds every pair of values, and fewer cases of each property. The deep run
 * (`npm run test:deep`, run by .ci/run: `POD_PATTERNS_DEEP_TESTS=1`) runs the same files with every
 * case of every product and the full case counts.
 */

/** Whether this is the deep run. */
export const DEEP: boolean = process.env.POD_PATTERNS_DEEP_TESTS === '1';

/** The cases of an exhaustive list this run takes: every one in the deep run, else those `inShare` keeps. */
export function share<T>(all: readonly T[], inShare: (c: T, i: number) => boolean): T[] {
  return DEEP ? [...all] : all.filter(inShare);
}

/** The number of cases of a property: `deepRuns` in the deep run, else `runs`. */
export function propertyRuns(runs: number, deepRuns: number): number {
  return DEEP ? deepRuns : runs;
}
