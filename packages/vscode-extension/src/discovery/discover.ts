import { ForbiddenError, NotFoundError, type Spacekit } from '@spacekit/sdk';
import { contains, type Scope, scopeLabel } from '../model/scope.ts';
import type { Reach } from '../model/viewTree.ts';
import { widening } from './hints.ts';

/** What the Spaces view can show. */
export type Discovery =
  | { kind: 'ready'; reaches: Reach[]; problems: string[] }
  | { kind: 'noScopes'; detail: string }
  | { kind: 'noOrganizations' };

/**
 * Finds what the user may see. A user who may list Organizations (a cluster
 * admin) gets all of them. Anyone else (the common case: a tenant admin who
 * may read only their own Tenant and its Spaces) gets the hinted scopes, each
 * at the widest level they may read, and the levels above shown as names.
 */
export async function discover(kit: Spacekit, hints: { scopes: readonly Scope[]; problems: readonly string[] }): Promise<Discovery> {
  let organizations: string[] | undefined;
  try {
    organizations = (await kit.organizations.list()).map((o) => o.metadata.name);
  } catch (err) {
    if (!(err instanceof ForbiddenError)) throw err;
  }
  if (organizations) {
    if (organizations.length === 0) return { kind: 'noOrganizations' };
    const reaches = await Promise.all(organizations.map((organization) => reachOf(kit, { organization })));
    return { kind: 'ready', reaches, problems: [...hints.problems] };
  }
  if (hints.scopes.length === 0) {
    return {
      kind: 'noScopes',
      detail: hints.problems.length > 0 ? hints.problems.join('\n') : 'listing Organizations is forbidden and no scope is configured',
    };
  }
  const reaches: Reach[] = [];
  for (const hint of hints.scopes) {
    if (reaches.some((r) => r.kind === 'readable' && contains(r.scope, hint))) continue;
    reaches.push(await widestReadable(kit, hint));
  }
  return { kind: 'ready', reaches, problems: [...hints.problems] };
}

async function reachOf(kit: Spacekit, scope: Scope): Promise<Reach> {
  try {
    return { kind: 'readable', scope, node: (await kit.usage.snapshot(scope)).root };
  } catch (err) {
    if (err instanceof ForbiddenError || err instanceof NotFoundError) return { kind: 'unreadable', scope, reason: err.message };
    throw err;
  }
}

/** The hinted scope at the widest level the user may read, or why it cannot be read at all. */
async function widestReadable(kit: Spacekit, hint: Scope): Promise<Reach> {
  let refusal = `You may not read ${scopeLabel(hint)}.`;
  for (const scope of widening(hint)) {
    try {
      return { kind: 'readable', scope, node: (await kit.usage.snapshot(scope)).root };
    } catch (err) {
      if (err instanceof NotFoundError)
        return {
          kind: 'unreadable',
          scope: hint,
          reason: `${scopeLabel(scope)} does not exist (from your settings or kubeconfig context).`,
        };
      if (!(err instanceof ForbiddenError)) throw err;
      refusal = err.message;
    }
  }
  return { kind: 'unreadable', scope: hint, reason: refusal };
}
