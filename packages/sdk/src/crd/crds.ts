import type { z } from 'zod';
import { definition } from './definition.ts';
import { OrganizationSpecSchema, SpaceSpecSchema, StatusSchema, TenantSpecSchema } from '../model/index.ts';
import { PRINTER_COLUMNS } from './columns.ts';
import { zodToStructural } from './from-zod.ts';
import { KINDS, type SpacekitKind } from './kinds.ts';
import type { CustomResourceDefinition, StructuralSchema } from './types.ts';
import { usageCrds } from './usage-crds.ts';

const SPECS: Record<SpacekitKind, z.ZodType> = {
  Organization: OrganizationSpecSchema,
  Tenant: TenantSpecSchema,
  Space: SpaceSpecSchema,
};

function crd(kind: SpacekitKind, status: StructuralSchema): CustomResourceDefinition {
  const info = KINDS[kind];
  return definition({
    kind,
    plural: info.plural,
    singular: info.singular,
    shortNames: info.shortNames,
    scope: info.scope,
    spec: zodToStructural(SPECS[kind]),
    status,
    columns: PRINTER_COLUMNS[kind],
  });
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
