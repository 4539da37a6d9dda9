// A metering report: resource-minutes per Space, Tenant or Organization over
// a period, from the operator's meter (it samples usage on an interval and
// writes the totals into the cluster), for chargeback or showback.
//
//   node packages/examples/src/metering-report.ts [ORG[/TENANT[/SPACE]]] [--since 24h] [--by space|tenant|organization] [--operator URL] [--json]
//
// With a scope it reads that level's usage with your own rights (a tenant
// admin their tenant); without one, the whole cluster's (cluster admins).
// With an operator that meters into a directory (spacekit operator --meter-dir …),
// give its URL instead.
import { parseArgs } from 'node:util';
import { alignColumns, type MeteredReport, type UsageReportOptions } from '@spacekit/sdk';
import { connectFromEnv, main, UsageProblem } from './cluster.ts';

const LEVELS = ['space', 'tenant', 'organization'] as const;

/** Rows as aligned text: one line per row, one column per resource. */
function table(report: MeteredReport): string {
  const resources = [...new Set(report.rows.flatMap((row) => Object.keys(row.usage)))].sort();
  const header = ['WHO', ...resources.map((r) => `${r} (${report.rows.find((row) => row.usage[r])?.usage[r]?.unit ?? ''})`)];
  const rows = report.rows.map((row) => [
    [row.organization, row.tenant, row.space].filter(Boolean).join('/'),
    ...resources.map((r) => (row.usage[r]?.value ?? 0).toFixed(3)),
  ]);
  return alignColumns(
    [header, ...rows],
    header.map((_, i) => i > 0),
  ).join('\n');
}

await main(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      since: { type: 'string', default: '24h' },
      by: { type: 'string', default: 'space' },
      operator: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const by = LEVELS.find((level) => level === values.by);
  if (!by) throw new UsageProblem(`--by is one of ${LEVELS.join(', ')}, not "${values.by}"`);
  const kit = await connectFromEnv();
  const [organization, tenant, space, extra] = (positionals[0] ?? '').split('/');
  if (positionals.length > 1 || extra !== undefined) throw new UsageProblem('give one scope, ORG[/TENANT[/SPACE]]');
  const scope = organization ? { organization, ...(tenant && { tenant }), ...(space && { space }) } : undefined;
  const options: UsageReportOptions = {
    since: values.since,
    by,
    ...(scope && { scope }),
    ...(values.operator !== undefined && { operatorUrl: values.operator }),
  };
  const report = await kit.usage.report(options);

  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `Usage by ${report.by}, ${report.window.from} to ${report.window.to}; measured ${report.coverage.percent.toFixed(1)}% of the window\n\n`,
  );
  process.stdout.write(report.rows.length === 0 ? 'no usage recorded in this window\n' : `${table(report)}\n`);
  // Time the meter did not see is left out, not guessed: say so.
  for (const gap of report.gaps) process.stdout.write(`gap: ${gap.from} to ${gap.to} (${gap.duration}): ${gap.reason}\n`);
});
