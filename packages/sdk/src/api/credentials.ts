import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { ValidationError } from '../errors.ts';
import type { EngineContext } from '../engine/context.ts';
import { HttpMethod, toSpacekitError } from '../kube/index.ts';
import { nameProblem, spaceNamespace } from '../model/index.ts';
import { CLUSTER_ROLES } from '../render/index.ts';
import { Access } from './access.ts';
import type { SpaceRef } from './inputs.ts';

/** The role a credential gets in its Space. */
export type CredentialRole = 'developer' | 'viewer';

/** Options for {@link spaceCredentials}. */
export interface CredentialOptions {
  /** The ServiceAccount to use or make in the Space's namespace. Default `spacekit-user`. */
  serviceAccount?: string;
  /** What it may do there: `developer` (deploy and change workloads) or `viewer`. Default `developer`. */
  role?: CredentialRole;
  /** How long the token is valid. Default 3600 (one hour); Kubernetes allows 600 at least. */
  expirationSeconds?: number;
}

/** Credentials that work in one Space and nowhere else. */
export interface ScopedCredentials {
  namespace: string;
  serviceAccount: string;
  /** The bound ServiceAccount token (a JWT). */
  token: string;
  /** When the token stops working (ISO 8601). */
  expiresAt: string;
  /** A kubeconfig file's text, whose context defaults to the Space's namespace. */
  kubeconfig: string;
  /** The same, loaded, for `makeApiClient` or `connect({ kubeconfig })`. */
  kubeConfig: KubeConfig;
}

const ROLE_FOR: Record<CredentialRole, string> = { developer: CLUSTER_ROLES.developer, viewer: CLUSTER_ROLES.viewer };

/**
 * Makes a ServiceAccount in a Space's namespace, binds it to the Space's
 * developer (or viewer) role there only, and requests a bound token for it
 * (TokenRequest, with an expiry): credentials that work inside that Space
 * and are refused everywhere else, cluster scope included. The caller needs
 * to be an admin of the Space (a Space, tenant or organization admin).
 *
 * The ServiceAccount and its RoleBinding are not Spacekit-managed objects:
 * they go with the namespace when the Space is deleted.
 *
 * @throws {ValidationError} for a bad ServiceAccount name or expiry; {@link ForbiddenError} without admin rights in the Space.
 */
export async function spaceCredentials(ctx: EngineContext, ref: SpaceRef, options: CredentialOptions = {}): Promise<ScopedCredentials> {
  const namespace = spaceNamespace(ref.organization, ref.tenant, ref.name);
  const serviceAccount = options.serviceAccount ?? 'spacekit-user';
  const role = options.role ?? 'developer';
  const expirationSeconds = options.expirationSeconds ?? 3600;
  const issues = [];
  const problem = nameProblem('ServiceAccount', serviceAccount);
  if (problem) issues.push({ path: 'serviceAccount', message: problem });
  if (!Number.isInteger(expirationSeconds) || expirationSeconds < 600) {
    issues.push({
      path: 'expirationSeconds',
      message: `${expirationSeconds} is too short: Kubernetes issues tokens for 600 seconds or more`,
    });
  }
  if (!(role in ROLE_FOR)) issues.push({ path: 'role', message: `role is developer or viewer, not "${role}"` });
  if (issues.length > 0) throw new ValidationError('credentials', issues);

  const client = ctx.client;
  try {
    await client.apply({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: serviceAccount, namespace },
      automountServiceAccountToken: false,
    });
    await client.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `spacekit-credentials-${serviceAccount}`, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: ROLE_FOR[role] },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace }],
    });
    client.countWrite('TokenRequest', 'create');
    const request = await client.raw.request<{ status: { token: string; expirationTimestamp: string } }>(
      HttpMethod.POST,
      `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`,
      { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [], expirationSeconds } } },
    );
    const kubeconfig = scopedKubeconfig(
      client.kubeConfig,
      namespace,
      `${ref.organization}-${ref.tenant}-${ref.name}`,
      request.status.token,
    );
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeconfig);
    return {
      namespace,
      serviceAccount,
      token: request.status.token,
      expiresAt: request.status.expirationTimestamp,
      kubeconfig,
      kubeConfig,
    };
  } catch (err) {
    throw toSpacekitError(err, `issue credentials for space ${ref.organization}/${ref.tenant}/${ref.name}`);
  }
}

