import { randomBytes } from 'node:crypto';
import type { EventRecorder, SpacekitEvent } from '../engine/events.ts';
import type { KubeClient } from '../kube/index.ts';
import type { Organization, Space, Tenant } from '../model/index.ts';
import type { Logger } from './log.ts';

/** The controller name events carry, so `kubectl get events` says who wrote them. */
export const REPORTING_CONTROLLER = 'spacekit.dev/operator';

/** The same event for the same object is recorded once in this window, so a retry loop cannot flood the API. */
const DEDUPE_MS = 10 * 60_000;

/** events.k8s.io wants microseconds. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Records Kubernetes Events (events.k8s.io/v1) on Spacekit objects, shown by
 * `kubectl describe` and readable by each level's members. Fire and forget:
 * a failure is logged, never raised. Events about cluster-scoped
 * Organizations go to the `default` namespace, as Kubernetes does for nodes.
 */
export class KubeEventRecorder implements EventRecorder {
  readonly #client: KubeClient;
  readonly #instance: string;
  readonly #log: Logger;
  readonly #recent = new Map<string, number>();

  constructor(client: KubeClient, instance: string, log: Logger) {
    this.#client = client;
    this.#instance = instance;
    this.#log = log;
  }

  record(object: Organization | Tenant | Space, event: SpacekitEvent): void {
    const now = Date.now();
    const key = `${object.metadata.uid}|${event.reason}|${event.note}`;
    const last = this.#recent.get(key);
    if (last !== undefined && now - last < DEDUPE_MS) return;
    this.#recent.set(key, now);
    if (this.#recent.size > 10_000) for (const [k, at] of this.#recent) if (now - at >= DEDUPE_MS) this.#recent.delete(k);
    const namespace = object.metadata.namespace ?? 'default';
    const body = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: `${object.metadata.name}.${randomBytes(8).toString('hex')}`, namespace },
      eventTime: microTime(new Date(now)),
      reportingController: REPORTING_CONTROLLER,
      reportingInstance: this.#instance,
      action: event.action,
      reason: event.reason,
      note: event.note.slice(0, 1024),
      type: event.type,
      regarding: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata.name,
        ...(object.metadata.namespace && { namespace: object.metadata.namespace }),
        ...(object.metadata.uid && { uid: object.metadata.uid }),
      },
    };
    this.#client.create(body).catch((err: unknown) => {
      this.#log.warn('could not record an event', {
        reason: event.reason,
        object: `${object.kind}/${namespace}/${object.metadata.name}`,
        error: err,
      });
    });
  }
}
