import type { TimeSpan } from './records.ts';

/** Sorts spans and joins those that overlap or touch; empty spans are dropped. */
export function mergeSpans(spans: Iterable<TimeSpan>): TimeSpan[] {
  const sorted = [...spans].filter((span) => span.to > span.from).sort((a, b) => a.from - b.from);
  const merged: TimeSpan[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && span.from <= last.to) {
      merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, span.to) };
    } else {
      merged.push(span);
    }
  }
  return merged;
}

/** The parts of `spans` that lie inside `window`. */
export function clipSpans(spans: Iterable<TimeSpan>, window: TimeSpan): TimeSpan[] {
  const clipped: TimeSpan[] = [];
  for (const span of spans) {
    const from = Math.max(span.from, window.from);
    const to = Math.min(span.to, window.to);
    if (to > from) {
      clipped.push({ from, to });
    }
  }
  return clipped;
}

/** The parts of `window` that no span covers, in order. */
export function uncoveredSpans(spans: Iterable<TimeSpan>, window: TimeSpan): TimeSpan[] {
  const uncovered: TimeSpan[] = [];
  let cursor = window.from;
  for (const span of mergeSpans(clipSpans(spans, window))) {
    if (span.from > cursor) {
      uncovered.push({ from: cursor, to: span.from });
    }
    cursor = span.to;
  }
  if (cursor < window.to) {
    uncovered.push({ from: cursor, to: window.to });
  }
  return uncovered;
}

/** The total length of `spans` in milliseconds, counting overlaps once. */
export function spanLength(spans: Iterable<TimeSpan>): number {
  return mergeSpans(spans).reduce((total, span) => total + span.to - span.from, 0);
}
