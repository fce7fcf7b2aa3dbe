/** Keys in order and values, as one string (undefined shown, unlike JSON). */
const shape = (v: any): string => JSON.stringify(v, (_k, x) => (x === undefined ? '<undefined>' : x));

/** What `f` returns or throws, as one string: what a faster mirror of a function must give alike. */
export function outcome(f: () => any): string {
  try {
    return `returns ${shape(f())}`;
  } catch (e) {
    return `throws ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`;
  }
}
