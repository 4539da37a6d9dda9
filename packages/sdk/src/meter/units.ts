import { styleForResource } from '../quantity/index.ts';
import { compareText } from './compare.ts';

/**
 * What a resource's integral is reported in: CPU in core-minutes, bytes in GiB-minutes, counts
 * (pods, services, `count/…`) in unit-minutes (pod-minutes for pods).
 */
export type UsageUnit = 'core-minutes' | 'GiB-minutes' | 'unit-minutes';

const MILLI_MS_PER_MINUTE = 1_000n * 60_000n;

const INTEGRAL_PER_UNIT: Readonly<Record<UsageUnit, bigint>> = {
  'core-minutes': MILLI_MS_PER_MINUTE,
  'GiB-minutes': MILLI_MS_PER_MINUTE * 2n ** 30n,
  'unit-minutes': MILLI_MS_PER_MINUTE,
};

/** The unit a resource is reported in, by the same rules that format its quantities. */
export function unitOf(resource: string): UsageUnit {
  const style = styleForResource(resource);
  return style === 'cpu' ? 'core-minutes' : style === 'bytes' ? 'GiB-minutes' : 'unit-minutes';
}

/**
 * An integral (milli-units × milliseconds) in the resource's {@link unitOf unit}, as an exact decimal
 * string rounded half up to `decimals` places, without trailing zeros: `2.5`, `0.000017`, `12`.
 */
export function integralInUnits(resource: string, integral: bigint, decimals = 6): string {
  const sign = integral < 0n ? '-' : '';
  const magnitude = integral < 0n ? -integral : integral;
  const scale = 10n ** BigInt(decimals);
  const divisor = INTEGRAL_PER_UNIT[unitOf(resource)];
  const scaled = (magnitude * scale * 2n + divisor) / (divisor * 2n);
  const whole = scaled / scale;
  const fraction = (scaled % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  const text = fraction === '' ? `${whole}` : `${whole}.${fraction}`;
  return scaled === 0n ? '0' : sign + text;
}

/** Orders resources for reports: CPU, then memory, then other byte resources, then counts; requests before limits; else by name. */
export function compareResources(a: string, b: string): number {
  return rank(a) - rank(b) || compareText(a, b);
}

function rank(resource: string): number {
  const style = styleForResource(resource);
  const group = style === 'cpu' ? 0 : /(^|\.)memory$/.test(resource) ? 1 : style === 'bytes' ? 2 : 3;
  const kind = resource.startsWith('requests.') ? 0 : resource.startsWith('limits.') ? 1 : 2;
  return group * 3 + kind;
}
