import { ValidationError, type ValidationIssue } from '../errors.ts';
import { CLUSTER_ROLES } from '../install/cluster-roles.ts';
import { INSTALL_LABELS } from '../install/labels.ts';
import { API_GROUP } from '../model/common.ts';
import type { ClusterSettings } from '../model/settings.ts';
import type { KubeObject } from '../render/objects.ts';
import {
  OPERATOR_LEADER_ELECTION_ROLE,
  OPERATOR_LEASE_NAME,
  OPERATOR_METRICS_SERVICE,
  OPERATOR_NAME,
  OPERATOR_NAMESPACE_DEFAULT,
  OPERATOR_SELECTOR_LABELS,
  OPERATOR_SERVICE_ACCOUNT,
  operatorClusterRoleName,
  operatorManagerEntry,
} from './names.ts';

/**
 * The version of `@spacekit/sdk` these manifests run. It must equal the
 * package's `version` (a unit test checks it): the image tag is part of a
 * pure render, so it cannot be read from package.json at run time.
 */
export const OPERATOR_VERSION = '0.1.0';

/** The image the operator Deployment runs unless told otherwise; its entrypoint is `spacekit`. */
export const OPERATOR_IMAGE_DEFAULT = `ghcr.io/spacekit/spacekit:${OPERATOR_VERSION}`;

/**
 * Node's heap settings for the operator, sized to its 256Mi limit: a small
 * young generation (the default, sized for a machine's memory, costs tens of
 * megabytes in a container for no gain to a mostly idle process) and an old
 * generation that collects well before the container is killed.
 */
export const OPERATOR_NODE_OPTIONS = '--max-semi-space-size=2 --max-old-space-size=192';

/**
 * The operator container's environment besides the pod's own fields: the
 * heap settings, and glibc's malloc held to two arenas. Node's threads
 * otherwise each get an arena that keeps what the initial sync freed, tens of
 * megabytes of resident memory that is never used again (measured by
 * `pnpm bench` at 5,000 Spaces).
 */
export const OPERATOR_ENV: Readonly<Record<string, string>> = { NODE_OPTIONS: OPERATOR_NODE_OPTIONS, MALLOC_ARENA_MAX: '2' };

/** The numeric user the operator runs as; Pod Security `restricted` needs a non-root user it can verify. */
export const OPERATOR_RUN_AS_USER = 65532;

/** Labels on every operator object: the install labels, so uninstall finds them, and the selector labels. */
export const OPERATOR_LABELS: Readonly<Record<string, string>> = Object.freeze({ ...INSTALL_LABELS, ...OPERATOR_SELECTOR_LABELS });

/**
 * The kinds {@link renderOperatorManifests} returns, in the order to apply
 * them; uninstall walks the list backwards. The namespace comes first because
 * everything namespaced lands in it; RBAC precedes the Deployment so its pods
 * never start without the rights they need; the Service comes last because
 * nothing waits for it.
 */
export const operatorManifestKinds = [
  { apiVersion: 'v1', kind: 'Namespace' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'v1', kind: 'Service' },
] as const;

/** One of {@link operatorManifestKinds}. */
export type OperatorManifestKind = (typeof operatorManifestKinds)[number];

/** What can be changed about the operator's installation; every field has a default. */
export interface OperatorManifestOptions {
  /** The namespace to run in; default {@link OPERATOR_NAMESPACE_DEFAULT}. */
  namespace?: string;
  /** The image, whose entrypoint must be `spacekit`; default {@link OPERATOR_IMAGE_DEFAULT}. */
  image?: string;
  /** Pods to run; one leads, the others stand by. Default 2; 0 keeps the Deployment scaled down, to run `spacekit operator` elsewhere. */
  replicas?: number;
  /** The port of `/metrics`, `/healthz` and `/readyz`; default 9090. */
  metricsPort?: number;
  /** How often the meter samples usage, in seconds; default 60. */
  meterIntervalSeconds?: number;
  /** How much the operator logs; default `info`. */
  logLevel?: 'info' | 'debug';
}

/** {@link OperatorManifestOptions} with every default filled in. */
export type ResolvedOperatorManifestOptions = Required<OperatorManifestOptions>;

