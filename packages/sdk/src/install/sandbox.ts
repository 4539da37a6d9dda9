import type {
  V1MutatingAdmissionPolicy,
  V1MutatingAdmissionPolicyBinding,
  V1ValidatingAdmissionPolicy,
  V1ValidatingAdmissionPolicyBinding,
} from '@kubernetes/client-node';
import { LABELS } from '../model/common.ts';
import type { ClusterSettings } from '../model/settings.ts';
import { celString, installMetadata } from './labels.ts';

/** The value of `spacekit.dev/sandbox` on the namespaces of Spaces with `sandbox: gvisor`. */
export const SANDBOX_LABEL_VALUE = 'gvisor';

/** Names of the sandbox admission policies; each binding has its policy's name. */
export const SANDBOX_POLICIES = {
  runtimeClass: 'spacekit-sandbox-runtime-class',
  enforce: 'spacekit-sandbox-enforce',
} as const;

function sandboxedNamespaces() {
  return { namespaceSelector: { matchLabels: { [LABELS.sandbox]: SANDBOX_LABEL_VALUE } } };
}

/** The CEL that sets a pod's runtime class; applied only to pods that name none. */
export function sandboxMutationExpression(runtimeClassName: string): string {
  return `Object{spec: Object.spec{runtimeClassName: ${celString(runtimeClassName)}}}`;
}

/** The CEL a pod in a sandboxed namespace must satisfy. */
export function sandboxValidationExpression(runtimeClassName: string): string {
  return `has(object.spec.runtimeClassName) && object.spec.runtimeClassName == ${celString(runtimeClassName)}`;
}

/** The denial text when the pod names no class, and the fallback should the message expression fail. */
export function sandboxMessage(runtimeClassName: string): string {
  return `pods in this Space run under gVisor: remove spec.runtimeClassName or set it to "${runtimeClassName}" (this Space has sandbox: ${SANDBOX_LABEL_VALUE})`;
}

/** The CEL for the denial text, naming the class the pod asked for. */
export function sandboxMessageExpression(runtimeClassName: string): string {
  const asked = `${celString('pods in this Space run under gVisor, but this pod asks for runtimeClassName "')} + object.spec.runtimeClassName + ${celString(
    `": remove spec.runtimeClassName or set it to "${runtimeClassName}" (this Space has sandbox: ${SANDBOX_LABEL_VALUE})`,
  )}`;
  return `has(object.spec.runtimeClassName) ? ${asked} : ${celString(sandboxMessage(runtimeClassName))}`;
}

/**
 * The admission policies that put every pod of a sandboxed Space under the
 * RuntimeClass from the settings, in namespaces labelled
 * `spacekit.dev/sandbox: gvisor`.
 *
 * The mutating policy fills in `runtimeClassName` when a pod names none, so
 * ordinary manifests work unchanged. A pod that names a class is left alone and
 * the validating policy denies it unless the class is the sandbox's, with a
 * message that says what to change. Setting the class in a mutating policy
 * still gets the RuntimeClass's overhead and scheduling applied: the RuntimeClass
 * admission plugin runs earlier in the chain, but any change by a mutating
 * policy makes the apiserver run the built-in mutating plugins again.
 *
 * The validating policy checks CREATE only. `runtimeClassName` cannot change on
 * a pod, so checking UPDATE could only deny pods that predate the Space being
 * sandboxed, blocking even the finalizer removal (such as Jobs') they need to
 * terminate.
 */
export function renderSandboxPolicies(
  settings: ClusterSettings,
): [V1MutatingAdmissionPolicy, V1MutatingAdmissionPolicyBinding, V1ValidatingAdmissionPolicy, V1ValidatingAdmissionPolicyBinding] {
  const name = settings.runtimeClass.name;
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingAdmissionPolicy',
      metadata: installMetadata(SANDBOX_POLICIES.runtimeClass),
      spec: {
        failurePolicy: 'Fail',
        reinvocationPolicy: 'Never',
        matchConstraints: {
          resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
        },
        // A match condition rather than a conditional expression: an apply configuration has no way to say "change nothing".
        matchConditions: [{ name: 'no-runtime-class-name', expression: '!has(object.spec.runtimeClassName)' }],
        mutations: [{ patchType: 'ApplyConfiguration', applyConfiguration: { expression: sandboxMutationExpression(name) } }],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingAdmissionPolicyBinding',
      metadata: installMetadata(SANDBOX_POLICIES.runtimeClass),
      spec: { policyName: SANDBOX_POLICIES.runtimeClass, matchResources: sandboxedNamespaces() },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: installMetadata(SANDBOX_POLICIES.enforce),
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
        },
        validations: [
          {
            expression: sandboxValidationExpression(name),
            messageExpression: sandboxMessageExpression(name),
            message: sandboxMessage(name),
            reason: 'Forbidden',
          },
        ],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: installMetadata(SANDBOX_POLICIES.enforce),
      spec: { policyName: SANDBOX_POLICIES.enforce, validationActions: ['Deny'], matchResources: sandboxedNamespaces() },
    },
  ];
}
