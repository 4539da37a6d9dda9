import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ValidationError } from '../errors.ts';
import { CLUSTER_ROLES } from '../install/cluster-roles.ts';
import { INSTALL_LABELS, INSTALL_LABEL_SELECTOR } from '../install/labels.ts';
import { ClusterSettingsSchema, DEFAULT_SETTINGS } from '../model/settings.ts';
import type { KubeObject } from '../render/objects.ts';
import { OPERATOR_IMAGE_DEFAULT, OPERATOR_VERSION, operatorManifestKinds, renderOperatorManifests } from './manifests.ts';
import { OPERATOR_LEASE_NAME, OPERATOR_NAMESPACE_DEFAULT, OPERATOR_SERVICE_ACCOUNT, operatorClusterRoleName } from './names.ts';

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
type Container = {
  name: string;
  image: string;
  args: string[];
  env: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  ports: { name: string; containerPort: number }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string }[];
};
type PodSpec = {
  serviceAccountName: string;
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  containers: Container[];
  volumes?: { name: string; emptyDir?: object }[];
  affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { podAffinityTerm: { topologyKey: string } }[] } };
};
type Deployment = KubeObject & {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    strategy: object;
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
};

const objects = renderOperatorManifests(DEFAULT_SETTINGS);
const find = <T extends KubeObject>(list: KubeObject[], kind: string): T => {
  const found = list.filter((o) => o.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as T;
};
const clusterRules = (list: KubeObject[]) => find<KubeObject & { rules: Rule[] }>(list, 'ClusterRole').rules;
const verbsFor = (rules: Rule[], group: string, resource: string) =>
  rules
    .filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.resourceNames === undefined)
    .flatMap((r) => r.verbs)
    .sort();
const podSpec = (list: KubeObject[]) => find<Deployment>(list, 'Deployment').spec.template.spec;
const container = (list: KubeObject[]) => {
  const [first, ...rest] = podSpec(list).containers;
  expect(rest).toEqual([]);
  return first!;
};

