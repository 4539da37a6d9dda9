// What `spacekit verify` and `kit.verify()` report, and how it is printed. Pure: the checks produce results,
// these functions only count and format them.

/** The families of checks, as the report groups and counts them. */
export const CHECK_CATEGORIES = ['names', 'budgets', 'objects', 'install', 'admission', 'access', 'storage', 'network', 'live'] as const;
export type CheckCategory = (typeof CHECK_CATEGORIES)[number];

/** How one check of one subject came out. `not-run` is never a pass: the check could not look. */
export type CheckStatus = 'passed' | 'failed' | 'not-run';

/** One check of one subject. */
export interface CheckResult {
  /** Stable id, such as `objects.as-rendered`; docs/verify.md lists them all. */
  id: string;
  category: CheckCategory;
  /** The Multi-Tenancy Benchmarks id this check implements, where there is one. */
  mtb?: string;
  /** What was checked: `space acme/payments/dev`, `tenant acme/payments`. */
  subject: string;
  status: CheckStatus;
  /** For a failure: what the check expected, what it saw, and how to fix it; for not-run, why. */
  expected?: string;
  seen?: string;
  fix?: string;
}

/** Everything one verify run found. */
export interface VerifyReport {
  /** True only when no check failed. */
  passed: boolean;
  /** Per category: how many checks ran, passed, failed and could not run. */
  counts: Record<CheckCategory, { ran: number; passed: number; failed: number; notRun: number }>;
  results: CheckResult[];
}

/** The report of `results`: their counts per category, and whether nothing failed. */
export function summarise(results: readonly CheckResult[]): VerifyReport {
  const counts = Object.fromEntries(
    CHECK_CATEGORIES.map((c) => [c, { ran: 0, passed: 0, failed: 0, notRun: 0 }]),
  ) as VerifyReport['counts'];
  for (const r of results) {
    const c = counts[r.category];
    if (r.status === 'not-run') c.notRun++;
    else {
      c.ran++;
      if (r.status === 'passed') c.passed++;
      else c.failed++;
    }
  }
  return { passed: results.every((r) => r.status !== 'failed'), counts, results: [...results] };
}

/** The report for people: every failure and every check not run, spelled out, then the counts. */
export function formatReportTable(report: VerifyReport): string {
  const lines: string[] = [];
  for (const r of report.results.filter((x) => x.status !== 'passed')) {
    lines.push(`${r.status === 'failed' ? 'FAIL' : 'NOT RUN'}  ${r.id}${r.mtb ? ` (${r.mtb})` : ''}  ${r.subject}`);
    if (r.expected) lines.push(`  expected: ${r.expected}`);
    if (r.seen) lines.push(`  seen:     ${r.seen}`);
    if (r.fix) lines.push(`  fix:      ${r.fix}`);
  }
  if (lines.length > 0) lines.push('');
  const width = Math.max(...CHECK_CATEGORIES.map((c) => c.length));
  lines.push(`${'CATEGORY'.padEnd(width)}  RAN  PASSED  FAILED  NOT RUN`);
  for (const c of CHECK_CATEGORIES) {
    const n = report.counts[c];
    lines.push(
      `${c.padEnd(width)}  ${String(n.ran).padStart(3)}  ${String(n.passed).padStart(6)}  ${String(n.failed).padStart(6)}  ${String(n.notRun).padStart(7)}`,
    );
  }
  const failed = report.results.filter((r) => r.status === 'failed').length;
  lines.push('', report.passed ? 'verify: passed' : `verify: ${failed} failed`);
  return `${lines.join('\n')}\n`;
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);

/**
 * The report as JUnit XML, the format CI systems read: one test suite per
 * category, one test case per check and subject, a failure with what was
 * expected, seen and how to fix it, and checks not run as skipped.
 */
export function formatReportJunit(report: VerifyReport): string {
  const suites = CHECK_CATEGORIES.map((category) => {
    const results = report.results.filter((r) => r.category === category);
    const n = report.counts[category];
    const cases = results.map((r) => {
      const name = escapeXml(`${r.id}${r.mtb ? ` (${r.mtb})` : ''}: ${r.subject}`);
      const detail = escapeXml([`expected: ${r.expected ?? ''}`, `seen: ${r.seen ?? ''}`, `fix: ${r.fix ?? ''}`].join('\n'));
      if (r.status === 'failed') {
        return `    <testcase classname="spacekit.verify.${category}" name="${name}">\n      <failure message="${escapeXml(r.seen ?? 'failed')}">${detail}</failure>\n    </testcase>`;
      }
      if (r.status === 'not-run') {
        return `    <testcase classname="spacekit.verify.${category}" name="${name}">\n      <skipped message="${escapeXml(r.expected ?? 'not run')}"/>\n    </testcase>`;
      }
      return `    <testcase classname="spacekit.verify.${category}" name="${name}"/>`;
    });
    return [
      `  <testsuite name="spacekit.verify.${category}" tests="${results.length}" failures="${n.failed}" skipped="${n.notRun}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const total = report.results.length;
  const failures = report.results.filter((r) => r.status === 'failed').length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="spacekit verify" tests="${total}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}
