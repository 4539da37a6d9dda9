// Free of vitest, so that scripts outside a test run (the benchmarks) can use it too.

/**
 * Polls until `probe` returns a value other than undefined, for state that
 * controllers reach eventually. The timeout only bounds a hung run; no test
 * asserts on how long it took.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 60_000, intervalMs = 200 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`gave up waiting for ${what}${lastError ? `: ${String((lastError as Error).message ?? lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
