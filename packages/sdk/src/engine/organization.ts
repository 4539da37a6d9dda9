import type { ApplyOptions } from '../apply/index.ts';
import { type Organization, organizationNamespace } from '../model/index.ts';
import { renderOrganization, selectedNamespaceProblem } from '../render/index.ts';
import { namespaceBlocker } from './checks.ts';
import type { EngineContext } from './context.ts';
import { decideNamespace } from './decision.ts';
import { finalizeOrganization } from './finalize.ts';
import { ensureMetadata } from './metadata.ts';
import type { ReconcileResult } from './outcome.ts';
import { decideOrganization, organizationReady } from './organization-decision.ts';
import { upkeep } from './settlement.ts';
import { organizationLedger } from './ledgers.ts';
import { settle } from './status.ts';
import { absent, applyOrFail, withRequeue } from './steps.ts';

/** What the caller already holds, to save reads. */
export interface KnownOrganization {
  organization?: Organization;
  apply?: ApplyOptions;
}

/**
 * Makes one Organization match its spec: its namespace (which holds its
 * Tenant objects), its members' bindings and reader role, and its status with
 * budget, allocations and its Tenants' usage. Same rules as the other levels:
 * refusals go to status, retryable failures throw; the decisions are
 * organization-decision.ts's.
 */
export async function reconcileOrganization(
  ctx: EngineContext,
  name: string,
  known: KnownOrganization = {},
): Promise<ReconcileResult<Organization>> {
  const org = known.organization ?? (await ctx.reader.organization(name));
  // Everything an Organization makes is owned by it, so the garbage collector cleans up after one deleted without Spacekit.
  if (!org) return absent('absent');
  if (org.metadata.deletionTimestamp) return finalizeOrganization(ctx, org, { waitForNamespace: true });
  const named = decideNamespace(
    () => organizationNamespace(name),
    (ns) => selectedNamespaceProblem('organization', name, ns, ctx.settings),
  );
  if (named.kind === 'settle') return settle(ctx, org, named.status, named.outcome);

  const current = await ensureMetadata(ctx, org, {});
  const admitted = decideOrganization({ name, organization: current });
  if (admitted.kind === 'settle') return settle(ctx, current, admitted.status, admitted.outcome);
  const blocked = await namespaceBlocker(ctx, named.namespace, 'Organization', known.apply?.fresh ?? false);
  if (blocked) return settle(ctx, current, blocked.decision, blocked.outcome);

  const applied = await applyOrFail(ctx, current, { level: 'organization', organization: name }, renderOrganization(current), known.apply);
  const tenants = await ctx.reader.tenants(name);
  const result = await settle(ctx, current, organizationReady(named.namespace, admitted.spec, tenants), 'ready', applied);
  const dueMs = result.object ? await upkeep(ctx, organizationLedger(ctx, name), result.object, tenants) : undefined;
  return withRequeue(result, dueMs);
}
