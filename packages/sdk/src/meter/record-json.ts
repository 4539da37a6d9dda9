import type { BucketRecord, CoverageRecord, MeterRecord } from './records.ts';

/**
 * Writes a record as one JSON line (without the newline): ISO times and integrals as decimal
 * strings, because JSON numbers cannot hold them exactly.
 */
export function recordToJson(record: MeterRecord): string {
  if (record.type === 'coverage') {
    return JSON.stringify({ type: 'coverage', from: iso(record.from), to: iso(record.to) });
  }
  return JSON.stringify({
    type: 'bucket',
    start: iso(record.start),
    end: iso(record.end),
    organization: record.organization,
    tenant: record.tenant,
    space: record.space,
    integrals: Object.fromEntries([...record.integrals].map(([resource, value]) => [resource, value.toString()])),
  });
}

/** Reads a line written by {@link recordToJson}; `undefined` when it is not one (torn, edited, or from a future version). */
export function recordFromJson(line: string): MeterRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const object = value as Record<string, unknown>;
  if (object['type'] === 'coverage') {
    const from = instant(object['from']);
    const to = instant(object['to']);
    if (from === undefined || to === undefined || to < from) return undefined;
    const record: CoverageRecord = { type: 'coverage', from, to };
    return record;
  }
  if (object['type'] === 'bucket') {
    const start = instant(object['start']);
    const end = instant(object['end']);
    const { organization, tenant, space } = object;
    const integrals = integralsFrom(object['integrals']);
    if (start === undefined || end === undefined || end < start || integrals === undefined) return undefined;
    if (typeof organization !== 'string' || typeof tenant !== 'string' || typeof space !== 'string') return undefined;
    const record: BucketRecord = { type: 'bucket', start, end, organization, tenant, space, integrals };
    return record;
  }
  return undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function instant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function integralsFrom(value: unknown): Map<string, bigint> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const integrals = new Map<string, bigint>();
  for (const [resource, text] of Object.entries(value)) {
    if (typeof text !== 'string' || !/^\d+$/.test(text)) return undefined;
    integrals.set(resource, BigInt(text));
  }
  return integrals;
}
