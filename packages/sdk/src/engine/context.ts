import type { KubeClient } from '../kube/index.ts';
import type { ClusterSettings, Organization, Tenant } from '../model/index.ts';
import { KeyedLock } from '../util/keyed-lock.ts';
import { type EventRecorder, NO_EVENTS } from './events.ts';
import { apiReader, type ClusterReader } from '../cluster/index.ts';
import { CrStore } from '../cluster/index.ts';

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
  /** When each orphaned ledger entry (`parent|child`) was first seen. */
  orphansSeen: Map<string, number>;
  /** The newest copy of each parent whose ledger this process wrote, to try first on the next reservation. */
  lastParents: Map<string, Organization | Tenant>;
}

/** Optional parts of a context; the rest is built from the client. */
export interface EngineOptions {
  reader?: ClusterReader;
  events?: EventRecorder;
  now?: () => number;
  orphanGraceMs?: number;
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
    lastParents: new Map(),
  };
}
