import { effectiveBudget } from '../engine/index.ts';
import { LABELS, type Organization, type Tenant } from '../model/index.ts';
import { formatForResource, parseResourceList, type Quantity } from '../quantity/index.ts';
import type { KubeObject } from '../render/index.ts';
import type { CheckResult } from './report.ts';

const ID = 'budgets.children-within-parent';

/** One child's holding as the cluster enforces it: a Tenant's grant, a Space's quota `hard`. */
interface Holding {
  name: string;
  amounts: Map<string, Quantity>;
}

function within(
  subject: string,
  childKind: string,
  budget: Readonly<Record<string, string | number>> | undefined,
  children: readonly Holding[],
): CheckResult {
  if (!budget) {
    return {
      id: ID,
      category: 'budgets',
      subject,
      status: 'not-run',
      expected: `${subject} has no budget to give yet (never provisioned)`,
    };
  }
  const limits = parseResourceList(budget);
  const over: string[] = [];
  for (const [resource, limit] of limits) {
    const held = children.reduce((sum, c) => sum + (c.amounts.get(resource) ?? 0n), 0n);
    if (held <= limit) continue;
    const holders = children
      .filter((c) => (c.amounts.get(resource) ?? 0n) > 0n)
      .map((c) => `${childKind} ${c.name} ${formatForResource(resource, c.amounts.get(resource) ?? 0n)}`);
    over.push(
      `${resource}: ${formatForResource(resource, held)} held against ${formatForResource(resource, limit)} (${holders.join(', ')})`,
    );
  }
  if (over.length === 0) return { id: ID, category: 'budgets', subject, status: 'passed' };
  return {
    id: ID,
    category: 'budgets',
    subject,
    status: 'failed',
    expected: `its ${childKind}s together hold no more than its budget`,
    seen: over.join('; '),
    fix: `shrink or delete ${childKind}s, or put back a quota changed by hand (the operator repairs it when it runs: spacekit operator)`,
  };
}

/**
 * Every parent's children, as the cluster enforces them, within its budget:
 * an organization's tenants' grants (`status.usage.hard`) within its spec,
 * a tenant's Spaces' quotas (`spacekit-quota` `hard`, what admission
 * enforces, so a quota raised by hand counts) within its budget.
 */
export function checkBudgets(
  organizations: readonly Organization[],
  tenants: readonly Tenant[],
  spaceQuotas: readonly KubeObject[],
): CheckResult[] {
  const out: CheckResult[] = [];
  for (const org of organizations) {
    const name = org.metadata.name;
    const children = tenants
      .filter((t) => t.metadata.namespace === name)
      .map((t) => ({ name: t.metadata.name, amounts: parseResourceList(t.status?.usage?.hard ?? {}) }));
    out.push(within(`organization ${name}`, 'tenant', org.spec.resources, children));
  }
  for (const tenant of tenants) {
    const o = tenant.metadata.namespace ?? '';
    const t = tenant.metadata.name;
    const children = spaceQuotas
      .filter((q) => q.metadata.labels?.[LABELS.organization] === o && q.metadata.labels?.[LABELS.tenant] === t)
      .map((q) => ({
        name: q.metadata.labels?.[LABELS.space] ?? q.metadata.namespace ?? '',
        amounts: parseResourceList(((q as { spec?: { hard?: Record<string, string> } }).spec?.hard ?? {}) as Record<string, string>),
      }));
    out.push(within(`tenant ${o}/${t}`, 'space', effectiveBudget(tenant), children));
  }
  return out;
}
