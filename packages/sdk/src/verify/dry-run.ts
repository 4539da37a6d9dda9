import type { KubernetesObject } from '@kubernetes/client-node';
import { HttpMethod, type KubeClient, serverMessage, statusCode } from '../kube/index.ts';

/** What the API server made of a dry-run write: admitted (with the object as it would be stored), refused, or an error that decides nothing. */
export type DryRunAnswer =
  | { outcome: 'admitted'; object: Record<string, unknown> | undefined }
  | { outcome: 'refused'; message: string }
  | { outcome: 'error'; message: string };

/** Who a dry run is sent as; undefined for the caller itself. */
export type Identity = { user: string; groups: string[] } | undefined;

/** A write as the server sees it: what, where, and with which body. */
export type DryRunWrite =
  | { verb: 'create'; object: KubernetesObject }
  | { verb: 'delete'; object: KubernetesObject }
  | { verb: 'patch'; object: KubernetesObject; patch: unknown };

// 403: RBAC, Pod Security, quota. 422: an admission policy's denial or a value the API refuses.
const REFUSED = new Set([403, 422]);

/**
 * Sends one write with `dryRun=All`: every admission plugin and policy runs,
 * nothing is stored. The answer says whether it would have been admitted.
 */
export async function dryRun(client: KubeClient, write: DryRunWrite, as: Identity = undefined): Promise<DryRunAnswer> {
  const action = write.verb === 'create' ? 'create' : write.verb === 'delete' ? 'delete' : 'patch';
  const path = await client.raw.path(write.object, action);
  const impersonate = as && { impersonate: as };
  try {
    const query = { dryRun: 'All' };
    let object: Record<string, unknown> | undefined;
    if (write.verb === 'create') object = await client.raw.request(HttpMethod.POST, path, { query, body: write.object, ...impersonate });
    else if (write.verb === 'delete') object = await client.raw.request(HttpMethod.DELETE, path, { query, ...impersonate });
    else
      object = await client.raw.request(HttpMethod.PATCH, path, {
        query,
        body: write.patch,
        contentType: 'application/merge-patch+json',
        ...impersonate,
      });
    return { outcome: 'admitted', object };
  } catch (err) {
    const code = statusCode(err);
    if (code !== undefined && REFUSED.has(code)) return { outcome: 'refused', message: serverMessage(err) };
    return { outcome: 'error', message: `${code ?? 'no answer'}: ${serverMessage(err)}` };
  }
}
