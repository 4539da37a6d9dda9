import { stringify } from 'yaml';
import type { Organization, Space, Tenant } from '../model/index.ts';
import type { InstallResult } from '../spacekit.ts';

/**
 * Data as JSON or YAML. Shared sub-objects are written out in full: YAML
 * aliases (`*a1`) are valid but read badly and some tools reject them.
 */
export function formatData(data: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : stringify(data, { aliasDuplicateObjects: false });
}

/** What `spacekit install` prints. */
export function formatInstallResult(result: InstallResult): string {
  const lines = [
    result.changed.length === 0
      ? `Spacekit is installed and up to date (${result.unchanged.length} objects unchanged)`
      : `Spacekit installed: ${result.changed.length} changed, ${result.unchanged.length} unchanged`,
    ...result.changed.map((id) => `  changed    ${id}`),
    ...result.unchanged.map((id) => `  unchanged  ${id}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** A Spacekit object's path as the CLI takes it: `acme`, `acme/payments`, `acme/payments/dev`. */
export function pathOf(object: Organization | Tenant | Space): string {
  if (object.kind === 'Organization') return object.metadata.name;
  if (object.kind === 'Tenant') return `${object.metadata.namespace}/${object.metadata.name}`;
  const tenantNamespace = object.metadata.namespace ?? '';
  return `${tenantNamespace.replace('--', '/')}/${object.metadata.name}`;
}

const KIND_WORD = { Organization: 'organization', Tenant: 'tenant', Space: 'space' } as const;

/** What create and update print: the object, its phase and namespace, and what to do next. */
export function formatSaved(verb: 'created' | 'updated', object: Organization | Tenant | Space): string {
  const path = pathOf(object);
  const namespace = object.status?.namespace;
  const head = `${verb} ${KIND_WORD[object.kind]} ${path} (${object.status?.phase ?? 'Pending'})${namespace ? `: namespace ${namespace}` : ''}`;
  if (verb === 'updated') return `${head}\n`;
  const next =
    object.kind === 'Organization'
      ? `next: spacekit create tenant ${path}/NAME --cpu 2 --memory 4Gi`
      : object.kind === 'Tenant'
        ? `next: spacekit create space ${path}/NAME --cpu 1 --memory 2Gi`
        : `use it: kubectl --namespace ${namespace ?? '...'} get all`;
  return `${head}\n${next}\n`;
}
