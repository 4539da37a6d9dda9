import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/index.ts';
import { OBJECT_NAMES } from '../render/index.ts';
import { describe, identity, isHome, type Member } from './access.ts';
import { pooled } from '../util/pool.ts';
import { type DryRunWrite, dryRun } from './dry-run.ts';
import type { CheckResult } from './report.ts';
import { existingVolumeClaim } from './storage.ts';

// What a tenant's own members may not change in their own Space: the quota that caps them, and the objects
// through which Spacekit keeps them apart. Asked as each member (impersonated), by server-side dry run, so
// that RBAC and Spacekit's admission policies both have their say and nothing changes.

/** A Space as these checks see it. */
export interface ProtectedTarget {
  o: string;
  t: string;
  s: string;
  namespace: string;
}

interface Attempt {
  does: string;
  write: DryRunWrite;
}

const object = (apiVersion: string, kind: string, name: string, namespace?: string): KubernetesObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace !== undefined && { namespace }) },
});

function quotaAttempts(ns: string): Attempt[] {
  const quota = object('v1', 'ResourceQuota', OBJECT_NAMES.quota, ns);
  return [
    {
      does: `raise ${OBJECT_NAMES.quota}'s requests.cpu`,
      write: { verb: 'patch', object: quota, patch: { spec: { hard: { 'requests.cpu': '1000' } } } },
    },
    { does: `delete ${OBJECT_NAMES.quota}`, write: { verb: 'delete', object: quota } },
  ];
}

function spacekitObjectAttempts(ns: string): Attempt[] {
  return [
    {
      does: `delete NetworkPolicy ${OBJECT_NAMES.denyAll}`,
      write: { verb: 'delete', object: object('networking.k8s.io/v1', 'NetworkPolicy', OBJECT_NAMES.denyAll, ns) },
    },
    {
      does: `empty LimitRange ${OBJECT_NAMES.limitRange}`,
      write: { verb: 'patch', object: object('v1', 'LimitRange', OBJECT_NAMES.limitRange, ns), patch: { spec: { limits: [] } } },
    },
    {
      does: `relabel Namespace ${ns} to Pod Security privileged`,
      write: {
        verb: 'patch',
        object: object('v1', 'Namespace', ns),
        patch: { metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } },
      },
    },
  ];
}

/** The volume a probe claim names: whether it exists does not matter, since naming any volume is what is refused. */
const CLAIMED_VOLUME = 'spacekit-verify-existing-volume';

function volumeAttempts(ns: string): Attempt[] {
  return [
    {
      does: `create a PersistentVolumeClaim naming volume ${CLAIMED_VOLUME} (spec.volumeName)`,
      write: { verb: 'create', object: existingVolumeClaim(ns, CLAIMED_VOLUME) },
    },
  ];
}

const CHECKS: readonly {
  id: string;
  mtb?: string;
  category: 'access' | 'storage';
  attempts: (ns: string) => Attempt[];
  fix: string;
}[] = [
  {
    id: 'access.quota-unmodifiable',
    mtb: 'MTB-PL1-CC-TI-1',
    category: 'access',
    attempts: quotaAttempts,
    fix: 'find what lets them (kubectl auth can-i --as … update resourcequotas -n NAMESPACE), and run `spacekit install` to restore the protection policies',
  },
  {
    id: 'access.spacekit-objects-unmodifiable',
    mtb: 'MTB-PL1-BC-CPI-2',
    category: 'access',
    attempts: spacekitObjectAttempts,
    fix: 'run `spacekit install` to restore the ValidatingAdmissionPolicies spacekit-protect-*, and check who may update namespaces',
  },
  {
    id: 'storage.existing-volume-refused',
    category: 'storage',
    attempts: volumeAttempts,
    fix: 'run `spacekit install` to restore the ValidatingAdmissionPolicy spacekit-claims-new-volumes and its binding',
  },
];

/**
 * For every member and every Space under its levels: refused, as that
 * member, changing the Space's quota (MTB-PL1-CC-TI-1) and the objects
 * Spacekit keeps it apart with (MTB-PL1-BC-CPI-2), and claiming a volume
 * that exists by name (MTB profile level 1, pending: no binding of an existing PV).
 */
export async function checkProtected(
  client: KubeClient,
  members: readonly Member[],
  spaces: readonly ProtectedTarget[],
): Promise<CheckResult[]> {
  const tasks = members.flatMap((member) =>
    spaces
      .filter((x) => isHome(member, x.o, x.t, x.s))
      .flatMap((x) =>
        CHECKS.map((check) => async (): Promise<CheckResult> => {
          const subject = `${describe(member)} in space ${x.o}/${x.t}/${x.s}`;
          const base = { id: check.id, ...(check.mtb && { mtb: check.mtb }), category: check.category, subject };
          const attempts = check.attempts(x.namespace);
          const answers = await Promise.all(attempts.map((a) => dryRun(client, a.write, identity(member))));
          const admitted = attempts.filter((_, i) => answers[i]?.outcome === 'admitted').map((a) => a.does);
          const errors = answers.flatMap((a) => (a.outcome === 'error' ? [a.message] : []));
          if (admitted.length > 0)
            return {
              ...base,
              status: 'failed',
              expected: `refused: ${attempts.map((a) => a.does).join('; ')}`,
              seen: `admitted (server-side dry run): ${admitted.join('; ')}`,
              fix: check.fix,
            };
          if (errors.length > 0) return { ...base, status: 'not-run', expected: `a dry run got no decision: ${errors.join('; ')}` };
          return { ...base, status: 'passed' };
        }),
      ),
  );
  return pooled(tasks, 8);
}
