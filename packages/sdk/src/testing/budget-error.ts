import type { TenantRef } from '../api/inputs.ts';
import { QuotaExceededError } from '../errors.ts';

/** What the process knew when the tenant's budget refused another ephemeral Space. */
export interface BudgetContext {
  tenant: TenantRef;
  /** Ephemeral Spaces this process holds open right now. */
  openInProcess: number;
  /** How long it waited for room before giving up (0: it did not wait). */
  waitedMs: number;
}

/**
 * The same refusal, said the way a person running a test suite needs it: the
 * tenant's budget is the limit, how many Spaces this process holds, and the
 * three ways out. It stays a {@link QuotaExceededError} with the original
 * fields, so code that branches on the class keeps working; the original is
 * its `cause`.
 */
export function budgetLimitError(original: QuotaExceededError, context: BudgetContext): QuotaExceededError {
  const tenant = `${context.tenant.organization}/${context.tenant.name}`;
  const open = `${context.openInProcess} ephemeral Space${context.openInProcess === 1 ? ' is' : 's are'} open in this process`;
  const waited = context.waitedMs > 0 ? ` after waiting ${Math.round(context.waitedMs / 1000)}s for room` : '';
  // "must ask for" refusals have nothing to request yet: the fix is a missing resource, not a smaller one.
  const message =
    original.requested === 'nothing'
      ? `cannot create an ephemeral Space in tenant ${tenant}: the tenant budgets ${original.resource}, so every Space must ask for a share of it. Pass it in resources, such as { ${original.resource}: '1' }. (${original.message})`
      : `cannot create an ephemeral Space in tenant ${tenant}${waited}: the tenant's budget is the limit. ${original.message} ${open}. ` +
        `To fit, give each Space less (the resources option), run fewer workers at once (each worker holds its own Space), ` +
        `raise the tenant's budget to (workers × resources per Space) (spacekit update tenant ${tenant} --cpu … --memory …), ` +
        `or set waitForBudgetMs so that a worker waits for another to finish.`;
  return new QuotaExceededError(
    {
      resource: original.resource,
      parent: original.parent,
      requested: original.requested,
      budget: original.budget,
      free: original.free,
      holders: original.holders,
      message,
    },
    { cause: original },
  );
}
