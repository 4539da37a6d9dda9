// Render only: YAML for a GitOps repository, without touching a cluster.
//
//   node packages/examples/src/render-only.ts --org acme --tenant payments --space dev [--cpu 1] [--memory 2Gi]
//        [--ttl 8h] [--label KEY=VALUE]... [--objects] [-o yaml|json] > gitops/acme.yaml
//
// By default it writes Spacekit's own objects (Organization, Tenant, Space):
// commit them, let Argo CD or Flux apply them, and the operator provisions
// them. With --objects it writes the plain Kubernetes objects a Space is made
// of (namespaces, quota, limits, network policies, role bindings), for a
// cluster that runs no Spacekit at all.
//
// It reads no kubeconfig and sends no request: the SDK's render functions are pure.
import { parseArgs } from 'node:util';
import {
  DEFAULT_SETTINGS,
  GROUP_VERSION,
  type KubeObject,
  type Organization,
  OrganizationSpecSchema,
  quantitiesAsStrings,
  renderOrganization,
  renderSpace,
  renderTenant,
  type Space,
  SpaceSpecSchema,
  type Tenant,
  TenantSpecSchema,
  validate,
} from '@spacekit/sdk';
import { stringify } from 'yaml';
import { labelsFrom, main, UsageProblem } from './cluster.ts';

const USAGE =
  'usage: node packages/examples/src/render-only.ts --org NAME --tenant NAME --space NAME [--cpu Q] [--memory Q] [--ttl D] [--label K=V]... [--objects] [-o yaml|json]';

await main(async () => {
  const { values } = parseArgs({
    options: {
      org: { type: 'string' },
      tenant: { type: 'string' },
      space: { type: 'string' },
      cpu: { type: 'string', default: '1' },
      memory: { type: 'string', default: '2Gi' },
      ttl: { type: 'string' },
      label: { type: 'string', multiple: true },
      objects: { type: 'boolean' },
      output: { type: 'string', short: 'o', default: 'yaml' },
    },
  });
  if (!values.org || !values.tenant || !values.space) throw new UsageProblem(USAGE);
  if (values.output !== 'yaml' && values.output !== 'json') throw new UsageProblem(`-o is yaml or json\n${USAGE}`);

  // The tree to keep in git. Budgets nest: the tenant fits the organization, the Space fits the tenant.
  // Parsed with the SDK's own schemas, so that the YAML holds what the cluster would accept, with every default spelled out.
  const space = { cpu: values.cpu, memory: values.memory };
  const organization: Organization = {
    apiVersion: GROUP_VERSION,
    kind: 'Organization',
    metadata: { name: values.org, labels: labelsFrom(values.label) },
    spec: validate(
      OrganizationSpecSchema,
      { resources: { cpu: 8, memory: '16Gi' }, members: [{ kind: 'Group', name: `${values.org}-admins`, role: 'admin' }] },
      'organization',
    ),
  };
  const tenant: Tenant = {
    apiVersion: GROUP_VERSION,
    kind: 'Tenant',
    metadata: { name: values.tenant, namespace: values.org },
    spec: validate(
      TenantSpecSchema,
      { resources: { cpu: 4, memory: '8Gi' }, members: [{ kind: 'Group', name: `${values.tenant}-leads`, role: 'admin' }] },
      'tenant',
    ),
  };
  const spaceObject: Space = {
    apiVersion: GROUP_VERSION,
    kind: 'Space',
    metadata: { name: values.space, namespace: `${values.org}--${values.tenant}` },
    spec: validate(
      SpaceSpecSchema,
      {
        resources: space,
        members: [{ kind: 'Group', name: `${values.tenant}-devs`, role: 'developer' }],
        ...(values.ttl !== undefined && { ttl: values.ttl }),
      },
      'space',
    ),
  };
  for (const object of [organization, tenant, spaceObject]) object.spec.resources = quantitiesAsStrings(object.spec.resources);
  const defaults = spaceObject.spec.containerDefaults;
  spaceObject.spec.containerDefaults = { request: quantitiesAsStrings(defaults.request), limit: quantitiesAsStrings(defaults.limit) };

  const objects: readonly (KubeObject | Organization | Tenant | Space)[] = values.objects
    ? [
        ...renderOrganization(organization),
        ...renderTenant(organization, tenant),
        ...renderSpace(organization, tenant, spaceObject, DEFAULT_SETTINGS),
      ]
    : [organization, tenant, spaceObject];
  process.stdout.write(
    values.output === 'json'
      ? `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`
      : objects.map((object) => stringify(object)).join('---\n'),
  );
});
