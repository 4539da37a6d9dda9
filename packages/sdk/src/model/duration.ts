import { DURATION_PATTERN } from './space.ts';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Milliseconds in a duration of the {@link DURATION_PATTERN} grammar (`90m`,
 * `2h`, `1h30m`, `1d`), or undefined when the text is not one.
 */
export function durationMs(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/([0-9]+)([smhdw])/g)) total += Number(amount) * (UNIT_MS[unit ?? ''] ?? 0);
  return total;
}
