/** Runs `tasks` `width` at a time, in order, so that a big cluster's requests do not all hit the API server at once. */
export async function pooled<T>(tasks: readonly (() => Promise<T>)[], width = 16): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await (tasks[i] as () => Promise<T>)();
      }
    }),
  );
  return out;
}
