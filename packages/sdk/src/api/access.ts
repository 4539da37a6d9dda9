import type { KubeClient } from '../kube/index.ts';
import { HttpMethod, toSpacekitError } from '../kube/index.ts';
import { type ResourceAttributes, type ResourceRule, rulesAllow } from '../kube/rules.ts';
import { API_GROUP, spaceNamespace, tenantNamespace } from '../model/index.ts';
import type { UsageScope } from '../usage/index.ts';

/** What a caller may do at one Organization, Tenant or Space, as far as Spacekit's own actions go. */
export interface Rights {
  /** Create Spaces in this Tenant (Tenants only). */
  createSpace: boolean;
  /** Change this Space's size, members, network or sandbox (Spaces only). */
  updateSpace: boolean;
  /** Delete this Space (Spaces only). */
  deleteSpace: boolean;
  /**
   * Issue Space-scoped credentials, a ServiceAccount bound to the Space's
   * role with a bound token (Spaces only). Without it, a caller's own
   * identity is what works in the Space; see `kit.spaces.kubeconfig`.
   */
  issueCredentials: boolean;
  /** Whether the server said its answer may be incomplete (an authorizer other than RBAC). Rights missing from it may still be granted. */
  incomplete: boolean;
}

const NONE: Rights = { createSpace: false, updateSpace: false, deleteSpace: false, issueCredentials: false, incomplete: false };

interface RulesReview {
  status?: { resourceRules?: ResourceRule[]; incomplete?: boolean };
}

/**
 * The requests Spacekit makes to issue credentials in a Space's namespace:
 * server-side apply of a ServiceAccount and a RoleBinding (patch, and create
 * when they do not exist yet), then a TokenRequest.
 */
const CREDENTIAL_REQUESTS: readonly ResourceAttributes[] = [
  { verb: 'patch', group: '', resource: 'serviceaccounts' },
  { verb: 'create', group: '', resource: 'serviceaccounts' },
  { verb: 'patch', group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
  { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
  { verb: 'create', group: '', resource: 'serviceaccounts/token' },
];

/**
 * Asks the API server what the caller may do, with one
 * SelfSubjectRulesReview per namespace involved: the answer is the caller's
 * own RBAC rules, so it needs no rights and reveals nothing about others.
 * Obtain it as `kit.access`.
 */
export class Access {
  readonly #client: KubeClient;

  constructor(client: KubeClient) {
    this.#client = client;
  }

  /** The caller's rules in one namespace. */
  async rules(namespace: string): Promise<{ rules: ResourceRule[]; incomplete: boolean }> {
    try {
      const review = await this.#client.raw.request<RulesReview>(HttpMethod.POST, '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
      });
      return { rules: review.status?.resourceRules ?? [], incomplete: review.status?.incomplete ?? false };
    } catch (err) {
      throw toSpacekitError(err, `review your rights in namespace ${namespace}`);
    }
  }

  /**
   * What the caller may do at a scope. An Organization has none of these
   * actions; a Tenant has {@link Rights.createSpace}; a Space the rest.
   */
  async rights(scope: UsageScope): Promise<Rights> {
    const { organization, tenant, space } = scope;
    if (tenant === undefined) return { ...NONE };
    const parent = await this.rules(tenantNamespace(organization, tenant));
    const spaces = (verb: string, name?: string) =>
      rulesAllow(parent.rules, { verb, group: API_GROUP, resource: 'spaces', ...(name !== undefined && { name }) });
    if (space === undefined) return { ...NONE, createSpace: spaces('create'), incomplete: parent.incomplete };
    const own = await this.rules(spaceNamespace(organization, tenant, space));
    return {
      ...NONE,
      updateSpace: spaces('get', space) && spaces('update', space),
      deleteSpace: spaces('get', space) && spaces('delete', space),
      issueCredentials: CREDENTIAL_REQUESTS.every((request) => rulesAllow(own.rules, request)),
      incomplete: parent.incomplete || own.incomplete,
    };
  }
}