/** Fills in the defaults of {@link OperatorManifestOptions}. */
export function resolveOperatorManifestOptions(options: OperatorManifestOptions = {}): ResolvedOperatorManifestOptions {
  return {
    namespace: options.namespace ?? OPERATOR_NAMESPACE_DEFAULT,
    image: options.image ?? OPERATOR_IMAGE_DEFAULT,
    replicas: options.replicas ?? 2,
    metricsPort: options.metricsPort ?? 9090,
    meterIntervalSeconds: options.meterIntervalSeconds ?? 60,
    logLevel: options.logLevel ?? 'info',
  };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function validate(settings: ClusterSettings, o: ResolvedOperatorManifestOptions): void {
  const issues: ValidationIssue[] = [];
  const integerIn = (path: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max)
      issues.push({ path, message: `must be a whole number from ${min} to ${max}, not ${value}` });
  };
  if (!DNS_LABEL.test(o.namespace) || o.namespace.length > 63) {
    issues.push({
      path: 'namespace',
      message: `"${o.namespace}" is not a namespace name: use at most 63 lowercase letters, digits and '-'`,
    });
  }
  if (o.image.trim() === '') issues.push({ path: 'image', message: 'must name an image' });
  // 0 keeps the Deployment scaled down, for running `spacekit operator` elsewhere under the same ServiceAccount.
  integerIn('replicas', o.replicas, 0, 100);
  integerIn('metricsPort', o.metricsPort, 1, 65535);
  integerIn('meterIntervalSeconds', o.meterIntervalSeconds, 1, 86_400);
  // The protection policies let only the settings' managers change quotas, network policies,
  // role bindings and namespaces; an operator missing from them would be denied its every write.
  const entry = operatorManagerEntry(o.namespace);
  if (!settings.managers.serviceAccounts.includes(entry)) {
    issues.push({
      path: 'namespace',
      message: `the operator would run as ServiceAccount ${entry}, which is not in the cluster settings' managers.serviceAccounts (${JSON.stringify(settings.managers.serviceAccounts)}); add "${entry}" there, install with those settings, and render again`,
    });
  }
  if (issues.length > 0) throw new ValidationError('operator manifest options', issues);
}

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };

// Copies every list, so that rendered objects share no arrays (YAML output would show them as anchors).
function rule(
  apiGroups: readonly string[],
  resources: readonly string[],
  verbs: readonly string[],
  resourceNames?: readonly string[],
): Rule {
  return {
    apiGroups: [...apiGroups],
    resources: [...resources],
    verbs: [...verbs],
    ...(resourceNames && { resourceNames: [...resourceNames] }),
  };
}

const READ = ['get', 'list', 'watch'];
const MANAGE = [...READ, 'create', 'update', 'patch', 'delete'];

/**
 * The operator's cluster-wide rights, and nothing more: no secrets, pods,
 * configmaps, no wildcard. Kubernetes' escalation checks still apply to what
 * it creates: a Role or ClusterRole it writes can hold only rights it has
 * itself, and aggregated ClusterRoles (the Space roles) it cannot write at all.
 */
export function operatorClusterRoleRules(): Rule[] {
  return [
    // Watches the three levels, finalizes and deletes them (a child whose parent is gone).
    rule([API_GROUP], ['organizations', 'tenants', 'spaces'], ['get', 'list', 'watch', 'update', 'patch', 'delete']),
    // The meter writes what it measured into the cluster (ADR 0017), where members read it with their own rights.
    rule([API_GROUP], ['spaceusages', 'metercoverages'], ['get', 'list', 'watch', 'create', 'update', 'delete']),
    // Writes conditions, usage and the budget ledger, which live in status.
    rule([API_GROUP], ['organizations/status', 'tenants/status', 'spaces/status'], ['get', 'update', 'patch']),
    // Each level is a namespace, capped by a quota and given container defaults.
    rule([''], ['namespaces', 'resourcequotas', 'limitranges'], MANAGE),
    // Isolates each Space: default deny and the allowed paths between Spaces.
    rule(['networking.k8s.io'], ['networkpolicies'], MANAGE),
    // Renders per-level read Roles/ClusterRoles and binds members to them and to Spacekit's roles.
    rule(['rbac.authorization.k8s.io'], ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'], MANAGE),
    // Members are bound to the Space roles, which aggregate `admin`/`edit`/`view`; the operator does not hold
    // all of those rights itself, and RBAC lets one bind a role one does not hold only with `bind` on it.
    rule(['rbac.authorization.k8s.io'], ['clusterroles'], ['bind'], Object.values(CLUSTER_ROLES)),
    // Tells people what it did and why it refused, on the objects they look at. Both groups serve events.
    rule([''], ['events'], ['create', 'patch']),
    rule(['events.k8s.io'], ['events'], ['create', 'patch']),
  ];
}

function metadata(name: string, namespace?: string): KubeObject['metadata'] {
  return { name, ...(namespace !== undefined && { namespace }), labels: { ...OPERATOR_LABELS } };
}

function namespaceObject(namespace: string): KubeObject {
  const podSecurity: Record<string, string> = {};
  for (const mode of ['enforce', 'warn', 'audit']) {
    podSecurity[`pod-security.kubernetes.io/${mode}`] = 'restricted';
    podSecurity[`pod-security.kubernetes.io/${mode}-version`] = 'latest';
  }
  const meta = metadata(namespace);
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { ...meta, labels: { ...meta.labels, ...podSecurity } } };
}

