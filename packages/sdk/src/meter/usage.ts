import { ValidationError, type ValidationIssue } from '../errors.ts';
import { normalizeResourceName, parseQuantity, QuantityError, resourceNameProblem } from '../quantity/index.ts';
import type { MeteredSpace, UsageRecord } from './records.ts';

/** One Space's usage at one instant: canonical quota key → milli-units. */
export interface SpaceUsage {
  readonly ref: MeteredSpace;
  readonly quantities: ReadonlyMap<string, bigint>;
}

/** Every Space's usage at one instant, keyed by {@link spaceKey}. */
export type SampleUsage = ReadonlyMap<string, SpaceUsage>;

/** A key that identifies a Space unambiguously, whatever characters its names contain. */
export function spaceKey(ref: MeteredSpace): string {
  return JSON.stringify([ref.organization, ref.tenant, ref.space]);
}

/**
 * Checks and parses what a meter's source returned into exact milli-units per Space.
 *
 * Resource names are normalized (`cpu` → `requests.cpu`). ResourceQuota reports a pod's request under
 * both spellings when both are capped, so when a record has both, the canonical one is kept rather
 * than adding them, which would count the same usage twice.
 *
 * @throws {ValidationError} listing every problem (a missing name, a Space given twice, a resource
 *   name that is not a quota resource, a value that is not a quantity or is negative). The meter
 *   skips the whole sample then, so that the time shows as a gap instead of as partial usage.
 */
export function parseUsage(records: readonly UsageRecord[]): SampleUsage {
  const issues: ValidationIssue[] = [];
  const usage = new Map<string, SpaceUsage>();
  records.forEach((record, index) => {
    const path = `[${index}]`;
    for (const field of ['organization', 'tenant', 'space'] as const) {
      if (typeof record[field] !== 'string' || record[field] === '') {
        issues.push({ path: `${path}.${field}`, message: `name the ${field} this usage belongs to` });
      }
    }
    const key = spaceKey(record);
    if (usage.has(key)) {
      issues.push({
        path,
        message: `space ${record.organization}/${record.tenant}/${record.space} is given twice; report each Space once per sample`,
      });
      return;
    }
    const ref = { organization: record.organization, tenant: record.tenant, space: record.space };
    usage.set(key, { ref, quantities: parseUsed(record.used, `${path}.used`, issues) });
  });
  if (issues.length > 0) {
    throw new ValidationError('usage sample', issues);
  }
  return usage;
}

function parseUsed(used: Readonly<Record<string, string>>, path: string, issues: ValidationIssue[]): Map<string, bigint> {
  const quantities = new Map<string, bigint>();
  const entries = Object.entries(used ?? {});
  // Canonical spellings go first so that they win over their shorthand.
  entries.sort(([a], [b]) => Number(normalizeResourceName(a) !== a) - Number(normalizeResourceName(b) !== b));
  for (const [name, value] of entries) {
    const nameProblem = resourceNameProblem(name);
    if (nameProblem !== undefined) {
      issues.push({ path: `${path}.${name}`, message: nameProblem });
      continue;
    }
    const key = normalizeResourceName(name);
    if (quantities.has(key)) continue;
    try {
      const quantity = parseQuantity(value);
      if (quantity < 0n) {
        issues.push({ path: `${path}.${name}`, message: `${JSON.stringify(value)} is negative; usage is zero or more` });
      } else {
        quantities.set(key, quantity);
      }
    } catch (error) {
      if (!(error instanceof QuantityError)) throw error;
      issues.push({ path: `${path}.${name}`, message: error.message });
    }
  }
  return quantities;
}
