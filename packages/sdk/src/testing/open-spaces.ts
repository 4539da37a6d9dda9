/** Something this process must clean up when it is told to stop. */
export interface Closable {
  /** What it is, for the line printed on a signal, such as a namespace. */
  readonly label: string;
  /** Starts the cleanup; resolves once the cluster has taken the request. */
  close(): Promise<void>;
}

/** The signals a test runner, CI job or person sends to stop a run. */
export const CLEANUP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * How long cleanup on a signal may take before the process dies anyway:
 * someone pressed Ctrl-C, or CI is about to SIGKILL. What is not deleted
 * by then is left to the TTL.
 */
export const SIGNAL_CLEANUP_MS = 10_000;

/**
 * The ephemeral Spaces this process holds open, and the SIGINT/SIGTERM
 * handlers that delete them when the process is told to stop.
 *
 * The handlers are installed with the first open Space and removed with the
 * last: a listener on SIGINT replaces Node's default of exiting, so it must
 * not linger in a process that has nothing to clean up.
 */
export class OpenSpaces {
  readonly #open = new Set<Closable>();
  readonly #onSignal = (signal: NodeJS.Signals): void => void this.#cleanUpAndExit(signal);
  #installed = false;
  readonly #write: (line: string) => void;

  constructor(write: (line: string) => void = (line) => process.stderr.write(line)) {
    this.#write = write;
  }

  /** How many are open now. */
  get size(): number {
    return this.#open.size;
  }

  /** True while the signal handlers are installed. */
  get handling(): boolean {
    return this.#installed;
  }

  /** Remembers `item` until the returned function is called. */
  track(item: Closable): () => void {
    this.#open.add(item);
    if (!this.#installed) {
      for (const signal of CLEANUP_SIGNALS) process.on(signal, this.#onSignal);
      this.#installed = true;
    }
    return () => {
      this.#open.delete(item);
      if (this.#open.size === 0) this.#uninstall();
    };
  }

  /** Closes everything open now, at once; resolves when all have answered (failures are left to the TTL). */
  async closeAll(): Promise<PromiseSettledResult<void>[]> {
    const items = [...this.#open];
    this.#open.clear();
    this.#uninstall();
    return Promise.allSettled(items.map((item) => item.close()));
  }

  #uninstall(): void {
    if (!this.#installed) return;
    for (const signal of CLEANUP_SIGNALS) process.off(signal, this.#onSignal);
    this.#installed = false;
  }

  async #cleanUpAndExit(signal: NodeJS.Signals): Promise<void> {
    const labels = [...this.#open].map((item) => item.label);
    // Removed first: a second Ctrl-C while this runs then ends the process at once.
    this.#uninstall();
    this.#write(
      `spacekit: ${signal}: deleting ${labels.length} ephemeral Space${labels.length === 1 ? '' : 's'} (${labels.join(', ')}); press Ctrl-C again to exit now and leave ${labels.length === 1 ? 'it' : 'them'} to the TTL\n`,
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SIGNAL_CLEANUP_MS);
      timer.unref();
    });
    await Promise.race([this.closeAll(), deadline]);
    clearTimeout(timer);
    // When someone else also listens for this signal, the process is theirs to end. Otherwise re-raise it
    // with no listener left, so that the default action ends the process with the conventional status
    // (128 + the signal's number), as if these handlers had never been there.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  }
}

/** The process-wide registry that {@link ephemeralSpace} uses. */
export const openEphemeralSpaces = new OpenSpaces();
