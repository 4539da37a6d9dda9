import { API_GROUP } from '../model/index.ts';
import { HttpMethod, type KubeClient } from '../kube/index.ts';

/**
 * Who provisions what this connection asks for.
 * - `embedded`: this process does, at once (it needs the rights to write
 *   namespaces and its parents' ledgers: a cluster admin, a CI robot).
 * - `operator`: the in-cluster operator does; this process writes the
 *   Spacekit object and waits for its status (a tenant or organization admin
 *   with no cluster rights).
 * - `auto` (the default): embedded where the caller's RBAC allows it,
 *   through the operator elsewhere; decided per parent and remembered.
 */
export type ProvisioningMode = 'auto' | 'embedded' | 'operator';

/** The parent whose ledger a change writes: the Organization for Tenants (and itself), the Tenant for Spaces. */
export interface LedgerOwner {
  resource: 'organizations' | 'tenants';
  namespace?: string;
  name: string;
}

/** Decides, per parent, whether this connection provisions by itself. */
export class Provisioning {
  readonly mode: ProvisioningMode;
  readonly #client: KubeClient;
  readonly #decided = new Map<string, Promise<boolean>>();

  constructor(client: KubeClient, mode: ProvisioningMode) {
    this.#client = client;
    this.mode = mode;
  }

  /**
   * True when this connection should provision a change under `owner`
   * itself: in `auto`, when RBAC lets the caller create namespaces and write
   * the owner's ledger, as two SelfSubjectAccessReviews (which every
   * authenticated user may make, and which change nothing).
   */
  embedded(owner: LedgerOwner): Promise<boolean> {
    if (this.mode !== 'auto') return Promise.resolve(this.mode === 'embedded');
    const key = `${owner.resource}/${owner.namespace ?? ''}/${owner.name}`;
    let decided = this.#decided.get(key);
    if (!decided) {
      decided = Promise.all([
        this.#allowed({
          group: API_GROUP,
          resource: owner.resource,
          subresource: 'status',
          verb: 'update',
          name: owner.name,
          ...(owner.namespace && { namespace: owner.namespace }),
        }),
        this.#allowed({ group: '', resource: 'namespaces', verb: 'create' }),
      ]).then(([ledger, namespaces]) => ledger && namespaces);
      // A failed review is not an answer; ask again next time.
      decided.catch(() => this.#decided.delete(key));
      this.#decided.set(key, decided);
    }
    return decided;
  }

  async #allowed(resourceAttributes: Record<string, string>): Promise<boolean> {
    const review = await this.#client.raw.request<{ status?: { allowed?: boolean } }>(
      HttpMethod.POST,
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      { body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes } } },
    );
    return review.status?.allowed === true;
  }
}
