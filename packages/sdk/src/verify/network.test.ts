import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../render/index.ts';
import { admittedBy, checkNetworkPolicies, matchesSelector } from './network.ts';

const policy = (name: string, namespace: string, spec: Record<string, unknown>, managed = false): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace, ...(managed && { labels: { 'app.kubernetes.io/managed-by': 'spacekit' } }) },
  spec,
});
const namespaces = new Map<string, Record<string, string>>([
  ['acme-pay-dev', { 'kubernetes.io/metadata.name': 'acme-pay-dev', 'spacekit.dev/tenant': 'pay', team: 'a' }],
  ['acme-pay-qa', { 'kubernetes.io/metadata.name': 'acme-pay-qa', 'spacekit.dev/tenant': 'pay' }],
  ['other-x-y', { 'kubernetes.io/metadata.name': 'other-x-y', 'spacekit.dev/tenant': 'x', team: 'b' }],
  ['ingress-nginx', { 'kubernetes.io/metadata.name': 'ingress-nginx' }],
]);
const rendered = [
  policy('spacekit-allow-same-space', 'acme-pay-dev', { policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] }, true),
  policy(
    'spacekit-allow-ingress-controller',
    'acme-pay-dev',
    {
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] }],
    },
    true,
  ),
];
const target = { subject: 'space acme/pay/dev', namespace: 'acme-pay-dev', rendered };

describe('matchesSelector', () => {
  it('matches labels and every expression operator as apimachinery does', () => {
    const labels = { a: '1', b: '2' };
    expect(matchesSelector({}, labels)).toBe(true);
    expect(matchesSelector({ matchLabels: { a: '1' } }, labels)).toBe(true);
    expect(matchesSelector({ matchLabels: { a: '2' } }, labels)).toBe(false);
    expect(matchesSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '3'] }] }, labels)).toBe(true);
    expect(matchesSelector({ matchExpressions: [{ key: 'c', operator: 'In', values: ['1'] }] }, labels)).toBe(false);
    expect(matchesSelector({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, labels)).toBe(false);
    expect(matchesSelector({ matchExpressions: [{ key: 'c', operator: 'NotIn', values: ['1'] }] }, labels)).toBe(true);
    expect(matchesSelector({ matchExpressions: [{ key: 'b', operator: 'Exists' }] }, labels)).toBe(true);
    expect(matchesSelector({ matchExpressions: [{ key: 'b', operator: 'DoesNotExist' }] }, labels)).toBe(false);
  });
});

describe('admittedBy', () => {
  it("counts a peer without a namespace selector as the policy's own namespace", () => {
    const a = admittedBy(rendered, namespaces);
    expect(a.everything).toBe(false);
    expect(a.everything === false && [...a.namespaces].sort()).toEqual(['acme-pay-dev', 'ingress-nginx']);
  });
  it('says everything for a rule without peers or an ipBlock of the whole address space', () => {
    expect(admittedBy([policy('open', 'acme-pay-dev', { ingress: [{}] })], namespaces).everything).toBe(true);
    const ip = admittedBy([policy('ip', 'acme-pay-dev', { ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] })], namespaces);
    expect(ip).toMatchObject({ everything: true, why: 'NetworkPolicy ip admits ipBlock 0.0.0.0/0' });
  });
  it('ignores egress-only policies', () => {
    expect(admittedBy([policy('out', 'acme-pay-dev', { policyTypes: ['Egress'], egress: [{}] })], namespaces)).toEqual({
      everything: false,
      namespaces: new Set(),
    });
  });
});

describe('checkNetworkPolicies', () => {
  it("passes a Space whose members' policies stay inside what its spec lets in", () => {
    const own = policy('web', 'acme-pay-dev', { ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] });
    const [r] = checkNetworkPolicies([target], [...rendered, own], namespaces);
    expect(r?.status).toBe('passed');
  });
  it('names the policy that lets in every namespace, and how many beyond the spec', () => {
    const all = policy('allow-all-namespaces', 'acme-pay-dev', { ingress: [{ from: [{ namespaceSelector: {} }] }] });
    const [r] = checkNetworkPolicies([target], [...rendered, all], namespaces);
    expect(r).toMatchObject({
      id: 'network.policies-isolate',
      status: 'failed',
      seen: 'NetworkPolicy allow-all-namespaces also lets in namespaces acme-pay-qa, other-x-y',
    });
  });
  it('names a rule that admits every source', () => {
    const [r] = checkNetworkPolicies([target], [policy('open', 'acme-pay-dev', { ingress: [{}] })], namespaces);
    expect(r?.seen).toBe('NetworkPolicy open has an ingress rule without peers, which admits every source');
  });
  it("does not judge Spacekit's own policies or another namespace's", () => {
    const forged = policy('x', 'acme-pay-dev', { ingress: [{}] }, true);
    const elsewhere = policy('y', 'other-x-y', { ingress: [{}] });
    expect(checkNetworkPolicies([target], [forged, elsewhere], namespaces)[0]?.status).toBe('passed');
  });
});
