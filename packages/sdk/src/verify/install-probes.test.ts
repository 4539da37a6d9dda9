import { describe, expect, it } from 'vitest';
import { objectKey } from '../apply/index.ts';
import { renderInstall } from '../install/index.ts';
import { DEFAULT_SETTINGS, LABELS } from '../model/index.ts';
import type { KubeObject } from '../render/index.ts';
import { checkInstall, checkLeftovers, checkPoliciesBound } from './install.ts';
import { runsPods } from './live.ts';
import { compliantPod, levelRefuses, POD_PROBES, probePod } from './probes.ts';

const installed = renderInstall(DEFAULT_SETTINGS) as unknown as KubeObject[];
const ofKind = (kind: string) => installed.filter((o) => o.kind === kind);

describe('checkInstall', () => {
  it('passes what install applies, and names a missing binding and a changed field', () => {
    const live = new Map(installed.map((o) => [objectKey(o), structuredClone(o)]));
    expect(checkInstall(installed, live).every((r) => r.status === 'passed')).toBe(true);
    const [binding] = ofKind('MutatingAdmissionPolicyBinding');
    const [policy] = ofKind('ValidatingAdmissionPolicy');
    if (!binding || !policy) throw new Error('install renders no sandbox binding or validating policy');
    live.delete(objectKey(binding));
    live.set(objectKey(policy), { ...policy, spec: { ...(policy.spec as object), failurePolicy: 'Ignore' } });
    const failed = checkInstall(installed, live).filter((r) => r.status === 'failed');
    expect(failed.map((r) => [r.subject, r.seen])).toEqual([
      [`MutatingAdmissionPolicyBinding ${binding.metadata.name}`, 'no such object'],
      [`ValidatingAdmissionPolicy ${policy.metadata.name}`, 'spec.failurePolicy = "Ignore"'],
    ]);
  });
});

describe('checkPoliciesBound', () => {
  const policies = [...ofKind('MutatingAdmissionPolicy'), ...ofKind('ValidatingAdmissionPolicy')];
  const bindings = [...ofKind('MutatingAdmissionPolicyBinding'), ...ofKind('ValidatingAdmissionPolicyBinding')];

  it('passes every policy install renders, each with its binding', () => {
    expect(policies.length).toBeGreaterThan(2);
    expect(checkPoliciesBound(policies, bindings).map((r) => r.status)).toEqual(policies.map(() => 'passed'));
  });

  it('fails the sandbox mutation once its binding is gone; a binding of the other kind does not count', () => {
    const mutating = policies.find((p) => p.kind === 'MutatingAdmissionPolicy');
    const others = bindings.filter((b) => b.kind !== 'MutatingAdmissionPolicyBinding');
    const misfiled = { ...others[0], spec: { policyName: mutating?.metadata.name } } as KubeObject;
    const results = checkPoliciesBound(policies, [...others, misfiled]);
    expect(results.filter((r) => r.status === 'failed').map((r) => [r.subject, r.seen])).toEqual([
      [`MutatingAdmissionPolicy ${mutating?.metadata.name}`, 'no MutatingAdmissionPolicyBinding names it'],
    ]);
  });
});

describe('checkLeftovers', () => {
  const labelled = (kind: string, name: string, org: string, deleting = false): KubeObject => ({
    apiVersion: 'v1',
    kind,
    metadata: { name, labels: { [LABELS.organization]: org }, ...(deleting && { deletionTimestamp: '2026-12-04T00:00:00Z' }) },
  });

  it('fails only what an organization that no longer exists left behind, and not what is on its way out', () => {
    const results = checkLeftovers(new Set(['acme']), [
      labelled('ClusterRoleBinding', 'acme-readers', 'acme'),
      labelled('ClusterRoleBinding', 'gone-readers', 'gone'),
      labelled('Namespace', 'gone', 'gone', true),
    ]);
    expect(results.map((r) => [r.subject, r.status])).toEqual([
      ['ClusterRoleBinding acme-readers', 'passed'],
      ['ClusterRoleBinding gone-readers', 'failed'],
      ['Namespace gone', 'passed'],
    ]);
    expect(results[1]?.fix).toBe(
      'delete it (kubectl delete clusterrolebinding gone-readers); if the organization is meant to exist, create it again',
    );
  });
});

describe('pod probes', () => {
  it('each breaks its one rule on a pod that is otherwise the compliant one', () => {
    const control = JSON.stringify(compliantPod('ns'));
    for (const probe of POD_PROBES) expect(JSON.stringify(probePod('ns', probe)), probe.id).not.toBe(control);
    expect(new Set(POD_PROBES.map((p) => p.id)).size).toBe(POD_PROBES.length);
  });

  it('a privileged probe does not also forbid escalation, which the API would refuse as invalid rather than admission', () => {
    const probe = POD_PROBES.find((p) => p.id === 'pods.privileged-refused');
    if (!probe) throw new Error('no privileged probe');
    expect(probePod('ns', probe).spec.containers[0].securityContext).toEqual({ privileged: true });
  });

  it('applies where the Space is at least as strict as the weakest level that refuses', () => {
    const byId = (id: string) => POD_PROBES.find((p) => p.id === id) as (typeof POD_PROBES)[number];
    expect(levelRefuses('restricted', byId('pods.run-as-root-refused'))).toBe(true);
    expect(levelRefuses('baseline', byId('pods.run-as-root-refused'))).toBe(false);
    expect(levelRefuses('baseline', byId('pods.host-path-refused'))).toBe(true);
    expect(levelRefuses('privileged', byId('pods.host-path-refused'))).toBe(false);
  });
});

describe('runsPods', () => {
  const node = (extra: { labels?: Record<string, string>; fake?: boolean; ready?: boolean; unschedulable?: boolean }): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n', labels: extra.labels ?? {}, ...(extra.fake && { annotations: { 'kwok.x-k8s.io/node': 'fake' } }) },
    spec: { unschedulable: extra.unschedulable ?? false },
    status: { conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }] },
  });

  it('counts only a Ready, schedulable node that is not a kwok stand-in and matches the selector', () => {
    expect(runsPods(node({}))).toBe(true);
    expect(runsPods(node({ fake: true }))).toBe(false);
    expect(runsPods(node({ ready: false }))).toBe(false);
    expect(runsPods(node({ unschedulable: true }))).toBe(false);
    expect(runsPods(node({ labels: { real: 'true' } }), { real: 'true' })).toBe(true);
    expect(runsPods(node({}), { real: 'true' })).toBe(false);
  });
});
