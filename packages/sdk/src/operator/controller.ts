import { engineContext, type EngineContext } from '../engine/context.ts';
import type { EventRecorder } from '../engine/events.ts';
import { reconcileOrganization } from '../engine/organization.ts';
import type { ReconcileResult } from '../engine/outcome.ts';
import { apiReader } from '../cluster/index.ts';
import { reconcileSpace } from '../engine/space.ts';
import { awaitsAllocation } from '../engine/grant.ts';
import { reconcileTenant } from '../engine/tenant.ts';
import type { InformerEvent } from '../informer/index.ts';
import type { KubeClient } from '../kube/index.ts';
import {
  type ClusterSettings,
  LABELS,
  type Organization,
  parseNamespace,
  type Space,
  type Tenant,
  tenantNamespace,
} from '../model/index.ts';
import type { KubeObject } from '../render/index.ts';
import type { Logger } from './log.ts';
import type { OperatorMetrics } from './metrics.ts';
import { type AttemptEnd, WorkQueue } from './queue.ts';
import { allInformers, cacheReader, createInformers, type Watched } from './watched.ts';
import { decodeWorkKey, encodeWorkKey, type WorkKey } from './work-key.ts';

/** Options for {@link Controller}. */
export interface ControllerOptions {
  client: KubeClient;
  settings: ClusterSettings;
  /** Only Organizations with these labels (and everything below them); several operators can then split a cluster. */
  organizationSelector?: string;
  workers?: number;
  /** Attempts before a failing object is left alone until it changes again. */
  maxAttempts?: number;
  /** How long a ledger entry without a child is kept before it is released. */
  orphanGraceMs?: number;
  /** The shortest time one watch stays open (each picks up to twice this); default five minutes. */
  watchTimeoutMs?: number;
  events: EventRecorder;
  log: Logger;
  metrics?: OperatorMetrics;
}

const key = {
  organization: (organization: string) => encodeWorkKey({ kind: 'Organization', organization }),
  tenant: (organization: string, tenant: string) => encodeWorkKey({ kind: 'Tenant', organization, tenant }),
  space: (organization: string, tenant: string, space: string) => encodeWorkKey({ kind: 'Space', organization, tenant, space }),
};

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The operator's control loop: informers keep caches of the Spacekit objects
 * and of everything made for them; every change queues the key of the level
 * it concerns (an owned object queues its owner, read from its labels); the
 * workers run the same reconcilers as the embedded SDK, reading from the
 * caches. Level-based: a key says what to look at, never what happened.
 */
export class Controller {
  readonly watched: Watched;
  readonly queue: WorkQueue;
  readonly ctx: EngineContext;
  readonly #options: ControllerOptions;
  readonly #log: Logger;

  constructor(options: ControllerOptions) {
    this.#options = options;
    this.#log = options.log;
    const { client, metrics } = options;
    this.watched = createInformers(client, {
      ...(options.organizationSelector && { organizationSelector: options.organizationSelector }),
      ...(options.watchTimeoutMs !== undefined && { watchTimeoutSeconds: Math.max(1, Math.round(options.watchTimeoutMs / 1000)) }),
      onError: (err, what) => {
        metrics?.watchErrors.inc({ resource: what.split(' ')[1] ?? 'unknown' });
        this.#log.warn(what, { error: err });
      },
    });
    const live = apiReader(client, engineContext(client, options.settings));
    this.ctx = engineContext(client, options.settings, {
      reader: cacheReader(this.watched, live),
      events: options.events,
      orphanGraceMs: options.orphanGraceMs ?? 60_000,
      // Half the grace period, so that another replica taking over waits no longer than the grace period for it.
      reservationLeaseMs: Math.min(10_000, (options.orphanGraceMs ?? 60_000) / 2),
      reconcilesAll: true,
    });
    this.queue = new WorkQueue({
      workers: options.workers ?? 4,
      maxAttempts: options.maxAttempts ?? 10,
      backoff: { initialMs: 250, maxMs: 60_000 },
      process: (k) => this.#process(k),
      onAttempt: (end) => this.#attempted(end),
    });
    metrics?.watchQueue(() => this.queue.depth);
    this.#watch();
  }