/** How a Space kubeconfig authenticates: with credentials issued for the Space, or as the caller. */
export type CredentialIdentity = 'issued' | 'own';

/** Options for `kit.spaces.kubeconfig`. */
export interface SpaceKubeconfigOptions extends CredentialOptions {
  /**
   * `issued`: a ServiceAccount of the Space with a bound token, which needs
   * the right to issue it ({@link spaceCredentials}). `own`: the caller's own
   * credentials with the Space as the default namespace, which needs no
   * rights and grants none. `auto` (the default): issued when the caller may
   * issue credentials in the Space, else own.
   */
  identity?: CredentialIdentity | 'auto';
}

/** A kubeconfig whose context works in one Space by default. */
export type SpaceKubeconfig =
  | ({ identity: 'issued' } & ScopedCredentials)
  | {
      identity: 'own';
      namespace: string;
      /** The kubeconfig user whose credentials it carries (its name in the caller's kubeconfig). */
      user: string;
      kubeconfig: string;
      kubeConfig: KubeConfig;
    };

/**
 * The kubeconfig `kit.spaces.kubeconfig` hands out for a Space the caller can read: issued
 * credentials ({@link spaceCredentials}) when `identity` asks for them or, with `auto`, when the
 * caller may issue them; else the caller's own ({@link ownKubeconfig}). Either way it grants no
 * right the caller does not have.
 *
 * @throws {ForbiddenError} when `identity: 'issued'` is asked without the right.
 */
export async function spaceKubeconfig(ctx: EngineContext, ref: SpaceRef, options: SpaceKubeconfigOptions = {}): Promise<SpaceKubeconfig> {
  const { identity = 'auto', ...credentialOptions } = options;
  const space = { organization: ref.organization, tenant: ref.tenant, space: ref.name };
  const issue = identity === 'issued' || (identity === 'auto' && (await new Access(ctx.client).rights(space)).issueCredentials);
  if (issue) return { identity: 'issued', ...(await spaceCredentials(ctx, ref, credentialOptions)) };
  const namespace = spaceNamespace(ref.organization, ref.tenant, ref.name);
  const own = ownKubeconfig(ctx.client.kubeConfig, namespace);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(own.kubeconfig);
  return { identity: 'own', namespace, user: own.user, kubeconfig: own.kubeconfig, kubeConfig };
}

/**
 * The caller's current context alone, with `namespace` as its default: the
 * same cluster and the same credentials (inline data stays inline, files stay
 * files, exec plugins stay exec plugins), so it can do exactly what the
 * caller can and no more.
 */
export function ownKubeconfig(from: KubeConfig, namespace: string): { kubeconfig: string; user: string } {
  const context = from.getContextObject(from.getCurrentContext());
  const cluster = from.getCurrentCluster();
  const user = from.getCurrentUser();
  if (!context || !cluster || !user) {
    throw new ValidationError('kubeconfig', [
      { path: 'current-context', message: 'the kubeconfig has no current context with a cluster and a user' },
    ]);
  }
  const narrowed = new KubeConfig();
  narrowed.loadFromOptions({ clusters: [cluster], users: [user], contexts: [{ ...context, namespace }], currentContext: context.name });
  return { kubeconfig: narrowed.exportConfig(), user: user.name };
}

/** A kubeconfig for the current cluster that authenticates with `token` and works in `namespace` by default. */
export function scopedKubeconfig(from: KubeConfig, namespace: string, name: string, token: string): string {
  const cluster = from.getCurrentCluster();
  if (!cluster) throw new ValidationError('kubeconfig', [{ path: 'current-context', message: 'the kubeconfig has no current cluster' }]);
  const ca = cluster.caData ?? (cluster.caFile ? readFileSync(cluster.caFile).toString('base64') : undefined);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: cluster.server,
          ...(ca ? { 'certificate-authority-data': ca } : {}),
          ...(cluster.skipTLSVerify && { 'insecure-skip-tls-verify': true }),
        },
      },
    ],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace } }],
    'current-context': name,
  });
}