function serviceAccountSubject(namespace: string) {
  return [{ kind: 'ServiceAccount', name: OPERATOR_SERVICE_ACCOUNT, namespace }];
}

function rbacObjects(namespace: string): KubeObject[] {
  const clusterName = operatorClusterRoleName(namespace);
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: metadata(clusterName), rules: operatorClusterRoleRules() },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: metadata(clusterName),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
      subjects: serviceAccountSubject(namespace),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: metadata(OPERATOR_LEADER_ELECTION_ROLE, namespace),
      rules: [
        // RBAC cannot limit `create` by name (the name is not known before the object exists).
        rule(['coordination.k8s.io'], ['leases'], ['create']),
        // Reading and renewing only the operator's own lease keeps it from taking over other leases here.
        rule(['coordination.k8s.io'], ['leases'], ['get', 'update'], [OPERATOR_LEASE_NAME]),
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: metadata(OPERATOR_LEADER_ELECTION_ROLE, namespace),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: OPERATOR_LEADER_ELECTION_ROLE },
      subjects: serviceAccountSubject(namespace),
    },
  ];
}

function fieldEnv(name: string, fieldPath: string) {
  return { name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } };
}

/**
 * The operator's Deployment. It keeps nothing on disk: the meter writes into
 * the cluster (ADR 0017), so a rescheduled pod or a new leader loses no history.
 */
function deployment(o: ResolvedOperatorManifestOptions): KubeObject {
  const selector = () => ({ ...OPERATOR_SELECTOR_LABELS });
  const probe = (path: string, periodSeconds: number) => ({ httpGet: { path, port: 'metrics', scheme: 'HTTP' }, periodSeconds });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(OPERATOR_NAME, o.namespace),
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: selector() },
      // A new pod must be ready before an old one goes, so a standby is always there to take the lease
      // that the stopping leader releases.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { ...OPERATOR_LABELS } },
        spec: {
          serviceAccountName: OPERATOR_SERVICE_ACCOUNT,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: OPERATOR_RUN_AS_USER,
            runAsGroup: OPERATOR_RUN_AS_USER,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          affinity: {
            podAntiAffinity: {
              // Preferred, not required: on a one-node cluster both replicas must still run.
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector() } } },
              ],
            },
          },
          containers: [
            {
              name: 'operator',
              image: o.image,
              args: [
                'operator',
                '--leader-elect',
                '--metrics-addr',
                `0.0.0.0:${o.metricsPort}`,
                '--meter-interval',
                `${o.meterIntervalSeconds}s`,
                '--log-level',
                o.logLevel,
              ],
              // The leader-election identity and the lease's namespace come from the pod itself.
              env: [
                fieldEnv('POD_NAME', 'metadata.name'),
                fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
                ...Object.entries(OPERATOR_ENV).map(([name, value]) => ({ name, value })),
              ],
              ports: [{ name: 'metrics', containerPort: o.metricsPort, protocol: 'TCP' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              livenessProbe: probe('/healthz', 10),
              readinessProbe: probe('/readyz', 5),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
            },
          ],
        },
      },
    },
  };
}

function metricsService(o: ResolvedOperatorManifestOptions): KubeObject {
  const meta = metadata(OPERATOR_METRICS_SERVICE, o.namespace);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      ...meta,
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(o.metricsPort), 'prometheus.io/path': '/metrics' },
    },
    spec: {
      type: 'ClusterIP',
      selector: { ...OPERATOR_SELECTOR_LABELS },
      ports: [{ name: 'metrics', port: o.metricsPort, targetPort: 'metrics', protocol: 'TCP' }],
    },
  };
}

/**
 * Everything a cluster needs to run the Spacekit operator: its namespace
 * (Pod Security `restricted`), ServiceAccount, least-privilege RBAC, the
 * leader-election Role, the Deployment and the metrics Service.
 *
 * Pure: the same input always gives the same objects, in the order of
 * {@link operatorManifestKinds}, each labelled with {@link OPERATOR_LABELS}
 * (so `INSTALL_LABEL_SELECTOR` finds them). Cluster-scoped names follow
 * {@link operatorClusterRoleName}.
 *
 * @throws {ValidationError} when an option is out of range, or when the
 *   operator's ServiceAccount is not one of `settings.managers.serviceAccounts`
 *   (the protection policies would refuse its writes).
 */
export function renderOperatorManifests(settings: ClusterSettings, options: OperatorManifestOptions = {}): KubeObject[] {
  const o = resolveOperatorManifestOptions(options);
  validate(settings, o);
  return [
    namespaceObject(o.namespace),
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: metadata(OPERATOR_SERVICE_ACCOUNT, o.namespace),
    },
    ...rbacObjects(o.namespace),
    deployment(o),
    metricsService(o),
  ];
}
