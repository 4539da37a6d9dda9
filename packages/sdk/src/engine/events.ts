import type { Organization, Space, Tenant } from '../model/index.ts';

/** One thing that happened to a Spacekit object, for `kubectl describe` and the extension. */
export interface SpacekitEvent {
  type: 'Normal' | 'Warning';
  /** CamelCase, machine-readable: Provisioned, QuotaExceeded, DriftRepaired, Expired… */
  reason: string;
  /** What Spacekit did or failed to do: Provision, Allocate, Repair, Delete. */
  action: string;
  /** For people; says what to do next when something is wrong. */
  note: string;
}

/**
 * Where reconcile reports what happened. Recording is best effort and never
 * fails a reconcile: an event that cannot be written must not block the
 * state it describes.
 */
export interface EventRecorder {
  record(object: Organization | Tenant | Space, event: SpacekitEvent): void;
}

/** A recorder that drops everything, for hosts that do not report events. */
export const NO_EVENTS: EventRecorder = { record: () => undefined };
