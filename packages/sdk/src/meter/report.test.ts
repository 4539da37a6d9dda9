import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { buildReport } from './report.ts';
import { bucketOf, coreMinutes, coverageOf, FOUR_SPACES, gibMinutes, HOUR, MINUTE, podMinutes, T0 } from './report-fixtures.ts';

const TWO_HOURS = [...FOUR_SPACES, coverageOf(T0, T0 + 2 * HOUR)];

function totals(report: ReturnType<typeof buildReport>): unknown[] {
  return report.rows.map((row) => [[row.organization, row.tenant, row.space].filter(Boolean).join('/'), Object.fromEntries(row.integrals)]);
}

describe('buildReport', () => {
  it('sums by space', () => {
    const report = buildReport(TWO_HOURS, { from: T0, to: T0 + 2 * HOUR, by: 'space' });
    expect(totals(report)).toEqual([
      ['acme/payments/dev', { 'requests.cpu': coreMinutes(60), 'requests.memory': gibMinutes(60) }],
      ['acme/payments/prod', { 'requests.cpu': coreMinutes(120) }],
      ['acme/search/idx', { 'requests.cpu': coreMinutes(30), pods: podMinutes(180) }],
      ['globex/web/site', { 'requests.cpu': coreMinutes(60) }],
    ]);
    expect(report.resources).toEqual(['requests.cpu', 'requests.memory', 'pods']);
  });

  it('sums by tenant', () => {
    const report = buildReport(TWO_HOURS, { from: T0, to: T0 + 2 * HOUR, by: 'tenant' });
    // payments: 60 + 120 core-minutes.
    expect(totals(report)).toEqual([
      ['acme/payments', { 'requests.cpu': coreMinutes(180), 'requests.memory': gibMinutes(60) }],
      ['acme/search', { 'requests.cpu': coreMinutes(30), pods: podMinutes(180) }],
      ['globex/web', { 'requests.cpu': coreMinutes(60) }],
    ]);
    expect(report.rows[0]).not.toHaveProperty('space');
  });

  it('sums by organization', () => {
    const report = buildReport(TWO_HOURS, { from: T0, to: T0 + 2 * HOUR, by: 'organization' });
    // acme: 60 + 120 + 30 core-minutes.
    expect(totals(report)).toEqual([
      ['acme', { 'requests.cpu': coreMinutes(210), 'requests.memory': gibMinutes(60), pods: podMinutes(180) }],
      ['globex', { 'requests.cpu': coreMinutes(60) }],
    ]);
    expect(report.rows[0]).not.toHaveProperty('tenant');
  });

  it('adds up two records of the same Space and bucket, as a restart within a bucket writes', () => {
    const records = [
      bucketOf('acme/payments/dev', T0, T0 + 20 * MINUTE, { 'requests.cpu': coreMinutes(20) }),
      bucketOf('acme/payments/dev', T0 + 40 * MINUTE, T0 + HOUR, { 'requests.cpu': coreMinutes(20) }),
    ];
    expect(totals(buildReport(records, { from: T0, to: T0 + HOUR, by: 'space' }))).toEqual([
      ['acme/payments/dev', { 'requests.cpu': coreMinutes(40) }],
    ]);
  });

  it('counts a bucket that straddles a window edge in proportion to its overlap', () => {
    // dev's 10:00–11:00 bucket overlaps 10:30–12:00 for half its length: 60 / 2 = 30 core-minutes.
    const report = buildReport(TWO_HOURS, { from: T0 + 30 * MINUTE, to: T0 + 2 * HOUR, by: 'space' });
    expect(report.rows[0]?.integrals.get('requests.cpu')).toBe(coreMinutes(30));
    // globex's 11:00–12:00 bucket lies wholly inside.
    expect(report.rows[3]?.integrals.get('requests.cpu')).toBe(coreMinutes(60));
  });

  it('prorates over the time a record measured, not the whole bucket', () => {
    // Measured 10:40–11:00 only (20 core-minutes); the window from 10:50 takes 10 of those 20 minutes.
    const records = [bucketOf('acme/payments/dev', T0 + 40 * MINUTE, T0 + HOUR, { 'requests.cpu': coreMinutes(20) })];
    const report = buildReport(records, { from: T0 + 50 * MINUTE, to: T0 + HOUR, by: 'space' });
    expect(report.rows[0]?.integrals.get('requests.cpu')).toBe(coreMinutes(10));
  });

  it('rounds a prorated share half up', () => {
    const records = [bucketOf('a/b/c', T0, T0 + 2, { pods: 1n }), bucketOf('a/b/d', T0, T0 + 3, { pods: 1n })];
    const report = buildReport(records, { from: T0 + 1, to: T0 + 10, by: 'space' });
    // 1 × 1/2 = 0.5 → 1; 1 × 2/3 ≈ 0.67 → 1. Then window from T0 + 2: c has no overlap, d has 1 × 1/3 ≈ 0.33 → 0.
    expect(totals(report)).toEqual([
      ['a/b/c', { pods: 1n }],
      ['a/b/d', { pods: 1n }],
    ]);
    expect(totals(buildReport(records, { from: T0 + 2, to: T0 + 10, by: 'space' }))).toEqual([['a/b/d', { pods: 0n }]]);
  });

  it('reports coverage and classifies gaps: before metering, not metered, not yet written', () => {
    const records = [...FOUR_SPACES, coverageOf(T0, T0 + HOUR), coverageOf(T0 + HOUR + 15 * MINUTE, T0 + 2 * HOUR)];
    const report = buildReport(records, { from: T0 - HOUR, to: T0 + 3 * HOUR, by: 'space', extent: { from: T0, to: T0 + 2 * HOUR } });
    expect(report.gaps).toEqual([
      { from: T0 - HOUR, to: T0, durationMs: HOUR, kind: 'before-metering' },
      { from: T0 + HOUR, to: T0 + HOUR + 15 * MINUTE, durationMs: 15 * MINUTE, kind: 'not-metered' },
      { from: T0 + 2 * HOUR, to: T0 + 3 * HOUR, durationMs: HOUR, kind: 'not-yet-written' },
    ]);
    // Covered 60 + 45 minutes of a 4-hour window: 105 / 240 = 43.75 %.
    expect(report.coveredMs).toBe(105 * MINUTE);
    expect(report.coveragePercent).toBe(43.75);
  });

  it('tells a gap of a stopped meter from the time before metering started by the store extent', () => {
    const records = [coverageOf(T0 + HOUR, T0 + 2 * HOUR)];
    // The store has data from the day before: the first hour of the window is a gap, not "before metering".
    const report = buildReport(records, { from: T0, to: T0 + 2 * HOUR, by: 'space', extent: { from: T0 - 24 * HOUR, to: T0 + 2 * HOUR } });
    expect(report.gaps).toEqual([{ from: T0, to: T0 + HOUR, durationMs: HOUR, kind: 'not-metered' }]);
    // Without an extent, the records are taken as all there is.
    expect(buildReport(records, { from: T0, to: T0 + 2 * HOUR, by: 'space' }).gaps).toEqual([
      { from: T0, to: T0 + HOUR, durationMs: HOUR, kind: 'before-metering' },
    ]);
  });

  it('calls the whole window "before metering" when nothing was ever measured', () => {
    const report = buildReport([], { from: T0, to: T0 + HOUR, by: 'organization' });
    expect(report.rows).toEqual([]);
    expect(report.coveredMs).toBe(0);
    expect(report.gaps).toEqual([{ from: T0, to: T0 + HOUR, durationMs: HOUR, kind: 'before-metering' }]);
  });

  it('refuses a window that does not start before it ends', () => {
    expect(() => buildReport([], { from: T0, to: T0, by: 'space' })).toThrow(ValidationError);
    expect(() => buildReport([], { from: T0 + 1, to: T0, by: 'space' })).toThrow('the window must start before it ends');
  });
});
