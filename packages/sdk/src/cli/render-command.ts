import type { CreateSpaceInput } from '../api/inputs.ts';
import { validate } from '../model/index.ts';
import { type ClusterSettings, DEFAULT_SETTINGS, SpaceSpecSchema } from '../model/index.ts';
import { organizationFixture, spaceFixture, tenantFixture } from '../render/fixtures.ts';
import { type KubeObject, renderOrganization, renderSpace, renderTenant } from '../render/index.ts';
import { formatData } from './output.ts';

/**
 * Every object Spacekit would keep for one Space and its parents, built in
 * memory without a cluster: the organization's and tenant's namespaces, then
 * the Space's namespace, quota, limits, network policies and bindings.
 *
 * @throws {ValidationError} for a spec the SDK would refuse.
 * @throws {NameError} for names that cannot make a namespace.
 */
export function renderSpaceStack(input: CreateSpaceInput, settings: ClusterSettings = DEFAULT_SETTINGS): KubeObject[] {
  const { organization, tenant, name, ...rest } = input;
  const spec = validate(SpaceSpecSchema, rest, 'space');
  // The organization allows what the Space asks for, so that the preview shows the Space as requested.
  const org = organizationFixture(organization, {
    policy: { allowUnsandboxed: spec.sandbox === 'none', allowPrivileged: spec.podSecurity === 'privileged' },
  });
  const parent = tenantFixture(organization, tenant);
  const space = spaceFixture(organization, tenant, name, spec);
  return [...renderOrganization(org), ...renderTenant(org, parent), ...renderSpace(org, parent, space, settings)];
}

/** Objects as a `---`-separated YAML stream for `kubectl apply -f -`, or as a JSON `List`. */
export function formatObjects(objects: readonly KubeObject[], format: 'yaml' | 'json'): string {
  if (format === 'json') return formatData({ apiVersion: 'v1', kind: 'List', items: objects }, 'json');
  return objects.map((object) => formatData(object, 'yaml')).join('---\n');
}
