import { API_GROUP, API_VERSION, LABELS, MANAGER } from '../model/index.ts';
import { CATEGORY } from './kinds.ts';
import type { CustomResourceDefinition, PrinterColumn, StructuralSchema } from './types.ts';

/** What one Spacekit CRD is made of; the rest is the same for every kind. */
export interface DefinitionParts {
  kind: string;
  plural: string;
  singular: string;
  shortNames?: readonly string[];
  scope: 'Namespaced' | 'Cluster';
  spec: StructuralSchema;
  /** With a status subresource; omitted for kinds that only their writer changes. */
  status?: StructuralSchema;
  columns: readonly PrinterColumn[];
}

/** A Spacekit CustomResourceDefinition: one served and stored version, in the Spacekit category, labelled as Spacekit's. */
export function definition(parts: DefinitionParts): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${parts.plural}.${API_GROUP}`,
      labels: { [LABELS.managedBy]: MANAGER, 'app.kubernetes.io/part-of': 'spacekit' },
    },
    spec: {
      group: API_GROUP,
      names: {
        kind: parts.kind,
        listKind: `${parts.kind}List`,
        plural: parts.plural,
        singular: parts.singular,
        ...(parts.shortNames && parts.shortNames.length > 0 && { shortNames: [...parts.shortNames] }),
        categories: [CATEGORY],
      },
      scope: parts.scope,
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              // Spec fields all have defaults, but the server applies them only inside a spec that exists.
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string', description: 'The versioned schema of this representation of an object' },
                kind: { type: 'string', description: 'The REST resource this object represents' },
                // Left to the API server, which validates metadata itself.
                metadata: { type: 'object' },
                spec: parts.spec,
                ...(parts.status && { status: parts.status }),
              },
            },
          },
          ...(parts.status && { subresources: { status: {} } }),
          additionalPrinterColumns: parts.columns.map((column) => ({ ...column })),
        },
      ],
    },
  };
}