describe('renderOperatorManifests', () => {
  it('matches the reviewed YAML, with no shared lists that YAML would show as anchors', () => {
    const yaml = objects.map((o) => stringify(o)).join('---\n');
    expect(yaml).toMatchSnapshot();
    expect(yaml).not.toMatch(/[&*]a\d/);
  });

  it('tags the default image with the version of @spacekit/sdk', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(OPERATOR_VERSION).toBe(pkg.version);
    expect(container(objects).image).toBe(OPERATOR_IMAGE_DEFAULT);
    expect(OPERATOR_IMAGE_DEFAULT).toBe(`ghcr.io/spacekit/spacekit:${pkg.version}`);
  });

  it('labels every object so INSTALL_LABEL_SELECTOR finds it', () => {
    const selector = Object.fromEntries(INSTALL_LABEL_SELECTOR.split(',').map((pair) => pair.split('=')));
    expect(selector).toEqual(INSTALL_LABELS);
    for (const o of objects) {
      expect(o.metadata.labels, `${o.kind}/${o.metadata.name}`).toMatchObject({
        ...INSTALL_LABELS,
        'app.kubernetes.io/name': 'spacekit-operator',
        'app.kubernetes.io/component': 'operator',
      });
    }
  });

  it('emits objects in the order of operatorManifestKinds, every kind once', () => {
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual(operatorManifestKinds.map((k) => `${k.apiVersion} ${k.kind}`));
    expect(operatorManifestKinds[0].kind).toBe('Namespace');
  });

  it('puts every namespaced object in the operator namespace, which enforces Pod Security restricted', () => {
    const namespaced = objects.filter((o) => !['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind));
    expect(namespaced.map((o) => o.metadata.namespace)).toEqual(namespaced.map(() => OPERATOR_NAMESPACE_DEFAULT));
    const ns = find(objects, 'Namespace');
    expect(ns.metadata.name).toBe(OPERATOR_NAMESPACE_DEFAULT);
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
    });
  });

  it('grants nothing on secrets, pods or configmaps, and no wildcard', () => {
    const rules = clusterRules(objects);
    for (const r of rules) {
      expect(r.verbs).not.toContain('*');
      expect(r.resources).not.toContain('*');
      expect(r.apiGroups).not.toContain('*');
      for (const forbidden of ['secrets', 'pods', 'configmaps', 'pods/exec', 'serviceaccounts/token'])
        expect(r.resources).not.toContain(forbidden);
      expect(r.verbs).not.toContain('escalate');
      expect(r.verbs).not.toContain('impersonate');
    }
  });

  it('grants what the operator reconciles with and no more', () => {
    const rules = clusterRules(objects);
    const MANAGE = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
    for (const level of ['organizations', 'tenants', 'spaces']) {
      expect(verbsFor(rules, 'spacekit.dev', level)).toEqual(['delete', 'get', 'list', 'patch', 'update', 'watch']);
      expect(verbsFor(rules, 'spacekit.dev', `${level}/status`)).toEqual(['get', 'patch', 'update']);
    }
    for (const resource of ['namespaces', 'resourcequotas', 'limitranges']) expect(verbsFor(rules, '', resource)).toEqual(MANAGE);
    expect(verbsFor(rules, 'networking.k8s.io', 'networkpolicies')).toEqual(MANAGE);
    for (const resource of ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings']) {
      expect(verbsFor(rules, 'rbac.authorization.k8s.io', resource)).toEqual(MANAGE);
    }
    expect(verbsFor(rules, '', 'events')).toEqual(['create', 'patch']);
    expect(verbsFor(rules, 'events.k8s.io', 'events')).toEqual(['create', 'patch']);
    for (const resource of ['spaceusages', 'metercoverages']) {
      expect(verbsFor(rules, 'spacekit.dev', resource)).toEqual(['create', 'delete', 'get', 'list', 'update', 'watch']);
    }
    const resources = new Set(rules.flatMap((r) => r.resources));
    expect([...resources].sort()).toEqual(
      [
        'organizations',
        'tenants',
        'spaces',
        'organizations/status',
        'tenants/status',
        'spaces/status',
        'spaceusages',
        'metercoverages',
        'namespaces',
        'resourcequotas',
        'limitranges',
        'networkpolicies',
        'roles',
        'rolebindings',
        'clusterroles',
        'clusterrolebindings',
        'events',
      ].sort(),
    );
  });

  it('may bind exactly the Spacekit ClusterRoles, and nothing else', () => {
    const bind = clusterRules(objects).filter((r) => r.verbs.includes('bind'));
    expect(bind).toEqual([
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['clusterroles'],
        verbs: ['bind'],
        resourceNames: Object.values(CLUSTER_ROLES),
      },
    ]);
  });

  it('binds the ClusterRole and the leader-election Role to the operator ServiceAccount', () => {
    type Binding = KubeObject & { roleRef: { kind: string; name: string }; subjects: { kind: string; name: string; namespace: string }[] };
    const subject = { kind: 'ServiceAccount', name: OPERATOR_SERVICE_ACCOUNT, namespace: OPERATOR_NAMESPACE_DEFAULT };
    const crb = find<Binding>(objects, 'ClusterRoleBinding');
    expect(crb.roleRef).toMatchObject({ kind: 'ClusterRole', name: find(objects, 'ClusterRole').metadata.name });
    expect(crb.subjects).toEqual([subject]);
    const rb = find<Binding>(objects, 'RoleBinding');
    expect(rb.roleRef).toMatchObject({ kind: 'Role', name: find(objects, 'Role').metadata.name });
    expect(rb.subjects).toEqual([subject]);
    expect(find(objects, 'ServiceAccount').metadata.name).toBe(OPERATOR_SERVICE_ACCOUNT);
  });

  it('lets the operator create leases but read and renew only its own', () => {
    const rules = find<KubeObject & { rules: Rule[] }>(objects, 'Role').rules;
    expect(rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update'], resourceNames: [OPERATOR_LEASE_NAME] },
    ]);
  });

  it('gives the pod every field Pod Security restricted requires', () => {
    const spec = podSpec(objects);
    expect(spec.securityContext.runAsNonRoot).toBe(true);
    expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
    expect(Number.isInteger(spec.securityContext.runAsUser)).toBe(true);
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    const c = container(objects);
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    // restricted allows only these volume types; anything else (hostPath …) is rejected.
    const allowed = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
    for (const volume of spec.volumes ?? [])
      expect(
        Object.keys(volume)
          .filter((k) => k !== 'name')
          .every((k) => allowed.includes(k)),
      ).toBe(true);
  });

  it('runs `spacekit operator` as the ServiceAccount, with probes, limits and pod identity, and no volume (the meter writes into the cluster)', () => {
    const spec = podSpec(objects);
    expect(spec.serviceAccountName).toBe(OPERATOR_SERVICE_ACCOUNT);
    const c = container(objects);
    expect(c.args).toEqual([
      'operator',
      '--leader-elect',
      '--metrics-addr',
      '0.0.0.0:9090',
      '--meter-interval',
      '60s',
      '--log-level',
      'info',
    ]);
    expect(c.env.map((e) => [e.name, e.valueFrom?.fieldRef?.fieldPath ?? (e as { value?: string }).value])).toEqual([
      ['POD_NAME', 'metadata.name'],
      ['POD_NAMESPACE', 'metadata.namespace'],
      // Heap sized to the container's 256Mi limit, so Node collects before the kernel kills it.
      ['NODE_OPTIONS', '--max-semi-space-size=2 --max-old-space-size=192'],
      // Two malloc arenas: what the initial sync frees goes back to use instead of staying resident.
      ['MALLOC_ARENA_MAX', '2'],
    ]);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 9090, protocol: 'TCP' }]);
    expect(c.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 'metrics' });
    expect(c.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 'metrics' });
    expect(c.volumeMounts).toBeUndefined();
    expect(spec.volumes).toBeUndefined();
  });

  it('runs two replicas that spread across nodes and roll without losing a standby', () => {
    const d = find<Deployment>(objects, 'Deployment');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(d.spec.template.metadata.labels).toMatchObject(d.spec.selector.matchLabels);
    const terms = d.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    expect(terms.map((t) => t.podAffinityTerm.topologyKey)).toEqual(['kubernetes.io/hostname']);
  });

  it('serves metrics through a ClusterIP Service that Prometheus discovers', () => {
    type Service = KubeObject & {
      spec: { type: string; selector: Record<string, string>; ports: { name: string; port: number; targetPort: string }[] };
    };
    const svc = find<Service>(objects, 'Service');
    expect(svc.metadata.name).toBe('spacekit-operator-metrics');
    expect(svc.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9090',
      'prometheus.io/path': '/metrics',
    });
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' }]);
    expect(svc.spec.selector).toEqual(find<Deployment>(objects, 'Deployment').spec.selector.matchLabels);
  });

  it('applies each option where it belongs', () => {
    const ns = 'ops';
    const settings = ClusterSettingsSchema.parse({ managers: { serviceAccounts: [`${ns}:spacekit-operator`] } });
    const custom = renderOperatorManifests(settings, {
      namespace: ns,
      image: 'registry.example/spacekit:dev',
      replicas: 3,
      metricsPort: 8443,
      meterIntervalSeconds: 15,
      logLevel: 'debug',
    });
    const c = container(custom);
    expect(c.image).toBe('registry.example/spacekit:dev');
    expect(c.args).toEqual(expect.arrayContaining(['0.0.0.0:8443', '15s', 'debug']));
    expect(c.args).not.toContain('0.0.0.0:9090');
    expect(c.ports[0]?.containerPort).toBe(8443);
    expect(find<Deployment>(custom, 'Deployment').spec.replicas).toBe(3);
    const svc = find<KubeObject & { spec: { ports: { port: number }[] } }>(custom, 'Service');
    expect(svc.spec.ports[0]?.port).toBe(8443);
    expect(svc.metadata.annotations?.['prometheus.io/port']).toBe('8443');
    expect(find(custom, 'Namespace').metadata.name).toBe(ns);
    for (const o of custom.filter((x) => !['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(x.kind)))
      expect(o.metadata.namespace).toBe(ns);
    expect(find(custom, 'ClusterRole').metadata.name).toBe('spacekit-operator-ops');
    expect(find<KubeObject & { subjects: { namespace: string }[] }>(custom, 'ClusterRoleBinding').subjects[0]?.namespace).toBe(ns);
  });

  it('names the cluster-scoped objects after the namespace unless it is the default', () => {
    expect(operatorClusterRoleName(OPERATOR_NAMESPACE_DEFAULT)).toBe('spacekit-operator');
    expect(operatorClusterRoleName('team-a')).toBe('spacekit-operator-team-a');
    expect(find(objects, 'ClusterRole').metadata.name).toBe('spacekit-operator');
    expect(find(objects, 'ClusterRoleBinding').metadata.name).toBe('spacekit-operator');
  });

  it('refuses a namespace whose operator the settings do not list as a manager, saying what to add', () => {
    const err = (() => {
      try {
        renderOperatorManifests(DEFAULT_SETTINGS, { namespace: 'ops' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toContain('add "ops:spacekit-operator"');
  });

  it('refuses options out of range', () => {
    for (const options of [
      { replicas: -1 },
      { metricsPort: 70_000 },
      { meterIntervalSeconds: 1.5 },
      { namespace: 'Not_A_Name' },
      { image: ' ' },
    ]) {
      expect(() => renderOperatorManifests(DEFAULT_SETTINGS, options), JSON.stringify(options)).toThrow(ValidationError);
    }
  });

  it('is pure: two renders are equal and share no objects', () => {
    const again = renderOperatorManifests(DEFAULT_SETTINGS);
    expect(again).toEqual(objects);
    again[0]!.metadata.labels!['x'] = 'y';
    expect(objects[0]!.metadata.labels).not.toHaveProperty('x');
  });
});
