import type { UsageScope } from '../../usage/index.ts';
import type { Spacekit } from '../../spacekit.ts';
import type { TreeNode } from '../tree.ts';
import {
  choice,
  defineCommand,
  duration,
  type OutputFormat,
  OUTPUT_FLAG,
  outputFormat,
  parsePath,
  type Ref,
  type CommandContext,
} from '../define.ts';
import { CliError, UsageError } from '../errors.ts';

export interface UsageCommand {
  command: 'usage';
  output: OutputFormat;
  ref?: Ref;
  watch: boolean;
}

/** The report formats of `usage report`. */
export const REPORT_FORMATS = ['table', 'csv', 'json'] as const;
/** The levels a usage report totals by. */
export const REPORT_LEVELS = ['space', 'tenant', 'organization'] as const;

export interface UsageReportCommand {
  command: 'usage-report';
  sinceMs: number;
  by: (typeof REPORT_LEVELS)[number];
  format: (typeof REPORT_FORMATS)[number];
  /** Whose usage; default every Organization (cluster admins). */
  ref?: Ref;
  /** Read an operator's report endpoint instead of the cluster. */
  operatorUrl?: string;
  /** Read a file store (an operator run with --meter-dir) instead of the cluster. */
  store?: string;
}

/** `spacekit usage [PATH] [--watch]`: used · allocated · budget, from status. */
export const usage = defineCommand({
  words: ['usage'],
  operands: '[ORG[/TENANT[/SPACE]]]',
  arity: { max: 1 },
  summary: 'used, allocated and budget per resource at every level; --watch keeps it live',
  flags: { watch: { type: 'boolean', short: 'w' }, ...OUTPUT_FLAG },
  parse({ values, operands: [path] }): UsageCommand {
    return {
      command: 'usage',
      output: outputFormat(values.output),
      watch: values.watch ?? false,
      ...(path !== undefined && { ref: parsePath(path) }),
    };
  },
  async run(c, context) {
    return showUsage(await context.connect(), c, context);
  },
});

/** `spacekit usage report`: metered resource-minutes over a period. */
export const usageReport = defineCommand({
  words: ['usage', 'report'],
  operands: '[ORG[/TENANT[/SPACE]]]',
  arity: { max: 1 },
  summary: 'metered resource-minutes over a period, with the gaps, read with your own rights',
  flags: {
    since: { type: 'string', value: '7d' },
    by: { type: 'string', value: REPORT_LEVELS.join('|') },
    output: { type: 'string', short: 'o', value: REPORT_FORMATS.join('|') },
    store: { type: 'string', value: 'DIR' },
    operator: { type: 'string', value: 'URL' },
  },
  parse({ values: v, operands: [path] }): UsageReportCommand {
    if (v.store !== undefined && v.operator !== undefined) throw new UsageError('--store and --operator are two sources; pick one');
    if (path !== undefined && (v.store !== undefined || v.operator !== undefined)) {
      throw new UsageError('a scope (ORG[/TENANT[/SPACE]]) reads the cluster; --store and --operator report everything their meter holds');
    }
    return {
      command: 'usage-report',
      sinceMs: duration('--since', v.since ?? '7d'),
      by: v.by === undefined ? 'space' : choice('--by', v.by, REPORT_LEVELS),
      format: v.output === undefined ? 'table' : choice('-o', v.output, REPORT_FORMATS),
      ...(path !== undefined && { ref: parsePath(path) }),
      ...(v.store !== undefined && { store: v.store }),
      ...(v.operator !== undefined && { operatorUrl: v.operator }),
    };
  },
  run: (c, { connect, io }) => report(c, connect, io),
});

function scopeOf(ref: Ref): UsageScope {
  if (ref.level === 'organization') return { organization: ref.organization };
  if (ref.level === 'tenant') return { organization: ref.organization, tenant: ref.tenant };
  return { organization: ref.organization, tenant: ref.tenant, space: ref.space };
}

async function usageRoots(kit: Spacekit, ref: Ref | undefined): Promise<TreeNode[]> {
  if (ref) return [(await kit.usage.snapshot(scopeOf(ref))).root];
  const orgs = (await kit.organizations.list()).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return Promise.all(orgs.map(async (org) => (await kit.usage.snapshot({ organization: org.metadata.name })).root));
}

