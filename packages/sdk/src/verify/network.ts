import { LABELS, MANAGER } from '../model/index.ts';
import type { KubeObject } from '../render/index.ts';
import type { CheckResult } from './report.ts';

// Which namespaces a Space's NetworkPolicies let in, worked out as the network plugin would from the
// policies' peers and the namespaces' labels. Pure: the caller lists the policies and namespaces.

type Requirement = { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] };
/** A Kubernetes label selector. */
export type LabelSelector = { matchLabels?: Record<string, string>; matchExpressions?: Requirement[] };
type Peer = { podSelector?: LabelSelector; namespaceSelector?: LabelSelector; ipBlock?: { cidr: string } };
type PolicySpec = { policyTypes?: string[]; ingress?: { from?: Peer[] }[] };

/** Whether `labels` satisfy `selector`, as apimachinery's LabelSelectorAsSelector decides it; an empty selector matches everything. */
export function matchesSelector(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const r of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, r.key);
    const inValues = has && (r.values ?? []).includes(labels[r.key] as string);
    if (r.operator === 'In' && !inValues) return false;
    if (r.operator === 'NotIn' && inValues) return false;
    if (r.operator === 'Exists' && !has) return false;
    if (r.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** What a set of policies lets in: `everything` (a rule with no peers, or an ipBlock of the whole address space), or the namespaces it selects. */
export type Admitted = { everything: true; why: string } | { everything: false; namespaces: Set<string> };

/** The namespaces `policies` admit ingress from, among `namespaces` (name → labels); a peer without a namespace selector is the policy's own namespace. */
export function admittedBy(policies: readonly KubeObject[], namespaces: ReadonlyMap<string, Record<string, string>>): Admitted {
  const admitted = new Set<string>();
  for (const policy of policies) {
    const spec = (policy.spec ?? {}) as PolicySpec;
    const isIngress = spec.policyTypes ? spec.policyTypes.includes('Ingress') : true;
    if (!isIngress) continue;
    for (const rule of spec.ingress ?? []) {
      const name = `NetworkPolicy ${policy.metadata.name}`;
      if (!rule.from || rule.from.length === 0)
        return { everything: true, why: `${name} has an ingress rule without peers, which admits every source` };
      for (const peer of rule.from) {
        if (peer.ipBlock) {
          if (/\/0$/.test(peer.ipBlock.cidr)) return { everything: true, why: `${name} admits ipBlock ${peer.ipBlock.cidr}` };
          continue;
        }
        if (!peer.namespaceSelector) {
          admitted.add(policy.metadata.namespace ?? '');
          continue;
        }
        for (const [ns, labels] of namespaces) if (matchesSelector(peer.namespaceSelector, labels)) admitted.add(ns);
      }
    }
  }
  return { everything: false, namespaces: admitted };
}

/** A Space as this check sees it: its namespace, and the NetworkPolicies Spacekit renders for it. */
export interface NetworkTarget {
  subject: string;
  namespace: string;
  rendered: readonly KubeObject[];
}

/**
 * For every Space: no NetworkPolicy besides Spacekit's own lets in a namespace that Spacekit's policies do
 * not (another tenant's Space, say), nor every source. NetworkPolicies add up, so one policy a member
 * writes opens the Space whatever Spacekit's say; members may write them, and this says where one has.
 */
export function checkNetworkPolicies(
  targets: readonly NetworkTarget[],
  live: readonly KubeObject[],
  namespaces: ReadonlyMap<string, Record<string, string>>,
): CheckResult[] {
  return targets.map((target): CheckResult => {
    const base = { id: 'network.policies-isolate', category: 'network', subject: target.subject } as const;
    const others = live.filter((p) => p.metadata.namespace === target.namespace && p.metadata.labels?.[LABELS.managedBy] !== MANAGER);
    const allowed = admittedBy(target.rendered, namespaces);
    if (allowed.everything) return { ...base, status: 'passed' };
    const opens = others.flatMap((policy) => {
      const granted = admittedBy([policy], namespaces);
      if (granted.everything) return [granted.why];
      const extra = [...granted.namespaces].filter((ns) => !allowed.namespaces.has(ns)).sort();
      if (extra.length === 0) return [];
      const shown = `${extra.slice(0, 5).join(', ')}${extra.length > 5 ? `, and ${extra.length - 5} more` : ''}`;
      return [`NetworkPolicy ${policy.metadata.name} also lets in namespace${extra.length > 1 ? 's' : ''} ${shown}`];
    });
    if (opens.length === 0) return { ...base, status: 'passed' };
    return {
      ...base,
      status: 'failed',
      expected:
        "only the namespaces the Space's spec lets in (its own, the ingress controller's, its peers') may open connections to its pods",
      seen: opens.join('; '),
      fix: `narrow or delete it (kubectl get networkpolicies -n ${target.namespace}); to let another Space in, name it among the Space's peers instead`,
    };
  });
}
