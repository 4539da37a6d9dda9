import { type Organization, parseNamespace, type Space, type Tenant, type Usage } from '../model/index.ts';
import { parseResourceList } from '../quantity/index.ts';

/** What the quota gauges read at each scrape: the Spacekit objects as the operator's caches hold them. */
export interface QuotaSource {
  organizations(): readonly Organization[];
  tenants(): readonly Tenant[];
  spaces(): readonly Space[];
}

/**
 * A quantity as a Prometheus sample: cores for CPU, bytes for memory and
 * storage, a count for the rest. Kubernetes' milli-units divided by 1000.
 */
function sampleValue(milli: bigint): number {
  return Number(milli) / 1000;
}

const FIELDS = ['hard', 'used', 'allocated'] as const;

const HELP: Record<(typeof FIELDS)[number], string> = {
  hard: 'Budget of an organization or tenant (for a tenant, what its organization granted), or quota of a space',
  used: 'Requested by workloads: a space quota usage, summed for tenants and organizations',
  allocated: 'Part of an organization or tenant budget that its children hold',
};

/** A label value as the text format wants it: backslash, double quote and newline escaped. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * `spacekit_quota_{hard,used,allocated}` in the Prometheus text format, one
 * series per level and resource, read from status, in chunks of
 * `linesPerChunk` lines. Written directly rather than through prom-client
 * gauges, and streamed: at thousands of Spaces these are tens of thousands of
 * series, and a registry's label maps for them, or the whole text at once,
 * cost the operator tens of megabytes at every scrape.
 */
export function* quotaExpositionChunks(source: QuotaSource, linesPerChunk = 512): Generator<string> {
  let lines: string[] = [];
  const flush = function* () {
    if (lines.length === 0) return;
    yield `${lines.join('\n')}\n`;
    lines = [];
  };
  for (const field of FIELDS) {
    const name = `spacekit_quota_${field}`;
    lines.push(`# HELP ${name} ${HELP[field]}`, `# TYPE ${name} gauge`);
    const series = (level: string, organization: string, tenant: string, space: string, usage: Usage | undefined) => {
      const list = usage?.[field];
      if (!list) return;
      let parsed: ReturnType<typeof parseResourceList>;
      try {
        parsed = parseResourceList(list);
      } catch {
        // A status this version cannot read is left out of the scrape rather than failing it.
        return;
      }
      const labels = `level="${level}",organization="${escapeLabel(organization)}",tenant="${escapeLabel(tenant)}",space="${escapeLabel(space)}"`;
      for (const [resource, milli] of parsed) lines.push(`${name}{${labels},resource="${escapeLabel(resource)}"} ${sampleValue(milli)}`);
    };
    for (const o of source.organizations()) series('organization', o.metadata.name, '', '', o.status?.usage);
    for (const t of source.tenants()) series('tenant', t.metadata.namespace ?? '', t.metadata.name, '', t.status?.usage);
    for (const s of source.spaces()) {
      const parent = parseNamespace(s.metadata.namespace ?? '');
      series('space', parent?.organization ?? '', parent?.tenant ?? '', s.metadata.name, s.status?.usage);
      if (lines.length >= linesPerChunk) yield* flush();
    }
  }
  yield* flush();
}
