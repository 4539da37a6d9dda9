import type { z } from 'zod';
import { MeterCoverageSpecSchema, SpaceUsageSpecSchema } from '../model/index.ts';
import { definition } from './definition.ts';
import { zodToStructural } from './from-zod.ts';
import type { CustomResourceDefinition } from './types.ts';

/** The metered-usage kinds (ADR 0017): written by the operator's meter, read by members with their own rights. */
export const USAGE_KINDS = {
  SpaceUsage: { kind: 'SpaceUsage', plural: 'spaceusages', singular: 'spaceusage', scope: 'Namespaced', spec: SpaceUsageSpecSchema },
  MeterCoverage: {
    kind: 'MeterCoverage',
    plural: 'metercoverages',
    singular: 'metercoverage',
    scope: 'Cluster',
    spec: MeterCoverageSpecSchema,
  },
} as const;

function usageCrd(info: {
  kind: string;
  plural: string;
  singular: string;
  scope: 'Namespaced' | 'Cluster';
  spec: z.ZodType;
}): CustomResourceDefinition {
  return definition({
    ...info,
    spec: zodToStructural(info.spec),
    columns: [
      { name: 'Day', type: 'string', jsonPath: '.spec.day' },
      ...(info.kind === 'SpaceUsage'
        ? [
            { name: 'Period', type: 'string' as const, jsonPath: '.spec.period' },
            { name: 'Hour', type: 'integer' as const, jsonPath: '.spec.hour' },
          ]
        : [{ name: 'Compacted', type: 'string' as const, jsonPath: '.spec.compacted' }]),
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  });
}

/** The CRDs of the metered-usage kinds, generated from the zod model. */
export function usageCrds(): CustomResourceDefinition[] {
  return [usageCrd(USAGE_KINDS.SpaceUsage), usageCrd(USAGE_KINDS.MeterCoverage)];
}
