import type { ClusterSettings } from '../model/index.ts';

/** The namespace whose DNS pods every Space may reach. */
export const DNS_NAMESPACE = 'kube-system';

/** A namespace the network policies of every Space select by its name, and what that lets it do. */
export interface SelectedNamespace {
  namespace: string;
  /** What the policies grant it, for the refusal of a level that would take its name. */
  grants: string;
}

/**
 * The namespaces that every Space's network policies select by name: the
 * ingress controller's, whose pods may reach every Space, and the cluster
 * DNS's, which every Space may reach. A Spacekit level whose namespace took
 * one of these names would be let into (or reached from) every Space of
 * every tenant, so none may.
 */
export function namespacesSelectedByName(settings: Pick<ClusterSettings, 'ingressNamespace'>): SelectedNamespace[] {
  return [
    {
      namespace: settings.ingressNamespace,
      grants: "is the ingress controller's (the ingressNamespace setting): every Space admits traffic from its pods",
    },
    { namespace: DNS_NAMESPACE, grants: 'is where the cluster DNS runs: every Space may send traffic to it' },
  ];
}

/**
 * Why a level named `name`, whose namespace would be `namespace`, must not
 * be made, or undefined when it may: its namespace would be one that every
 * Space's network policies select by name.
 */
export function selectedNamespaceProblem(
  kind: 'organization' | 'tenant' | 'space',
  name: string,
  namespace: string,
  settings: Pick<ClusterSettings, 'ingressNamespace'>,
): string | undefined {
  const hit = namespacesSelectedByName(settings).find((s) => s.namespace === namespace);
  if (!hit) return undefined;
  return `${kind} name "${name}" would make namespace "${namespace}", which ${hit.grants}, so whatever ran in it would be let through to every Space of every tenant; choose another name`;
}
