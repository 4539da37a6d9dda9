import { normalizeResourceName } from '../quantity/resource-name.ts';
import { UsageError } from './errors.ts';

/** The quantity flags every create, update and render command takes. */
export interface ResourceFlags {
  cpu?: string | undefined;
  memory?: string | undefined;
  /** `NAME=QUANTITY` entries from repeated `--resource`. */
  resource?: readonly string[] | undefined;
}

/**
 * Turns `--cpu 2 --memory 4Gi --resource pods=20` into `{ cpu: '2', memory: '4Gi', pods: '20' }`.
 * Quantities are passed through for the SDK to check, so that its messages
 * (which name the field and show valid examples) reach the user.
 *
 * @throws {UsageError} for a malformed `--resource`, or one resource given twice
 *   under any spelling (`--cpu` and `--resource requests.cpu=…`).
 */
export function resourcesFromFlags(flags: ResourceFlags): Record<string, string> {
  const resources: Record<string, string> = {};
  const givenBy = new Map<string, string>();
  const add = (name: string, value: string, flag: string) => {
    if (value.trim() === '') throw new UsageError(`${flag} needs a quantity, such as 2, 500m or 4Gi`);
    const key = normalizeResourceName(name);
    const earlier = givenBy.get(key);
    if (earlier !== undefined) throw new UsageError(`${key} is given twice (${earlier} and ${flag}); give it once`);
    givenBy.set(key, flag);
    resources[name] = value;
  };
  if (flags.cpu !== undefined) add('cpu', flags.cpu, '--cpu');
  if (flags.memory !== undefined) add('memory', flags.memory, '--memory');
  for (const entry of flags.resource ?? []) {
    const equals = entry.indexOf('=');
    if (equals <= 0) {
      throw new UsageError(`--resource takes NAME=QUANTITY, such as pods=20 or requests.nvidia.com/gpu=1, not "${entry}"`);
    }
    add(entry.slice(0, equals), entry.slice(equals + 1), `--resource ${entry}`);
  }
  return resources;
}

/**
 * A resize: `changes` replace the same resources in `current` whatever their
 * spelling (`cpu` replaces `requests.cpu`), and the rest are kept, so that
 * `update --cpu 4` does not drop the memory budget.
 */
export function mergeResources(
  current: Readonly<Record<string, string | number>>,
  changes: Readonly<Record<string, string>>,
): Record<string, string | number> {
  const replaced = new Set(Object.keys(changes).map(normalizeResourceName));
  const kept = Object.entries(current).filter(([name]) => !replaced.has(normalizeResourceName(name)));
  return { ...Object.fromEntries(kept), ...changes };
}
