import { TimeoutError } from '../errors.ts';
import type { KubeClient } from './client.ts';
import { jsonLines } from './json-lines.ts';

/** Options for {@link watchUntil}. */
export interface WatchUntilOptions {
  fieldSelector?: string;
  /** Watch from this version, so that a change made since it was read is not missed. */
  resourceVersion?: string;
  timeoutMs: number;
  /** Says what was awaited, for the timeout's message. */
  what: string;
  hint?: string;
}

/**
 * Watches a collection until an object satisfies `done`, and returns it: the
 * moment a controller reports, with no polling interval added to the wait.
 *
 * @throws {TimeoutError} when nothing satisfies `done` in time.
 */
export async function watchUntil<T>(
  client: KubeClient,
  path: string,
  options: WatchUntilOptions,
  done: (object: T) => boolean,
): Promise<T> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeoutMs);
  try {
    for (;;) {
      const response = await client.raw.stream(
        path,
        {
          watch: 'true',
          allowWatchBookmarks: 'true',
          fieldSelector: options.fieldSelector,
          resourceVersion: options.resourceVersion,
          timeoutSeconds: String(Math.max(1, Math.ceil(options.timeoutMs / 1000))),
        },
        abort.signal,
      );
      type Event = { type: string; object: T & { metadata?: { resourceVersion?: string } } };
      for await (const event of jsonLines<Event>(response.body as unknown as AsyncIterable<Uint8Array>)) {
        if ((event.type === 'ADDED' || event.type === 'MODIFIED') && done(event.object)) return event.object;
        if (event.object.metadata?.resourceVersion && event.type !== 'ERROR')
          options.resourceVersion = event.object.metadata.resourceVersion;
      }
    }
  } catch (err) {
    if (abort.signal.aborted)
      throw new TimeoutError(`gave up after ${options.timeoutMs / 1000}s waiting for ${options.what}${options.hint ?? ''}`);
    throw err;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}
