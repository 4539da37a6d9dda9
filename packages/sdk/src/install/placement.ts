import type { V1ValidatingAdmissionPolicy, V1ValidatingAdmissionPolicyBinding } from '@kubernetes/client-node';
import { API_GROUP, LABELS, MANAGER } from '../model/common.ts';
import { celString, installMetadata } from './labels.ts';

/** Name of the placement policy and its binding. */
export const PLACEMENT_POLICY = 'spacekit-placement';

const label = (key: string) => `namespaceObject.metadata.labels[${celString(key)}]`;
const hasLabel = (key: string) => `(has(namespaceObject.metadata.labels) && ${celString(key)} in namespaceObject.metadata.labels)`;
const isLevel = (level: string) =>
  `(${hasLabel(LABELS.level)} && ${label(LABELS.level)} == ${celString(level)} && ${hasLabel(LABELS.managedBy)} && ${label(LABELS.managedBy)} == ${celString(MANAGER)})`;
/** A placement label on the object, if present, must say what its namespace says. */
const agrees = (key: string) =>
  `(!has(object.metadata.labels) || !(${celString(key)} in object.metadata.labels) || (${hasLabel(key)} && object.metadata.labels[${celString(key)}] == ${label(key)}))`;

/** The CEL that admits a Tenant: only in an organization's namespace. */
export const TENANT_PLACEMENT_EXPRESSION = `request.resource.resource != "tenants" || ${isLevel('organization')}`;
/** The CEL that admits a Space: only in a tenant's namespace. */
export const SPACE_PLACEMENT_EXPRESSION = `request.resource.resource != "spaces" || ${isLevel('tenant')}`;
/** The CEL that keeps placement labels honest, since listings across namespaces select on them. */
export const LABELS_AGREE_EXPRESSION = `${agrees(LABELS.organization)} && ${agrees(LABELS.tenant)}`;

/**
 * The admission policy that keeps Spacekit objects where they belong: a
 * Tenant only in its organization's namespace, a Space only in its tenant's,
 * and their `spacekit.dev/organization` and `spacekit.dev/tenant` labels, if
 * written, equal to those of the namespace. Without it, a user who can write
 * Space objects in some namespace of their own could make one that claims,
 * by its labels, to belong to another tenant, and show up in its listings.
 * The operator also ignores misplaced objects; this refuses them at once,
 * with a message, for `kubectl apply` as for the SDK.
 */
export function renderPlacementPolicy(): [V1ValidatingAdmissionPolicy, V1ValidatingAdmissionPolicyBinding] {
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: installMetadata(PLACEMENT_POLICY),
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            { apiGroups: [API_GROUP], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['tenants', 'spaces'] },
          ],
        },
        validations: [
          {
            expression: TENANT_PLACEMENT_EXPRESSION,
            messageExpression: `"a Tenant belongs in its organization's namespace (the organization's name); " + request.namespace + " is not one"`,
            message: "a Tenant belongs in its organization's namespace",
            reason: 'Invalid',
          },
          {
            expression: SPACE_PLACEMENT_EXPRESSION,
            messageExpression: `"a Space belongs in its tenant's namespace (ORGANIZATION--TENANT); " + request.namespace + " is not one"`,
            message: "a Space belongs in its tenant's namespace",
            reason: 'Invalid',
          },
          {
            expression: LABELS_AGREE_EXPRESSION,
            message: `the labels ${LABELS.organization} and ${LABELS.tenant} must match the namespace the object is in; leave them out and Spacekit sets them`,
            reason: 'Invalid',
          },
        ],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: installMetadata(PLACEMENT_POLICY),
      spec: { policyName: PLACEMENT_POLICY, validationActions: ['Deny'] },
    },
  ];
}
