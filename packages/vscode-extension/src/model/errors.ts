import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  NotInstalledError,
  QuotaExceededError,
  SpacekitError,
  TimeoutError,
  ValidationError,
} from '@spacekit/sdk';
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
const POLICY_REFUSAL = /denied request|violates PodSecurity|exceeded quota|admission/i;
const REFRESH: ErrorAction = { title: 'Refresh', command: 'spacekit.refresh' };

/** What the failed step was, for a message that says who may do it and what to try. */
export interface Attempt {
  /** `resize Space acme/payments/dev`: what "Could not …" goes on with. */
  doing: string;
  /** Who may do it, such as "the Tenant's admins"; said when the server refuses. */
  whoCan?: string;
  /** A command that tries again, offered after a conflict. */
  retry?: ErrorAction;
}

/** `tenant/acme/payments` (a QuotaExceededError's parent) → the tenant's scope, to open its dashboard. */
export function parentScope(parent: string): Scope | undefined {
  const [kind, organization, tenant] = parent.split('/');
  if (!organization) return undefined;
  if (kind === 'organization') return { organization };
  if (kind === 'tenant' && tenant) return { organization, tenant };
  return undefined;
}

/**
 * Turns what the SDK threw into the message to show: what failed, why in
 * words a person can act on, and the buttons that help. The server's own
 * text stays in the log (the caller logs the error whole); only the SDK's
 * own actionable messages (budgets, validation, timeouts) are shown as they are.
 */
export function describeError(attempt: string | Attempt, err: unknown): ErrorReport {
  const { doing, whoCan, retry } = typeof attempt === 'string' ? { doing: attempt } : attempt;
  const prefix = `Could not ${doing}: `;
  if (err instanceof ValidationError) {
    return { message: prefix + err.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), actions: [] };
  }
  if (err instanceof QuotaExceededError) {
    const scope = parentScope(err.parent);
    return {
      message: prefix + err.message,
      actions: scope ? [{ title: 'Open Budget Dashboard', command: 'spacekit.openDashboard', args: [scope] }] : [],
    };
  }
  // A 403 from an admission policy, Pod Security or a quota is about the request, not the user's rights: its text says what to change.
  if (err instanceof ForbiddenError && POLICY_REFUSAL.test(err.message)) return { message: prefix + err.message, actions: [SHOW_LOGS] };
  if (err instanceof ForbiddenError) {
    const who = whoCan
      ? `${capitalize(whoCan)} can; ask one of them, or use a context that has the right.`
      : 'Ask an admin of this level, or use a context that has the right.';
    return {
      message: `${prefix}you may not do this (the API server refused it). ${who} Refresh to see what you may do now.`,
      actions: [REFRESH, SWITCH_CONTEXT, SHOW_LOGS],
    };
  }
  if (err instanceof NotFoundError) {
    return {
      message: `${prefix}it no longer exists, or you may no longer read it. Refresh to see what is there now.`,
      actions: [REFRESH, SHOW_LOGS],
    };
  }
  if (err instanceof ConflictError) {
    return {
      message: `${prefix}it was changed by someone else meanwhile. Try again with what is there now.`,
      actions: [...(retry ? [retry] : []), REFRESH],
    };
  }
  if (err instanceof NotInstalledError) return { message: prefix + err.message, actions: [SWITCH_CONTEXT, SHOW_LOGS] };
  if (err instanceof TimeoutError) return { message: prefix + err.message, actions: [SHOW_LOGS] };
  if (err instanceof SpacekitError) return { message: prefix + err.message, actions: [SHOW_LOGS] };
  return { message: prefix + (err instanceof Error ? err.message : String(err)), actions: [SHOW_LOGS] };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
