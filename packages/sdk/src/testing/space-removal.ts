import { DEFAULT_TIMEOUT_MS, waitFor } from '../api/lifecycle.ts';
import type { SpaceRef } from '../api/inputs.ts';
import { NotFoundError } from '../errors.ts';
import { KubeClient, statusCode } from '../kube/index.ts';
import type { Spacekit } from '../spacekit.ts';
import { type Closable, openEphemeralSpaces, type OpenSpaces } from './open-spaces.ts';

/**
 * Deletes one ephemeral Space, once, however often and from wherever it is
 * asked: the test's `dispose()`, `await using`, a fixture's teardown and the
 * signal handler may all ask, in any order.
 */
export class SpaceRemoval implements Closable {
  readonly label: string;
  readonly #kit: Spacekit;
  readonly #ref: SpaceRef;
  readonly #timeoutMs: number;
  readonly #registry: OpenSpaces;
  #creation: Promise<unknown> = Promise.resolve();
  #started: Promise<void> | undefined;
  #finished: Promise<void> | undefined;
  #untrack: () => void = () => undefined;

  constructor(kit: Spacekit, ref: SpaceRef, namespace: string, timeoutMs = DEFAULT_TIMEOUT_MS, registry: OpenSpaces = openEphemeralSpaces) {
    this.#kit = kit;
    this.#ref = ref;
    this.label = namespace;
    this.#timeoutMs = timeoutMs;
    this.#registry = registry;
  }

  /**
   * Registers for cleanup on SIGINT/SIGTERM while `creation` runs and after.
   * Registered before the create is sent, so that a signal during a slow
   * create still cleans up: the removal waits for the create to settle first.
   */
  watch(creation: Promise<unknown>): void {
    this.#creation = creation;
    this.#untrack = this.#registry.track(this);
  }

  /** Forgets the Space without deleting it: its create failed, and the SDK has already taken it back. */
  forget(): void {
    this.#untrack();
  }

  /** For the signal handler: start the deletion and return once the cluster has it. */
  close(): Promise<void> {
    return this.remove(false);
  }

  /**
   * Deletes the Space. With `wait`, resolves once its namespace is gone;
   * without, once deletion has started. A Space already gone (deleted by
   * someone else, or reaped by its TTL) counts as removed. A failed attempt
   * may be retried by calling again.
   */
  remove(wait: boolean): Promise<void> {
    this.#untrack();
    if (!wait) {
      if (this.#finished) return this.#finished;
      this.#started ??= this.#retryable(() => this.#delete(false), 'started');
      return this.#started;
    }
    const before = this.#started?.catch(() => undefined) ?? Promise.resolve();
    this.#finished ??= this.#retryable(() => before.then(() => this.#delete(true)), 'finished');
    return this.#finished;
  }

  #retryable(run: () => Promise<void>, slot: 'started' | 'finished'): Promise<void> {
    return run().catch((err: unknown) => {
      if (slot === 'started') this.#started = undefined;
      else this.#finished = undefined;
      throw err;
    });
  }

  async #delete(wait: boolean): Promise<void> {
    // A create still in flight would otherwise land after the delete and leave the Space behind.
    await this.#creation.catch(() => undefined);
    try {
      await this.#kit.spaces.delete(this.#ref, { wait, timeoutMs: this.#timeoutMs });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    if (wait) await this.#namespaceGone();
  }

  /**
   * Waits for the namespace itself. Embedded deletes without waiting drop the
   * Space object while the namespace still empties, so the object's absence
   * alone does not prove it. A caller who may not read namespaces (a tenant
   * admin) deletes through the operator, which keeps the object until the
   * namespace is gone: for them the object's absence, already waited for, is
   * the proof.
   */
  async #namespaceGone(): Promise<void> {
    const client = new KubeClient(this.#kit.kubeConfig);
    await waitFor(
      `namespace ${this.label} to be gone`,
      async () => {
        try {
          return (await client.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.label } })) ? undefined : true;
        } catch (err) {
          if (statusCode(err) === 403) return true;
          throw err;
        }
      },
      this.#timeoutMs,
    );
  }
}