async function showUsage(kit: Spacekit, { ref, watch, output }: UsageCommand, { io }: CommandContext): Promise<number> {
  const [{ formatUsage }, { formatData }] = await Promise.all([import('../tree.ts'), import('../output.ts')]);
  const show = (roots: TreeNode[], at: string) => {
    if (output !== 'text') {
      // Watching as data: one document per change (JSON lines, or YAML documents).
      io.stdout(
        watch
          ? output === 'json'
            ? `${JSON.stringify({ at, usage: roots })}\n`
            : `---\n${formatData({ at, usage: roots }, 'yaml')}`
          : formatData(ref ? roots[0] : roots, output),
      );
      return;
    }
    const table = formatUsage(roots);
    if (!watch) io.stdout(table);
    else if (io.interactive) io.stdout(`\x1b[H\x1b[2J${at}  (watching; Ctrl-C stops)\n\n${table}`);
    else io.stdout(`# ${at}\n${table}\n`);
  };
  if (!watch) {
    show(await usageRoots(kit, ref), new Date().toISOString());
    return 0;
  }
  const scopes: UsageScope[] = ref
    ? [scopeOf(ref)]
    : (await kit.organizations.list())
        .map((o) => ({ organization: o.metadata.name }))
        .sort((a, b) => a.organization.localeCompare(b.organization));
  if (scopes.length === 0) {
    io.stdout(formatUsage([]));
    return 0;
  }
  const stop = new AbortController();
  const latest = new Map<string, TreeNode>();
  const watches = scopes.map(async (scope) => {
    for await (const snapshot of kit.usage.watch(scope, { signal: stop.signal })) {
      latest.set(scope.organization + (scope.tenant ? `/${scope.tenant}` : '') + (scope.space ? `/${scope.space}` : ''), snapshot.root);
      if (latest.size === scopes.length) show([...latest.values()], snapshot.at);
    }
  });
  await Promise.race([io.untilStopped(), Promise.all(watches)]);
  stop.abort();
  await Promise.allSettled(watches);
  return 0;
}

async function report(c: UsageReportCommand, connect: CommandContext['connect'], io: CommandContext['io']): Promise<number> {
  if (c.operatorUrl) {
    const url = new URL('/usage/report', c.operatorUrl);
    url.searchParams.set('since', `${Math.round(c.sinceMs / 1000)}s`);
    url.searchParams.set('by', c.by);
    url.searchParams.set('format', c.format);
    let response: Response;
    try {
      response = await fetch(url);
    } catch (err) {
      throw new CliError(
        `cannot reach the operator at ${c.operatorUrl}: ${(err as Error).message}; is it running (spacekit operator), or port-forwarded?`,
      );
    }
    const body = await response.text();
    if (!response.ok) throw new CliError(`the operator at ${c.operatorUrl} refused the report (${response.status}): ${body.trim()}`);
    io.stdout(body);
    return 0;
  }
  const { ClusterMeterStore, FileMeterStore, formatGapsNotice, formatReport, readReport } = await import('../../meter/index.ts');
  let store: import('../../meter/index.ts').MeterStore;
  if (c.store !== undefined) {
    const { existsSync } = await import('node:fs');
    if (!existsSync(c.store)) {
      throw new CliError(`no meter records in ${c.store}: is it the directory of an operator run with --meter-dir ${c.store}?`);
    }
    store = new FileMeterStore(c.store);
  } else {
    const kit = await connect();
    await kit.client.ensureInstalled();
    store = new ClusterMeterStore(kit.client, { ...(c.ref && { scope: scopeOf(c.ref) }) });
  }
  const to = Date.now();
  const result = await readReport(store, { from: to - c.sinceMs, to, by: c.by });
  io.stdout(formatReport(result, c.format));
  // CSV has no room for gaps; say them beside it, where a pipe into a file does not swallow them.
  if (c.format === 'csv') {
    const gaps = formatGapsNotice(result);
    if (gaps) io.stderr(gaps);
  }
  return 0;
}
