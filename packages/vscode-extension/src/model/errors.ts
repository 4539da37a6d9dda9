import { ForbiddenError, NotInstalledError, QuotaExceededError, SpacekitError, TimeoutError, ValidationError } from '@spacekit/sdk';
import type { Scope } from './scope.ts';

/** A button on an error message, and the command it runs. */
export interface ErrorAction {
  title: string;
  command: string;
  args?: unknown[];
}

/** An error as the user sees it: one message that says what to do, and the buttons that do it. */
export interface ErrorReport {
  message: string;
  actions: ErrorAction[];
}

const SHOW_LOGS: ErrorAction = { title: 'Show Logs', command: 'spacekit.showLogs' };
const SWITCH_CONTEXT: ErrorAction = { title: 'Switch Context…', command: 'spacekit.switchContext' };

/** `tenant/acme/payments` (a QuotaExceededError's parent) → the tenant's scope, to open its dashboard. */
export function parentScope(parent: string): Scope | undefined {
  const [kind, organization, tenant] = parent.split('/');
  if (!organization) return undefined;
  if (kind === 'organization') return { organization };
  if (kind === 'tenant' && tenant) return { organization, tenant };
  return undefined;
}

/**
 * Turns what the SDK threw into the message to show. The SDK's messages
 * already say what to do next; this keeps them whole, puts a validation's
 * issues on one line, and adds the button that helps.
 */
export function describeError(doing: string, err: unknown): ErrorReport {
  const prefix = `Could not ${doing}: `;
  if (err instanceof ValidationError) {
    return { message: prefix + err.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), actions: [] };
  }
  if (err instanceof QuotaExceededError) {
    const scope = parentScope(err.parent);
    return { message: prefix + err.message, actions: scope ? [{ title: 'Open Budget Dashboard', command: 'spacekit.openDashboard', args: [scope] }] : [] };
  }
  if (err instanceof ForbiddenError || err instanceof NotInstalledError) return { message: prefix + err.message, actions: [SWITCH_CONTEXT, SHOW_LOGS] };
  if (err instanceof TimeoutError) return { message: prefix + err.message, actions: [SHOW_LOGS] };
  if (err instanceof SpacekitError) return { message: prefix + err.message, actions: [SHOW_LOGS] };
  return { message: prefix + (err instanceof Error ? err.message : String(err)), actions: [SHOW_LOGS] };
}
