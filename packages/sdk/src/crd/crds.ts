import type { z } from 'zod';
import {
  API_GROUP,
  API_VERSION,
  LABELS,
  MANAGER,
  OrganizationSpecSchema,
  SpaceSpecSchema,
  StatusSchema,
  TenantSpecSchema,
} from '../model/index.ts';
import { PRINTER_COLUMNS } from './columns.ts';
import { zodToStructural } from './from-zod.ts';
import { CATEGORY, KINDS, type SpacekitKind } from './kinds.ts';
import type { CustomResourceDefinition, StructuralSchema } from './types.ts';
import { usageCrds } from './usage-crds.ts';

const SPECS: Record<SpacekitKind, z.ZodType> = {
  Organization: OrganizationSpecSchema,
  Tenant: TenantSpecSchema,
  Space: SpaceSpecSchema,
};

/** The object schema shared by every kind around its own spec. */
function objectSchema(spec: StructuralSchema, status: StructuralSchema): StructuralSchema {
  return {
    type: 'object',
    // Spec fields all have defaults, but the server applies them only inside a spec that exists.
    required: ['spec'],
    properties: {
      apiVersion: { type: 'string', description: 'The versioned schema of this representation of an object' },
      kind: { type: 'string', description: 'The REST resource this object represents' },
      // Left to the API server, which validates metadata itself.
      metadata: { type: 'object' },
      spec,
      status,
    },
  };
}

function crd(kind: SpacekitKind, status: StructuralSchema): CustomResourceDefinition {
  const info = KINDS[kind];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${info.plural}.${API_GROUP}`,
      labels: { [LABELS.managedBy]: MANAGER, 'app.kubernetes.io/part-of': 'spacekit' },
    },
    spec: {
      group: API_GROUP,
      names: {
        kind,
        listKind: `${kind}List`,
        plural: info.plural,
        singular: info.singular,
        shortNames: [...info.shortNames],
        categories: [CATEGORY],
      },
      scope: info.scope,
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: objectSchema(zodToStructural(SPECS[kind]), status) },
          subresources: { status: {} },
          additionalPrinterColumns: PRINTER_COLUMNS[kind].map((column) => ({ ...column })),
        },
      ],
    },
  };
}

/**
 * The CustomResourceDefinitions for Organization, Tenant and Space, and the
 * metered-usage kinds SpaceUsage and MeterCoverage (ADR 0017), generated
 * from the zod model so that types, validation and the cluster's schema agree.
 *
 * @returns Fresh manifests, safe to modify, in dependency order (Organization first).
 */
export function spacekitCrds(): CustomResourceDefinition[] {
  const status = zodToStructural(StatusSchema);
  return [...(['Organization', 'Tenant', 'Space'] as const).map((kind) => crd(kind, structuredClone(status))), ...usageCrds()];
}
