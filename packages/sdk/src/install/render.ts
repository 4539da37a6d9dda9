import type { KubernetesObject } from '@kubernetes/client-node';
import type { ClusterSettings } from '../model/settings.ts';
import { renderClaimsPolicy } from './claims.ts';
import { renderClusterRoles, renderCoverageBinding } from './cluster-roles.ts';
import { installObjectKinds } from './labels.ts';
import { renderPlacementPolicy } from './placement.ts';
import { renderProtectionPolicies } from './protect.ts';
import { renderRuntimeClass } from './runtime-class.ts';
import { renderSandboxPolicies } from './sandbox.ts';

function kindOrder(object: KubernetesObject): number {
  const index = installObjectKinds.findIndex((k) => k.apiVersion === object.apiVersion && k.kind === object.kind);
  if (index < 0) throw new Error(`${object.apiVersion} ${object.kind} is missing from installObjectKinds`);
  return index;
}

/**
 * The cluster-wide objects `install()` applies besides the CRDs: the
 * ClusterRoles Spacekit binds (and the binding that lets everyone read when
 * the meter measured), the sandbox RuntimeClass, and the admission
 * policies that enforce the sandbox, guard what Spacekit manages and keep
 * tenants' claims off volumes that already exist.
 *
 * Pure: the same settings always give the same objects, in the order of
 * {@link installObjectKinds}. Every object is cluster-scoped, named
 * `spacekit-…` (the RuntimeClass takes its name from the settings) and matches
 * {@link INSTALL_LABEL_SELECTOR}.
 *
 * @throws {ValidationError} when a ServiceAccount entry in `settings.managers` is not `namespace:name`.
 */
export function renderInstall(settings: ClusterSettings): KubernetesObject[] {
  const objects: KubernetesObject[] = [
    ...renderClusterRoles(),
    renderCoverageBinding(),
    renderRuntimeClass(settings),
    ...renderSandboxPolicies(settings),
    ...renderProtectionPolicies(settings),
    ...renderPlacementPolicy(),
    ...renderClaimsPolicy(settings),
  ];
  // Array.prototype.sort is stable, so objects of one kind keep the order above.
  return objects.sort((a, b) => kindOrder(a) - kindOrder(b));
}
