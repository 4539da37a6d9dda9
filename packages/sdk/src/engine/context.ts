import type { KubeClient } from '../kube/index.ts';
import type { ClusterSettings, Organization, Tenant } from '../model/index.ts';
import { BoundedMap } from '../util/bounded-map.ts';
import { KeyedLock } from '../util/keyed-lock.ts';
import { type EventRecorder, NO_EVENTS } from './events.ts';
import { apiReader, type ClusterReader } from '../cluster/index.ts';
import { CrStore } from '../cluster/index.ts';
import type { Held } from './allocation.ts';
import type { Settlement } from '../budget/reservations.ts';

/** What the engine needs, whichever host runs it (the SDK in-process, or the operator). */
export interface EngineContext {
  client: KubeClient;
  settings: ClusterSettings;
  organizations: CrStore<'Organization'>;
  tenants: CrStore<'Tenant'>;
  spaces: CrStore<'Space'>;
  /** Live state: the API server (embedded) or the informers' caches (operator). */
  reader: ClusterReader;
  events: EventRecorder;
  /** Milliseconds since the epoch; a parameter so that expiry can be reasoned about in tests. */
  now: () => number;
  /** Serialises budget decisions per parent within this process. */
  budgetLock: KeyedLock;
  /**
   * How long a ledger entry whose child does not exist is kept before it is
   * released. A crash between reserving and creating leaves such an entry;
   * so does, for a moment, every create in flight. Infinity for the embedded
   * SDK, which cannot tell the two apart; the operator uses a grace period.
   */
  orphanGraceMs: number;
  /** When each reservation of another process (`parent|id`) was first seen, to time its lease by this clock. */
  orphansSeen: Map<string, number>;
  /**
   * The newest copy of each parent whose budget this process wrote, to try first on the next
   * reservation; keyed by `parentKey`. At most {@link LAST_PARENTS_LIMIT}, the least recently used
   * forgotten first, and a parent is forgotten when it is deleted.
   */
  lastParents: Map<string, Organization | Tenant>;
  /**
   * How long this process may take to record a reservation in its child; after that it gives it back
   * instead, and the operator may give back one it finds after twice as long (ADR 0015).
   */
  reservationLeaseMs: number;
  /**
   * True for a host that reconciles every object it sees (the operator): it may reserve for a child's
   * pending siblings in the same write, since it will record each in its own reconcile.
   */
  reconcilesAll: boolean;
  /** This process's reservations not yet settled, by id. */
  owned: Map<string, Held>;
  /** Settlements waiting for the next write of their parent, by parent key and child. */
  pendingSettles: Map<string, Map<string, Settlement>>;
  /** The latest settlement of each child (`parent|child`), for a call to wait for its own. */
  settling: Map<string, Promise<void>>;
}

/**
 * How many parents {@link EngineContext.lastParents} keeps. A forgotten copy costs only a read on its
 * next reservation, so a process that provisions across thousands of tenants keeps the few it is busy
 * with, not all of them.
 */
export const LAST_PARENTS_LIMIT = 32;

/** Optional parts of a context; the rest is built from the client. */
export interface EngineOptions {
  reader?: ClusterReader;
  events?: EventRecorder;
  now?: () => number;
  orphanGraceMs?: number;
  reservationLeaseMs?: number;
  reconcilesAll?: boolean;
}

export function engineContext(client: KubeClient, settings: ClusterSettings, options: EngineOptions = {}): EngineContext {
  const stores = {
    organizations: new CrStore(client, 'Organization'),
    tenants: new CrStore(client, 'Tenant'),
    spaces: new CrStore(client, 'Space'),
  };
  return {
    client,
    settings,
    ...stores,
    reader: options.reader ?? apiReader(client, stores),
    events: options.events ?? NO_EVENTS,
    now: options.now ?? Date.now,
    budgetLock: new KeyedLock(),
    orphanGraceMs: options.orphanGraceMs ?? Number.POSITIVE_INFINITY,
    orphansSeen: new Map(),
    lastParents: new BoundedMap(LAST_PARENTS_LIMIT),
    reservationLeaseMs: options.reservationLeaseMs ?? 10_000,
    reconcilesAll: options.reconcilesAll ?? false,
    owned: new Map(),
    pendingSettles: new Map(),
    settling: new Map(),
  };
}
