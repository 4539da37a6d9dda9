import { describe, expect, it } from 'vitest';
import { buildReport } from './report.ts';
import { formatGapsNotice, formatReport } from './report-format.ts';
import { bucketOf, coreMinutes, coverageOf, FOUR_SPACES, gibMinutes, HOUR, MINUTE, T0 } from './report-fixtures.ts';

const WITH_GAPS = buildReport([...FOUR_SPACES, coverageOf(T0, T0 + HOUR), coverageOf(T0 + HOUR + 15 * MINUTE, T0 + 2 * HOUR)], {
  from: T0,
  to: T0 + 3 * HOUR,
  by: 'tenant',
  extent: { from: T0, to: T0 + 2 * HOUR },
});

const WITHOUT_GAPS = buildReport([...FOUR_SPACES, coverageOf(T0, T0 + 2 * HOUR)], { from: T0, to: T0 + 2 * HOUR, by: 'space' });

/** Splits RFC 4180 CSV into rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else {
      field += char;
    }
  }
  return rows;
}

describe('formatReport as a table', () => {
  it('shows the window, coverage, aligned totals and a GAPS section', () => {
    // Tenants: acme/payments 60 + 120 core-min and 60 GiB-min; acme/search 30 core-min and 180 pod-min; globex/web 60 core-min.
    // Covered 60 + 45 = 105 minutes of 180: 58.33 %, shown rounded down.
    expect(formatReport(WITH_GAPS, 'table')).toBe(
      [
        'Usage by tenant, 2026-11-29T10:00:00Z to 2026-11-29T13:00:00Z (3h)',
        'Coverage: 1h 45m of 3h (58.3%)',
        '',
        'ORGANIZATION   TENANT     CPU (core-min)   MEMORY (GiB-min)   PODS (unit-min)',
        'acme           payments          180.000             60.000             0.000',
        'acme           search             30.000              0.000           180.000',
        'globex         web                60.000              0.000             0.000',
        '',
        'Resolution: one meter bucket; a bucket that straddles a window edge counts in proportion to its overlap.',
        '',
        'GAPS: the totals exclude these periods; nothing is interpolated over them.',
        '  2026-11-29T11:00:00Z to 2026-11-29T11:15:00Z   15m   not metered: the meter was stopped or crashed, or a sample failed',
        '  2026-11-29T12:00:00Z to 2026-11-29T13:00:00Z   1h    no data yet: a running meter writes once per bucket, or it is stopped',
        '',
      ].join('\n'),
    );
  });

  it('has no GAPS section when the whole window was measured', () => {
    const table = formatReport(WITHOUT_GAPS, 'table');
    expect(table).toContain('Coverage: 2h of 2h (100%)');
    // SPACE is 5 wide: prod + 1 pad + 3 gap, then 120.000 right-aligned in the 14-wide CPU column (7 pad).
    expect(table).toContain('acme           payments   prod           120.000   ');
    expect(table).not.toContain('GAPS');
    expect(formatGapsNotice(WITHOUT_GAPS)).toBe('');
  });

  it('says so when nothing was recorded, and warns about unreadable records', () => {
    const empty = buildReport([], { from: T0, to: T0 + HOUR, by: 'organization', unreadable: 2 });
    const table = formatReport(empty, 'table');
    expect(table).toContain('no usage recorded in this window');
    expect(table).toContain('  2026-11-29T10:00:00Z to 2026-11-29T11:00:00Z   1h   before metering started');
    expect(table).toContain('WARNING: 2 stored record(s) could not be read');
  });

  it('does not show 100% coverage when a millisecond is missing', () => {
    const almost = buildReport([coverageOf(T0, T0 + HOUR - 1)], { from: T0, to: T0 + HOUR, by: 'space' });
    expect(formatReport(almost, 'table')).toContain('(99.9%)');
  });
});

describe('formatReport as CSV', () => {
  it('writes a header and one row per Space that parse back to the same numbers', () => {
    const csv = formatReport(WITHOUT_GAPS, 'csv');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(parseCsv(csv)).toEqual([
      ['organization', 'tenant', 'space', 'requests.cpu (core-minutes)', 'requests.memory (GiB-minutes)', 'pods (unit-minutes)'],
      ['acme', 'payments', 'dev', '60', '60', '0'],
      ['acme', 'payments', 'prod', '120', '0', '0'],
      ['acme', 'search', 'idx', '30', '0', '180'],
      ['globex', 'web', 'site', '60', '0', '0'],
    ]);
  });

  it('quotes fields with commas, quotes and line breaks, and keeps 6 decimals', () => {
    // 1 core for 1 ms = 1000 millicore-ms = 1000 / 60 000 000 core-min ≈ 0.0000167 → 0.000017.
    const records = [bucketOf('a "big", org/t\nx/s', T0, T0 + 1, { 'requests.cpu': 1_000n })];
    const csv = formatReport(buildReport(records, { from: T0, to: T0 + 1, by: 'space' }), 'csv');
    expect(csv).toContain('"a ""big"", org","t\nx",s,0.000017\r\n');
    expect(parseCsv(csv)[1]).toEqual(['a "big", org', 't\nx', 's', '0.000017']);
  });

  it('has only the identity columns of its level', () => {
    const byOrganization = buildReport(FOUR_SPACES, { from: T0, to: T0 + 2 * HOUR, by: 'organization' });
    // acme: 60 + 120 + 30 = 210 core-minutes.
    expect(parseCsv(formatReport(byOrganization, 'csv')).map((row) => row.slice(0, 2))).toEqual([
      ['organization', 'requests.cpu (core-minutes)'],
      ['acme', '210'],
      ['globex', '60'],
    ]);
  });
});

describe('formatReport as JSON', () => {
  it('carries rounded values, exact integrals, coverage and gaps', () => {
    const json = JSON.parse(formatReport(WITH_GAPS, 'json'));
    expect(json.by).toBe('tenant');
    expect(json.window).toEqual({ from: '2026-11-29T10:00:00Z', to: '2026-11-29T13:00:00Z', durationMs: 3 * HOUR });
    // 105 / 180 = 0.58333… → 58.333333 %.
    expect(json.coverage).toEqual({ coveredMs: 105 * MINUTE, percent: 58.333333 });
    expect(json.gaps).toEqual([
      expect.objectContaining({
        from: '2026-11-29T11:00:00Z',
        to: '2026-11-29T11:15:00Z',
        durationMs: 15 * MINUTE,
        duration: '15m',
        kind: 'not-metered',
      }),
      expect.objectContaining({ from: '2026-11-29T12:00:00Z', to: '2026-11-29T13:00:00Z', durationMs: HOUR, kind: 'not-yet-written' }),
    ]);
    expect(json.rows[0]).toEqual({
      organization: 'acme',
      tenant: 'payments',
      usage: {
        'requests.cpu': { value: 180, unit: 'core-minutes', integral: coreMinutes(180).toString() },
        'requests.memory': { value: 60, unit: 'GiB-minutes', integral: gibMinutes(60).toString() },
        pods: { value: 0, unit: 'unit-minutes', integral: '0' },
      },
    });
  });

  it('rounds values to 6 decimals', () => {
    // 1 GiB for 1 ms = 1/60 000 GiB-min = 0.0000166… → 0.000017.
    const records = [bucketOf('a/b/c', T0, T0 + 1, { 'requests.memory': 2n ** 30n * 1_000n })];
    const json = JSON.parse(formatReport(buildReport(records, { from: T0, to: T0 + 1, by: 'space' }), 'json'));
    expect(json.rows[0].usage['requests.memory'].value).toBe(0.000017);
  });
});
