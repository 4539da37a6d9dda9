import type { KubeClient } from '../kube/index.ts';
import { pooled } from '../util/pool.ts';
import { type DryRunAnswer, dryRun } from './dry-run.ts';
import { compliantPod, levelRefuses, nodePortService, otherRuntimePod, POD_PROBES, type PodSecurityLevel, probePod } from './probes.ts';
import type { CheckResult } from './report.ts';

/** A Space as the pod checks see it. */
export interface PodTarget {
  /** `space acme/payments/dev`. */
  subject: string;
  namespace: string;
  podSecurity: PodSecurityLevel;
  sandboxed: boolean;
  /** NodePorts its allocation grants; 0 unless the Space asked for some. */
  nodePorts: number;
}

/** The cluster-wide facts the pod checks need. */
export interface PodSetting {
  /** The sandbox's RuntimeClass (gvisor). */
  sandboxClass: string;
  /** Another RuntimeClass that exists, for a pod to ask for; undefined when there is none. */
  otherClass: string | undefined;
}

type Base = Pick<CheckResult, 'id' | 'category' | 'subject'> & { mtb?: string };

function refusedOrNot(base: Base, answer: DryRunAnswer, asks: string, fix: string): CheckResult {
  if (answer.outcome === 'refused') return { ...base, status: 'passed' };
  if (answer.outcome === 'error') return { ...base, status: 'not-run', expected: `the dry run got no decision (${answer.message})` };
  return {
    ...base,
    status: 'failed',
    expected: `a pod or Service that asks for ${asks} is refused`,
    seen: 'admitted (server-side dry run)',
    fix,
  };
}

async function checkSpace(client: KubeClient, target: PodTarget, setting: PodSetting): Promise<CheckResult[]> {
  const { subject, namespace } = target;
  const results: CheckResult[] = [];
  const control = await dryRun(client, { verb: 'create', object: compliantPod(namespace) });
  const defaulted = { id: 'pods.sandbox-defaulted', category: 'admission', subject } as const;
  if (target.sandboxed) {
    const runtime =
      control.outcome === 'admitted' ? (control.object?.spec as { runtimeClassName?: string } | undefined)?.runtimeClassName : undefined;
    if (runtime === setting.sandboxClass) results.push({ ...defaulted, status: 'passed' });
    else
      results.push({
        ...defaulted,
        status: 'failed',
        expected: `a pod that names no runtime class is admitted with runtimeClassName ${setting.sandboxClass}`,
        seen: control.outcome === 'admitted' ? `admitted with runtimeClassName ${runtime ?? 'unset'}` : `refused: ${control.message}`,
        fix: 'the MutatingAdmissionPolicy spacekit-sandbox-runtime-class or its binding is missing or changed: run `spacekit install`',
      });
  }
  if (control.outcome !== 'admitted') {
    const why = `a pod that breaks no rule was not admitted, so refusals prove nothing: ${control.message}`;
    return [
      ...results,
      ...POD_PROBES.map((p): CheckResult => ({ id: p.id, mtb: p.mtb, category: 'admission', subject, status: 'not-run', expected: why })),
    ];
  }
  for (const probe of POD_PROBES) {
    const base = { id: probe.id, mtb: probe.mtb, category: 'admission', subject } as const;
    if (!levelRefuses(target.podSecurity, probe)) {
      const why = `its podSecurity is ${target.podSecurity}, which allows ${probe.asks} (its organization allows that level)`;
      results.push({ ...base, status: 'not-run', expected: why });
      continue;
    }
    const answer = await dryRun(client, { verb: 'create', object: probePod(namespace, probe) });
    const fix = `the namespace's pod-security.kubernetes.io/enforce label must be ${target.podSecurity}: reconcile the Space (kubectl get ns ${namespace} --show-labels)`;
    results.push(refusedOrNot(base, answer, probe.asks, fix));
  }
  const other = { id: 'pods.other-runtime-refused', category: 'admission', subject } as const;
  if (!target.sandboxed)
    results.push({ ...other, status: 'not-run', expected: 'the Space has sandbox: none, which its organization allows' });
  else if (setting.otherClass === undefined)
    results.push({ ...other, status: 'not-run', expected: `no RuntimeClass besides ${setting.sandboxClass} exists for a pod to ask for` });
  else {
    const answer = await dryRun(client, { verb: 'create', object: otherRuntimePod(namespace, setting.otherClass) });
    const fix = 'the ValidatingAdmissionPolicy spacekit-sandbox-enforce or its binding is missing or changed: run `spacekit install`';
    results.push(refusedOrNot(other, answer, `runtimeClassName ${setting.otherClass}`, fix));
  }
  const nodePort = { id: 'services.node-port-refused', mtb: 'MTB-PL1-BC-HI-2', category: 'admission', subject } as const;
  if (target.nodePorts > 0)
    results.push({ ...nodePort, status: 'not-run', expected: `its allocation grants ${target.nodePorts} NodePorts` });
  else {
    const answer = await dryRun(client, { verb: 'create', object: nodePortService(namespace) });
    const fix = `the Space's quota must hold services.nodeports: 0: reconcile the Space (kubectl get resourcequota -n ${namespace})`;
    results.push(refusedOrNot(nodePort, answer, 'a NodePort', fix));
  }
  return results;
}

/**
 * For every Space: the MTB profile-level-1 pod checks by server-side dry run
 * (nothing is created), each where the Space's Pod Security level promises
 * it; the gVisor sandbox set on a pod that names no class and refused to one
 * that names another; and NodePort Services refused.
 */
export async function checkPods(client: KubeClient, targets: readonly PodTarget[], setting: PodSetting): Promise<CheckResult[]> {
  // A few Spaces at a time: each sends a dozen dry runs.
  return (
    await pooled(
      targets.map((t) => () => checkSpace(client, t, setting)),
      4,
    )
  ).flat();
}
