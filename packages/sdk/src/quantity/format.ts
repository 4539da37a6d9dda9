/**
 * How a quantity is written back out.
 *
 * - `cpu`: whole cores as integers (`2`), anything else in milli-cores (`1500m`), as `kubectl` shows CPU.
 * - `bytes`: the largest binary suffix that divides exactly (`1Gi`, `1536Mi`), else plain bytes (`1500`).
 * - `plain`: counts as integers (`10`), fractions in milli-units (`500m`).
 */
export type QuantityStyle = 'cpu' | 'bytes' | 'plain';

/** Kubernetes' binary suffixes, largest first. */
export const BINARY_SUFFIXES: ReadonlyArray<readonly [suffix: string, factor: bigint]> = [
  ['Ei', 2n ** 60n],
  ['Pi', 2n ** 50n],
  ['Ti', 2n ** 40n],
  ['Gi', 2n ** 30n],
  ['Mi', 2n ** 20n],
  ['Ki', 2n ** 10n],
];

/**
 * Writes milli-units as a canonical Kubernetes quantity that {@link parseQuantity} reads back exactly.
 *
 * `cpu` and `plain` never use `k`/`M` (Kubernetes would print `2k` for 2000 cores,
 * which reads like a typo next to other CPU values), so whole values stay integers.
 */
export function formatQuantity(milli: bigint, style: QuantityStyle): string {
  if (milli % 1000n !== 0n) {
    return `${milli}m`;
  }
  const units = milli / 1000n;
  if (style !== 'bytes' || units === 0n) {
    return `${units}`;
  }
  for (const [suffix, factor] of BINARY_SUFFIXES) {
    if (units % factor === 0n) {
      return `${units / factor}${suffix}`;
    }
  }
  return `${units}`;
}

/**
 * Picks the {@link QuantityStyle} a resource is conventionally written in.
 *
 * Only the part after the last `/` is inspected, so that
 * `gold.storageclass.storage.k8s.io/persistentvolumeclaims` is a count while
 * `gold.storageclass.storage.k8s.io/requests.storage` is bytes; `count/…` is
 * always a count, even for `count/storageclasses.storage.k8s.io`.
 */
export function styleForResource(resourceName: string): QuantityStyle {
  if (resourceName.startsWith('count/')) {
    return 'plain';
  }
  const local = resourceName.slice(resourceName.lastIndexOf('/') + 1);
  if (local === 'cpu' || local.endsWith('.cpu')) {
    return 'cpu';
  }
  if (local.includes('memory') || local.includes('storage') || /(^|\.)hugepages-/.test(local)) {
    return 'bytes';
  }
  return 'plain';
}

/** Formats milli-units in the style conventional for `resourceName`, e.g. `1Gi` for memory and `500m` for CPU. */
export function formatForResource(resourceName: string, milli: bigint): string {
  return formatQuantity(milli, styleForResource(resourceName));
}
