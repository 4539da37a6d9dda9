import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { eventually } from './wait.ts';

// Free of vitest, so that the benchmarks can run the operator the way the tests do.

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'packages/sdk/src/cli/main.ts');

/** Where the operator's identity lives, as `spacekit install --operator` makes it. */
export const OPERATOR_NAMESPACE = 'spacekit-system';
export const OPERATOR_ACCOUNT = 'spacekit-operator';

/**
 * A kubeconfig file that authenticates as the operator's ServiceAccount with
 * a fresh bound token (TokenRequest), so that the operator under test has
 * exactly the rights its ClusterRole gives it, not the admin's.
 */
export async function operatorKubeconfig(admin: KubeConfig): Promise<{ path: string; remove(): void }> {
  const core = admin.makeApiClient(CoreV1Api);
  await eventually('the operator ServiceAccount', () =>
    core.readNamespacedServiceAccount({ name: OPERATOR_ACCOUNT, namespace: OPERATOR_NAMESPACE }),
  );
  const request = await core.createNamespacedServiceAccountToken({
    name: OPERATOR_ACCOUNT,
    namespace: OPERATOR_NAMESPACE,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('the admin kubeconfig has no current cluster');
  const dir = mkdtempSync(join(tmpdir(), 'spacekit-operator-kc-'));
  const path = join(dir, 'kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'local',
        cluster: {
          server: cluster.server,
          'certificate-authority-data': cluster.caData ?? (cluster.caFile ? readFileSync(cluster.caFile).toString('base64') : ''),
        },
      },
    ],
    users: [{ name: 'operator', user: { token: request.status?.token ?? '' } }],
    contexts: [{ name: 'operator', context: { cluster: 'local', user: 'operator' } }],
    'current-context': 'operator',
  };
  writeFileSync(path, JSON.stringify(config));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Options for {@link startOperator}. */
export interface OperatorProcessOptions {
  kubeconfigPath: string;
  /** Look after only Organizations with these labels, so that test files do not share an operator. */
  organizationSelector?: string;
  leaderElect?: boolean;
  identity?: string;
  meterDir?: string;
  /** Meter into the cluster (the default of `spacekit operator`); without this or `meterDir`, `--no-meter`. */
  meterIntoCluster?: boolean;
  meterInterval?: string;
  meterBucket?: string;
  orphanGrace?: string;
  /** `--watch-timeout`: how long each watch stays open at least (up to twice this). */
  watchTimeout?: string;
  /** The `spacekit` entry point to run: the TypeScript sources by default, or a bundle (dist/spacekit.mjs). */
  entry?: string;
  /** Flags for Node itself, such as the heap settings the Deployment ships with. */
  nodeOptions?: string[];
  /** Environment on top of this process's, such as the Deployment's (`OPERATOR_ENV`). */
  env?: Readonly<Record<string, string>>;
}

/** The operator as a real process: `spacekit operator`. */
export interface OperatorProcess {
  /** Base URL of /metrics, /healthz, /readyz and /usage/report. */
  url: string;
  pid: number;
  /** Everything it logged so far (JSON lines on stderr). */
  logs(): string[];
  /** Parsed log lines whose `msg` matches. */
  logged(msg: string): Record<string, unknown>[];
  /** SIGTERM, then waits for the exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, with no chance to clean up. */
  kill(): Promise<void>;
  /** Resolves with the exit code once it exits by itself (or is stopped). */
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `spacekit operator` and resolves once it serves; rejects with its log if it exits first. */
export async function startOperator(options: OperatorProcessOptions): Promise<OperatorProcess> {
  const args = [
    options.entry ?? CLI,
    '--kubeconfig',
    options.kubeconfigPath,
    'operator',
    '--metrics-addr',
    '127.0.0.1:0',
    '--log-format',
    'json',
    '--log-level',
    'debug',
  ];
  if (options.organizationSelector) args.push('--organization-selector', options.organizationSelector);
  if (options.leaderElect) args.push('--leader-elect');
  if (options.identity) args.push('--identity', options.identity);
  if (options.meterDir) args.push('--meter-dir', options.meterDir);
  else if (!options.meterIntoCluster) args.push('--no-meter');
  if (options.meterInterval) args.push('--meter-interval', options.meterInterval);
  if (options.meterBucket) args.push('--meter-bucket', options.meterBucket);
  if (options.orphanGrace) args.push('--orphan-grace', options.orphanGrace);
  if (options.watchTimeout) args.push('--watch-timeout', options.watchTimeout);
  const child = spawn(process.execPath, [...(options.nodeOptions ?? []), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  running.add(child);
  const lines: string[] = [];
  createInterface(child.stderr).on('line', (line) => lines.push(line));
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      running.delete(child);
      done(code);
    }),
  );
  const url = await new Promise<string>((resolveUrl, reject) => {
    createInterface(child.stdout).on('line', (line) => {
      try {
        const event = JSON.parse(line) as { event?: string; url?: string };
        if (event.event === 'serving' && event.url) resolveUrl(event.url);
      } catch {
        // Not the line we wait for.
      }
    });
    void exited.then((code) => reject(new Error(`spacekit operator exited (${code}) before serving:\n${lines.join('\n')}`)));
  });
  const logs = () => [...lines];
  return {
    url,
    pid: child.pid ?? 0,
    logs,
    logged: (msg) =>
      logs().flatMap((line) => {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          return entry.msg === msg ? [entry] : [];
        } catch {
          return [];
        }
      }),
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    exited,
  };
}

/** One sample of a Prometheus exposition: name, labels, value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (what /metrics serves) into samples. */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key ?? ''] = (value ?? '').replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    samples.push({ name: match[1] ?? '', labels, value: Number(match[4]) });
  }
  return samples;
}

/** Scrapes an operator's /metrics. */
export async function scrape(operator: { url: string }): Promise<Sample[]> {
  const response = await fetch(`${operator.url}/metrics`);
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  return parseMetrics(await response.text());
}

/** The operator's API writes so far, by `Kind verb`. */
export async function writesByKind(operator: { url: string }): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of await scrape(operator)) if (s.name === 'spacekit_api_writes_total') out[`${s.labels.kind} ${s.labels.verb}`] = s.value;
  return out;
}

/**
 * Waits until the operator has nothing left to do: its queue is empty and its
 * write count stays the same across two scrapes a while apart. Used before
 * measuring an idle interval, never as an assertion.
 */
export async function quiescent(operator: { url: string }, settleMs = 1500): Promise<void> {
  let last = '';
  await eventually(
    'the operator to be idle',
    async () => {
      const samples = await scrape(operator);
      const depth = samples.find((s) => s.name === 'spacekit_queue_depth')?.value ?? 0;
      const writes = JSON.stringify(samples.filter((s) => s.name === 'spacekit_api_writes_total'));
      const idle = depth === 0 && writes === last;
      last = writes;
      return idle ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: settleMs },
  );
}
