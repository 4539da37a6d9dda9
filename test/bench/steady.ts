import type { KubeConfig } from '@kubernetes/client-node';
import { operatorKubeconfig, type OperatorProcess, quiescent, scrape, startOperator, writesByKind } from '../support/operator-process.ts';
import { join, resolve } from 'node:path';
import { OPERATOR_ENV } from '@spacekit/sdk/operator';
import { type BenchContext, runCommand } from './context.ts';

const ROOT = resolve(import.meta.dirname, '../..');
import { memoryOf } from './machine.ts';

/** The operator with many Spaces and nothing to do. */
export interface SteadyResult {
  spaces: number;
  idleSeconds: number;
  /** API writes during the idle interval, all kinds (the operator runs without leader election here, so no lease heartbeat). */
  writes: number;
  writesByKind: Record<string, number>;
  /** CPU seconds the operator process used during the idle interval. */
  cpuSeconds: number;
  /** Resident memory at the end of the interval, and the process's peak so far (which includes the initial sync). */
  rssMiB: number;
  peakRssMiB: number;
  /** From start to caches synced and every Space reconciled (queue empty, writes settled). */
  settleSeconds: number;
}

const SELECTOR_LABEL = 'bench.spacekit.dev/set';

/** The selector that gives the benchmark's operator only the organizations labelled for it. */
export function steadyLabels(): Record<string, string> {
  return { [SELECTOR_LABEL]: 'steady' };
}

/**
 * Starts the operator as it ships (the esbuild bundle, built first, with the
 * Deployment's environment), as a
 * real process under its ServiceAccount, for the labelled organizations.
 */
export async function startBenchOperator(
  admin: KubeConfig,
): Promise<{ operator: OperatorProcess; cleanup: () => Promise<void>; startedAt: number }> {
  await runCommand(process.execPath, [join(ROOT, 'packages/sdk/scripts/bundle.ts')]);
  const kubeconfig = await operatorKubeconfig(admin);
  const startedAt = performance.now();
  const operator = await startOperator({
    kubeconfigPath: kubeconfig.path,
    organizationSelector: `${SELECTOR_LABEL}=steady`,
    entry: join(ROOT, 'packages/sdk/dist/spacekit.mjs'),
    // The environment its Deployment sets (heap settings, malloc arenas), so that memory is measured as it would be in the cluster.
    env: OPERATOR_ENV,
  });
  return {
    operator,
    startedAt,
    cleanup: async () => {
      await operator.stop();
      kubeconfig.remove();
    },
  };
}

const total = (w: Record<string, number>) => Object.values(w).reduce((a, b) => a + b, 0);

/**
 * Waits until the operator has synced and reconciled everything, then
 * measures an idle interval: writes (which must be 0), CPU seconds and
 * memory.
 */
export async function measureIdle(
  ctx: BenchContext,
  operator: OperatorProcess,
  startedAt: number,
  spaces: number,
  idleMs: number,
): Promise<SteadyResult> {
  await quiescent(operator, 2_000);
  const settleSeconds = (performance.now() - startedAt) / 1000;
  ctx.log(`steady state: ${spaces} Spaces settled after ${settleSeconds.toFixed(1)} s; idling ${idleMs / 1000} s`);
  const cpu = async () => (await scrape(operator)).find((s) => s.name === 'process_cpu_seconds_total')?.value ?? Number.NaN;
  const writesBefore = await writesByKind(operator);
  const cpuBefore = await cpu();
  await new Promise((r) => setTimeout(r, idleMs));
  const writesAfter = await writesByKind(operator);
  const cpuAfter = await cpu();
  const memory = memoryOf(operator.pid);
  const delta: Record<string, number> = {};
  for (const [kind, n] of Object.entries(writesAfter)) if (n !== (writesBefore[kind] ?? 0)) delta[kind] = n - (writesBefore[kind] ?? 0);
  return {
    spaces,
    idleSeconds: idleMs / 1000,
    writes: total(writesAfter) - total(writesBefore),
    writesByKind: delta,
    cpuSeconds: cpuAfter - cpuBefore,
    rssMiB: memory.rssMiB,
    peakRssMiB: memory.peakMiB,
    settleSeconds,
  };
}
