// Pure: the bulk run's request profile, from the requests it recorded.
import type { RequestRecord } from '@spacekit/sdk';

/** What one kind of request cost in a bulk run, per Space provisioned. */
export interface RequestCost {
  /** Verb and resource, such as `PATCH resourcequotas` or `PUT tenants/status`. */
  request: string;
  perSpace: number;
  /** Mean time from sending to the whole answer, which with many in flight includes waiting for the API server. */
  meanMs: number;
  /** `perSpace × meanMs`: the request time one Space accounts for. */
  msPerSpace: number;
}

/** `PUT /apis/spacekit.dev/v1alpha1/namespaces/o/tenants/t/status` → `PUT tenants/status`. */
export function requestKind(method: string, path: string): string {
  let parts = path.split('/').filter(Boolean);
  parts = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  if (parts[0] === 'namespaces' && parts.length > 2) parts = parts.slice(2);
  return `${method} ${parts[0] ?? '?'}${parts[2] ? `/${parts[2]}` : ''}`;
}

/** The resource a request kind names: `PUT tenants/status` → `tenants`. */
export function resourceOf(kind: string): string {
  return kind.split(' ')[1]?.split('/')[0] ?? '';
}

/** Costs by kind of request, most time first. */
export function costsOf(records: readonly RequestRecord[], spaces: number): RequestCost[] {
  const byKind = new Map<string, { n: number; ms: number }>();
  for (const r of records) {
    const kind = requestKind(r.method, r.path);
    const entry = byKind.get(kind) ?? { n: 0, ms: 0 };
    entry.n++;
    entry.ms += r.durationMs;
    byKind.set(kind, entry);
  }
  return [...byKind]
    .map(([request, { n, ms }]) => ({ request, perSpace: n / spaces, meanMs: ms / n, msPerSpace: ms / spaces }))
    .sort((a, b) => b.msPerSpace - a.msPerSpace);
}

/** The request time per Space that `costs` add up to. */
export function msPerSpace(costs: readonly RequestCost[]): number {
  return costs.reduce((a, c) => a + c.msPerSpace, 0);
}

/** The requests per Space that `costs` add up to. */
export function requestsPerSpace(costs: readonly RequestCost[]): number {
  return costs.reduce((a, c) => a + c.perSpace, 0);
}
