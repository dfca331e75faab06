/**
 * A reading shared by every caller within `ms` of it: `read()` runs again only once its last
 * result is more than `ms` old (by `now`). For costly readings of the system (the process
 * table, the socket tables) that many callers want at about the same time.
 */
export function reusedFor<T>(
  ms: number,
  read: () => T,
  now: () => number = () => performance.now(),
): () => T {
  let last: { at: number; value: T } | null = null;
  return () => {
    const at = now();
    if (last === null || at - last.at > ms) last = { at, value: read() };
    return last.value;
  };
}
