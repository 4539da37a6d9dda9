import type { HistoryPoint } from '../protocol.ts';

/** The chart's drawing area, in SVG user units. */
export interface ChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The top of the y axis: 100 % unless something went over, then the next 50 above it. */
export function yTop(history: readonly HistoryPoint[]): number {
  const highest = Math.max(100, ...history.flatMap((p) => Object.values(p.percent)));
  return highest <= 100 ? 100 : Math.ceil(highest / 50) * 50;
}

/**
 * The time span drawn: from the first point up to `now`, at least
 * `minimumMs` long (so that a new dashboard does not stretch a few seconds
 * across the whole width) and at most `windowMs`.
 */
export function timeSpan(
  history: readonly HistoryPoint[],
  now: number,
  windowMs: number,
  minimumMs = Math.min(windowMs, 60_000),
): { from: number; to: number } {
  const first = history[0]?.at ?? now;
  const from = Math.max(Math.min(first, now - minimumMs), now - windowMs);
  return { from, to: Math.max(now, from + 1) };
}

/**
 * The polyline points of one resource as a step line: usage only changes
 * when a snapshot says so, so a value holds until the next one, and the last
 * holds until now. Points before the window are clamped to its left edge.
 */
export function stepPoints(history: readonly HistoryPoint[], resource: string, now: number, windowMs: number, box: ChartBox): string {
  const { from, to } = timeSpan(history, now, windowMs);
  const top = yTop(history);
  const x = (t: number) => box.left + ((Math.max(t, from) - from) / (to - from)) * (box.width - box.left - box.right);
  const y = (v: number) => box.top + (1 - Math.min(v, top) / top) * (box.height - box.top - box.bottom);
  const values = history.filter((p) => p.percent[resource] !== undefined);
  const points: string[] = [];
  values.forEach((p, i) => {
    const v = p.percent[resource] ?? 0;
    points.push(`${round(x(p.at))},${round(y(v))}`);
    const next = values[i + 1];
    points.push(`${round(x(next ? next.at : to))},${round(y(v))}`);
  });
  return points.join(' ');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
