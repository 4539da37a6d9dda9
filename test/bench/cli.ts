// The `spacekit` command as npm users run it (the bundle that `pnpm pack` ships, lib/bin/spacekit.js),
// each invocation a new process, against kubectl in the same rounds: wall time from spawn to exit,
// and the process's peak resident memory (GNU time's %M, read from the kernel at exit).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type BenchContext, runCommand } from './context.ts';
import { type Summary, summarize } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** The CLI as it ships in the @spacekit/sdk tarball. */
export const SHIPPED_CLI = join(ROOT, 'packages/sdk/lib/bin/spacekit.js');
/** GNU time: the only portable way to read a finished child's peak RSS (Node reports only its own). */
const GNU_TIME = '/usr/bin/time';

/** One command's runs: wall time and peak RSS, each summarised. */
export interface CommandRuns {
  command: string;
  wallMs: Summary;
  /** Median over the runs of each process's peak RSS; NaN without GNU time. */
  peakRssMiB: number;
}

export interface CliResult {
  rounds: number;
  organizations: number;
  get: CommandRuns;
  kubectlGet: CommandRuns;
  /** spacekit get's median over kubectl get spaces -A's. */
  getToKubectl: number;
  help: CommandRuns;
  render: CommandRuns;
  /** The CLI's bundle: what `--help` reads, and everything. */
  entryKiB: number;
  bundleMiB: number;
}

interface Sample {
  ms: number;
  peakMiB: number;
}

/** Runs a command once as a new process; rejects unless it exits 0. */
function sample(command: string, args: readonly string[]): Promise<Sample> {
  const withTime = existsSync(GNU_TIME);
  const [file, argv] = withTime ? [GNU_TIME, ['-f', 'peak-rss-kib %M', command, ...args]] : [command, [...args]];
  return new Promise((done, fail) => {
    const started = performance.now();
    execFile(file, argv, { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, KUBECONFIG: '' } }, (err, _stdout, stderr) => {
      const ms = performance.now() - started;
      if (err) return fail(new Error(`${command} ${args.join(' ')} failed: ${stderr}`));
      const kib = Number(/^peak-rss-kib (\d+)$/m.exec(stderr)?.[1] ?? Number.NaN);
      done({ ms, peakMiB: kib / 1024 });
    });
  });
}

function runs(command: string, samples: readonly Sample[]): CommandRuns {
  return { command, wallMs: summarize(samples.map((s) => s.ms)), peakRssMiB: summarize(samples.map((s) => s.peakMiB)).median };
}

/**
 * `spacekit get` against `kubectl get spaces -A` on a cluster with `organizations` organizations
 * (a tenant and a Space each), and `spacekit --help` and `spacekit render`, which need no cluster.
 * One unmeasured round first warms the page cache and kubectl's discovery cache for both.
 */
export async function cliCommands(ctx: BenchContext, rounds: number, organizations = 3): Promise<CliResult> {
  // Built as `pnpm pack` builds it (prepack).
  await runCommand(process.execPath, [join(ROOT, 'packages/sdk/scripts/build.ts')]);
  const bin = join(SHIPPED_CLI, '..');
  const cliBytes = readdirSync(bin, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
  const entryBytes = statSync(SHIPPED_CLI).size;
  const names = Array.from({ length: organizations }, (_, i) => `bench-cli-${i + 1}`);
  for (const name of names) {
    await ctx.kit.organizations.create({ name, resources: { cpu: 4, memory: '8Gi' } });
    await ctx.kit.tenants.create({ organization: name, name: 'web', resources: { cpu: 2, memory: '4Gi' } });
    await ctx.kit.spaces.create({ organization: name, tenant: 'web', name: 'dev', resources: { cpu: 1, memory: '1Gi' } });
  }
  const node = process.execPath;
  const commands = {
    get: () => sample(node, [SHIPPED_CLI, '--kubeconfig', ctx.kubeconfigPath, 'get']),
    kubectlGet: () => sample(ctx.kubectl, ['--kubeconfig', ctx.kubeconfigPath, 'get', 'spaces', '-A']),
    help: () => sample(node, [SHIPPED_CLI, '--help']),
    render: () =>
      sample(node, [SHIPPED_CLI, 'render', '--org', 'acme', '--tenant', 'web', '--space', 'dev', '--cpu', '1', '--memory', '2Gi']),
  };
  const samples: Record<keyof typeof commands, Sample[]> = { get: [], kubectlGet: [], help: [], render: [] };
  const order = Object.keys(commands) as (keyof typeof commands)[];
  try {
    for (let round = -1; round < rounds; round += 1) {
      // Alternate the order, so that neither side always runs right after the other.
      for (const key of round % 2 === 0 ? order : [...order].reverse()) {
        const s = await commands[key]();
        if (round >= 0) samples[key].push(s);
      }
    }
  } finally {
    await Promise.all(names.map((name) => ctx.kit.organizations.delete(name)));
  }
  const get = runs('spacekit get', samples.get);
  const kubectlGet = runs('kubectl get spaces -A', samples.kubectlGet);
  return {
    rounds,
    organizations,
    get,
    kubectlGet,
    getToKubectl: get.wallMs.median / kubectlGet.wallMs.median,
    help: runs('spacekit --help', samples.help),
    render: runs('spacekit render --org acme --tenant web --space dev --cpu 1 --memory 2Gi', samples.render),
    entryKiB: entryBytes / 1024,
    bundleMiB: cliBytes / 2 ** 20,
  };
}