  /**
   * Starts the informers, waits until every cache holds its first list, then
   * starts the workers: a reconcile must never judge from a cache still
   * filling up (it would see Spaces missing and call them orphans).
   */
  async start(signal: AbortSignal): Promise<void> {
    const informers = allInformers(this.watched);
    this.#options.client.onWritten = (object) => this.#assume(object);
    for (const informer of informers) void informer.run(signal);
    await Promise.race([
      Promise.all(informers.map((i) => i.synced)),
      new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true })),
    ]);
    if (signal.aborted) return;
    this.#log.info('caches synced', {
      organizations: this.watched.organizations.size,
      tenants: this.watched.tenants.size,
      spaces: this.watched.spaces.size,
      namespaces: this.watched.namespaces.size,
    });
    this.queue.start();
  }

  /** Stops taking work and waits for reconciles in flight. Informers stop with the signal given to start(). */
  async stop(): Promise<void> {
    await this.queue.stop();
    this.#options.client.onWritten = undefined;
  }

  /** Whether this operator looks after an organization (all of them, unless sharded by a selector). */
  #selected(organization: string): boolean {
    return !this.#options.organizationSelector || this.watched.organizations.get(undefined, organization) !== undefined;
  }

  #add(k: string, organization: string): void {
    if (this.#selected(organization)) this.queue.add(k);
  }

  #subtree(o: string, withSpaces: boolean): void {
    for (const t of this.watched.tenants.list(o)) {
      this.#add(key.tenant(o, t.metadata.name), o);
      if (withSpaces)
        for (const s of this.watched.spaces.list(tenantNamespace(o, t.metadata.name)))
          this.#add(key.space(o, t.metadata.name, s.metadata.name), o);
    }
  }

  #spacesOf(o: string, t: string, only: (space: Space) => boolean = () => true): void {
    let namespace: string;
    try {
      namespace = tenantNamespace(o, t);
    } catch {
      return;
    }
    for (const s of this.watched.spaces.list(namespace)) if (only(s)) this.#add(key.space(o, t, s.metadata.name), o);
  }

  #watch(): void {
    const w = this.watched;
    w.organizations.on((e: InformerEvent<Organization>) => {
      const o = e.object.metadata.name;
      this.queue.add(key.organization(o));
      if (e.type !== 'updated') return this.#subtree(o, true);
      const specChanged = e.old.metadata.generation !== e.object.metadata.generation;
      const ledgerChanged =
        !same(e.old.status?.reservations, e.object.status?.reservations) || !same(e.old.status?.allocations, e.object.status?.allocations);
      const deleting = !e.old.metadata.deletionTimestamp && Boolean(e.object.metadata.deletionTimestamp);
      // Its members and policy shape every level below; its ledger decides which tenants fit.
      if (specChanged) this.#subtree(o, true);
      else if (ledgerChanged || deleting) this.#subtree(o, false);
    });
    w.tenants.on((e: InformerEvent<Tenant>) => {
      const o = e.object.metadata.namespace ?? '';
      const t = e.object.metadata.name;
      if (parseNamespace(o)?.tenant !== undefined) return;
      this.#add(key.tenant(o, t), o);
      const changed = (pick: (x: Tenant) => unknown) => e.type !== 'updated' || !same(pick(e.old), pick(e.object));
      if (changed((x) => x.status?.usage) || changed((x) => x.metadata.deletionTimestamp)) this.#add(key.organization(o), o);
      if (
        changed((x) => x.metadata.generation) ||
        changed((x) => x.status?.usage?.hard) ||
        changed((x) => x.status?.allocations) ||
        changed((x) => x.metadata.deletionTimestamp)
      ) {
        this.#spacesOf(o, t);
      } else if (changed((x) => x.status?.reservations)) {
        // Only the Spaces whose change moved, and those waiting for budget, can be decided differently now:
        // enqueueing every Space of a big tenant on each reservation would cost O(Spaces) per create.
        const moved = new Set([
          ...Object.keys(('old' in e && e.old?.status?.reservations) || {}),
          ...Object.keys(e.object.status?.reservations ?? {}),
        ]);
        this.#spacesOf(o, t, (space) => moved.has(space.metadata.name) || awaitsAllocation(space));
      }
    });
    w.spaces.on((e: InformerEvent<Space>) => {
      const parent = parseNamespace(e.object.metadata.namespace ?? '');
      // A Space outside a tenant's namespace belongs to no tenant; the placement policy keeps them out.
      if (!parent?.tenant || parent.space) return;
      const { organization: o, tenant: t } = parent;
      this.#add(key.space(o, t, e.object.metadata.name), o);
      const changed = (pick: (x: Space) => unknown) => e.type !== 'updated' || !same(pick(e.old), pick(e.object));
      if (changed((x) => x.status?.usage?.used) || changed((x) => x.metadata.deletionTimestamp)) this.#add(key.tenant(o, t), o);
    });
    const owner = (e: InformerEvent<KubeObject>) => {
      const labels = e.object.metadata.labels ?? {};
      const o = labels[LABELS.organization];
      if (!o) return;
      const level = labels[LABELS.level];
      const t = labels[LABELS.tenant];
      const s = labels[LABELS.space];
      if (level === 'space' && t && s) this.#add(key.space(o, t, s), o);
      else if (level === 'tenant' && t) this.#add(key.tenant(o, t), o);
      else if (level === 'organization') this.#add(key.organization(o), o);
    };
    w.namespaces.on(owner);
    for (const informer of w.owned.values()) informer.on(owner);
  }

  /** Puts what this process just wrote into the matching cache. */
  #assume(object: { kind: string; metadata: { name: string } }): void {
    const w = this.watched;
    const informer =
      object.kind === 'Organization'
        ? w.organizations
        : object.kind === 'Tenant'
          ? w.tenants
          : object.kind === 'Space'
            ? w.spaces
            : object.kind === 'Namespace'
              ? w.namespaces
              : w.owned.get(object.kind);
    // Only objects the cache holds: install's objects and events are not Spacekit levels' objects.
    const labels = (object.metadata as { labels?: Record<string, string> }).labels ?? {};
    if (!informer || (!['Organization', 'Tenant', 'Space'].includes(object.kind) && !labels[LABELS.level])) return;
    (informer as { assume(o: unknown): void }).assume(object);
  }

  async #process(k: string): Promise<{ requeueAfterMs?: number } | undefined> {
    const work = decodeWorkKey(k);
    if (!work) {
      // Only this file queues keys, so this is a bug; reconciling a guess could touch the wrong object.
      this.#log.error('dropped a malformed work key', { key: k });
      return;
    }
    if (!this.#selected(work.organization)) return;
    const started = performance.now();
    const result = await this.#reconcile(work);
    this.#options.metrics?.reconciles.inc({ kind: work.kind, outcome: result.outcome });
    this.#options.metrics?.reconcileDuration.observe({ kind: work.kind }, (performance.now() - started) / 1000);
    if (result.apply.writes > 0 || result.statusWritten) {
      this.#log.debug('reconciled', { key: k, outcome: result.outcome, writes: result.apply.writes, status: result.statusWritten });
    }
    return result.requeueAfterMs === undefined ? undefined : { requeueAfterMs: result.requeueAfterMs };
  }

  #reconcile(work: WorkKey): Promise<ReconcileResult<unknown>> {
    switch (work.kind) {
      case 'Organization':
        return reconcileOrganization(this.ctx, work.organization);
      case 'Tenant':
        return reconcileTenant(this.ctx, { organization: work.organization, name: work.tenant });
      case 'Space':
        return reconcileSpace(this.ctx, { organization: work.organization, tenant: work.tenant, name: work.space });
    }
  }

  #attempted(end: AttemptEnd): void {
    if (end.result === 'done') return;
    const work = decodeWorkKey(end.key);
    this.#options.metrics?.reconcileErrors.inc({ kind: work?.kind ?? 'unknown' });
    if (end.result === 'retry') {
      this.#log.warn('reconcile failed; retrying', { key: end.key, attempt: end.attempt, retryInMs: end.retryInMs, error: end.error });
      return;
    }
    this.#log.error('reconcile failed too often; leaving it until it changes again', {
      key: end.key,
      attempts: end.attempt,
      error: end.error,
    });
    const object = work && this.#objectOf(work);
    if (object) {
      const error = end.error instanceof Error ? end.error.message : String(end.error);
      this.ctx.events.record(object, {
        type: 'Warning',
        reason: 'ReconcileFailed',
        action: 'Reconcile',
        note: `gave up after ${end.attempt} attempts: ${error}; Spacekit tries again when the object changes`,
      });
    }
  }

  #objectOf(work: WorkKey): Organization | Tenant | Space | undefined {
    switch (work.kind) {
      case 'Organization':
        return this.watched.organizations.get(undefined, work.organization);
      case 'Tenant':
        return this.watched.tenants.get(work.organization, work.tenant);
      case 'Space':
        try {
          return this.watched.spaces.get(tenantNamespace(work.organization, work.tenant), work.space);
        } catch {
          return undefined;
        }
    }
  }
}
