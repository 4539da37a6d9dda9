import type { MeteredReport } from './report-json.ts';
import { resourceTitle } from '../quantity/index.ts';
import { alignColumns } from '../util/table.ts';
import { formatDuration } from './duration.ts';
import type { GapKind, ReportRow, UsageReport } from './report.ts';
import { integralInUnits, unitOf, type UsageUnit } from './units.ts';

/** How {@link formatReport} writes a report. */
export type ReportFormat = 'table' | 'csv' | 'json';

const GAP_REASONS: Readonly<Record<GapKind, string>> = {
  'before-metering': 'before metering started',
  'not-metered': 'not metered: the meter was stopped or crashed, or a sample failed',
  'not-yet-written': 'no data yet: a running meter writes once per bucket, or it is stopped',
};

const SHORT_UNITS: Readonly<Record<UsageUnit, string>> = {
  'core-minutes': 'core-min',
  'GiB-minutes': 'GiB-min',
  'unit-minutes': 'unit-min',
};

const RESOLUTION_NOTE = 'Resolution: one meter bucket; a bucket that straddles a window edge counts in proportion to its overlap.';

/**
 * Writes a report for people (`table`: aligned columns with a header saying the window and coverage,
 * and a GAPS section when part of the window was not measured), for spreadsheets (`csv`, RFC 4180,
 * one row per Space, Tenant or Organization), or for programs (`json`: values rounded to 6 decimals
 * and exact integrals as strings, plus coverage and gaps).
 *
 * CSV has no room for gaps; print {@link formatGapsNotice} next to it (e.g. on stderr).
 */
export function formatReport(report: UsageReport, format: ReportFormat): string {
  if (format === 'csv') return formatCsv(report);
  if (format === 'json') return `${JSON.stringify(reportJson(report), null, 2)}\n`;
  return formatTable(report);
}

/**
 * The GAPS section of the table: the spans of the window the totals leave out and why, or `''`
 * when the whole window was measured. Also warns about records the store could not read.
 */
export function formatGapsNotice(report: UsageReport): string {
  const lines: string[] = [];
  if (report.gaps.length > 0) {
    lines.push('GAPS: the totals exclude these periods; nothing is interpolated over them.');
    const rows = report.gaps.map((gap) => [
      `${instant(gap.from)} to ${instant(gap.to)}`,
      formatDuration(gap.durationMs),
      GAP_REASONS[gap.kind],
    ]);
    lines.push(...alignColumns(rows, [false, false, false]).map((line) => `  ${line}`));
  }
  if (report.unreadable > 0) {
    lines.push(`WARNING: ${report.unreadable} stored record(s) could not be read (e.g. a line torn by a crash) and are not counted.`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function formatTable(report: UsageReport): string {
  const windowMs = report.window.to - report.window.from;
  const lines = [
    `Usage by ${report.by}, ${instant(report.window.from)} to ${instant(report.window.to)} (${formatDuration(windowMs)})`,
    `Coverage: ${formatDuration(report.coveredMs)} of ${formatDuration(windowMs)} (${percent(report.coveragePercent)})`,
    '',
  ];
  if (report.rows.length === 0) {
    lines.push('no usage recorded in this window');
  } else {
    const header = [...identityColumns(report).map((column) => column.toUpperCase()), ...report.resources.map(columnTitle)];
    const body = report.rows.map((row) => [
      ...identityCells(report, row),
      ...report.resources.map((resource) => fixed3(integralInUnits(resource, row.integrals.get(resource) ?? 0n, 3))),
    ]);
    const numeric = header.map((_, index) => index >= identityColumns(report).length);
    lines.push(...alignColumns([header, ...body], numeric));
  }
  lines.push('', RESOLUTION_NOTE);
  const gaps = formatGapsNotice(report);
  return `${lines.join('\n')}\n${gaps === '' ? '' : `\n${gaps}`}`;
}

function formatCsv(report: UsageReport): string {
  const header = [...identityColumns(report), ...report.resources.map((resource) => `${resource} (${unitOf(resource)})`)];
  const rows = report.rows.map((row) => [
    ...identityCells(report, row),
    ...report.resources.map((resource) => integralInUnits(resource, row.integrals.get(resource) ?? 0n)),
  ]);
  return [header, ...rows].map((cells) => `${cells.map(csvField).join(',')}\r\n`).join('');
}

/** A report as the JSON shape programs read ({@link MeteredReport}): what `formatReport(report, 'json')` writes. */
export function reportJson(report: UsageReport): MeteredReport {
  return {
    by: report.by,
    window: { from: instant(report.window.from), to: instant(report.window.to), durationMs: report.window.to - report.window.from },
    coverage: { coveredMs: report.coveredMs, percent: round6(report.coveragePercent) },
    gaps: report.gaps.map((gap) => ({
      from: instant(gap.from),
      to: instant(gap.to),
      durationMs: gap.durationMs,
      duration: formatDuration(gap.durationMs),
      kind: gap.kind,
      reason: GAP_REASONS[gap.kind],
    })),
    resolution: RESOLUTION_NOTE,
    integralUnit: 'milli-unit-milliseconds (millicore-ms for CPU, milli-byte-ms for memory)',
    unreadableRecords: report.unreadable,
    rows: report.rows.map((row) => ({
      organization: row.organization,
      ...(row.tenant !== undefined && { tenant: row.tenant }),
      ...(row.space !== undefined && { space: row.space }),
      usage: Object.fromEntries(
        report.resources.map((resource) => {
          const integral = row.integrals.get(resource) ?? 0n;
          return [resource, { value: Number(integralInUnits(resource, integral)), unit: unitOf(resource), integral: integral.toString() }];
        }),
      ),
    })),
  };
}

function identityColumns(report: UsageReport): string[] {
  return report.by === 'organization'
    ? ['organization']
    : report.by === 'tenant'
      ? ['organization', 'tenant']
      : ['organization', 'tenant', 'space'];
}

function identityCells(report: UsageReport, row: ReportRow): string[] {
  const cells = { organization: row.organization, tenant: row.tenant ?? '', space: row.space ?? '' };
  return identityColumns(report).map((column) => cells[column as keyof typeof cells]);
}

/** `requests.cpu` → `CPU (core-min)`, `limits.memory` → `LIMITS.MEMORY (GiB-min)`. */
function columnTitle(resource: string): string {
  return `${resourceTitle(resource, 'unprefixed')} (${SHORT_UNITS[unitOf(resource)]})`;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** An instant as ISO 8601 UTC, without milliseconds when they are zero. */
function instant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Rounds down, so that 100% means the whole window was measured, not 99.96% of it. */
function percent(value: number): string {
  return `${Math.floor(value * 10) / 10}%`;
}

function fixed3(decimal: string): string {
  const [whole = '0', fraction = ''] = decimal.split('.');
  return `${whole}.${fraction.padEnd(3, '0')}`;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
