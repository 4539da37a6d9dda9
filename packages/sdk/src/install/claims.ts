import type { V1ValidatingAdmissionPolicy, V1ValidatingAdmissionPolicyBinding } from '@kubernetes/client-node';
import { LABELS, MANAGER } from '../model/common.ts';
import type { ClusterSettings } from '../model/settings.ts';
import { celStringList, installMetadata } from './labels.ts';
import { managerExpression } from './protect.ts';

/** The name of the policy (and its binding) that keeps tenants' claims off volumes that already exist. */
export const CLAIMS_POLICY = 'spacekit-claims-new-volumes';

/**
 * Who binds claims to volumes: kube-controller-manager's PersistentVolume controller, under its own
 * ServiceAccount with `--use-service-account-credentials`, or as the controller manager without it.
 */
export const VOLUME_BINDERS = ['system:serviceaccount:kube-system:persistent-volume-binder', 'system:kube-controller-manager'] as const;

/**
 * The CEL a claim must satisfy: it names no volume, or keeps the one it had. Setting `spec.volumeName`
 * binds the claim to that PersistentVolume whatever the volume holds, which is how one tenant would take
 * over a volume provisioned for someone else.
 */
export const CLAIMS_EXPRESSION =
  "!has(object.spec.volumeName) || object.spec.volumeName == '' || " +
  '(oldObject != null && has(oldObject.spec.volumeName) && oldObject.spec.volumeName == object.spec.volumeName)';

/** The denial text: what was refused, and what to do instead. */
export const CLAIMS_MESSAGE =
  'a PersistentVolumeClaim in a Spacekit namespace may not name an existing volume (spec.volumeName): ' +
  'remove spec.volumeName and let the claim be provisioned from a StorageClass';

/**
 * The admission policy that refuses PersistentVolumeClaims naming a volume (`spec.volumeName`) in
 * Spacekit's namespaces, on create and on the update that would set it (an unbound claim's
 * `volumeName` may still be set). The PersistentVolume controller, which sets it when it binds a
 * claim, and the settings' managers are let through, so provisioning works and an operator can
 * still restore a volume on purpose.
 *
 * @throws {ValidationError} when a ServiceAccount entry in the settings is not `namespace:name`.
 */
export function renderClaimsPolicy(settings: ClusterSettings): [V1ValidatingAdmissionPolicy, V1ValidatingAdmissionPolicyBinding] {
  const isManager = managerExpression(settings.managers);
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: installMetadata(CLAIMS_POLICY),
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['persistentvolumeclaims'] },
          ],
        },
        matchConditions: [
          { name: 'not-the-volume-binder', expression: `!(request.userInfo.username in ${celStringList(VOLUME_BINDERS)})` },
          { name: 'not-a-manager', expression: `!(${isManager})` },
        ],
        validations: [{ expression: CLAIMS_EXPRESSION, message: CLAIMS_MESSAGE, reason: 'Forbidden' }],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: installMetadata(CLAIMS_POLICY),
      spec: {
        policyName: CLAIMS_POLICY,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { [LABELS.managedBy]: MANAGER } } },
      },
    },
  ];
}
