import type { z } from 'zod';
import { API_GROUP, API_VERSION, LABELS, MANAGER, MeterCoverageSpecSchema, SpaceUsageSpecSchema } from '../model/index.ts';
import { CATEGORY } from './kinds.ts';
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
        kind: info.kind,
        listKind: `${info.kind}List`,
        plural: info.plural,
        singular: info.singular,
        categories: [CATEGORY],
      },
      scope: info.scope,
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string', description: 'The versioned schema of this representation of an object' },
                kind: { type: 'string', description: 'The REST resource this object represents' },
                metadata: { type: 'object' },
                spec: zodToStructural(info.spec),
              },
            },
          },
          additionalPrinterColumns: [
            { name: 'Day', type: 'string', jsonPath: '.spec.day' },
            ...(info.kind === 'SpaceUsage' ? [{ name: 'Hour', type: 'integer' as const, jsonPath: '.spec.hour' }] : []),
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
        },
      ],
    },
  };
}

/** The CRDs of the metered-usage kinds, generated from the zod model. */
export function usageCrds(): CustomResourceDefinition[] {
  return [usageCrd(USAGE_KINDS.SpaceUsage), usageCrd(USAGE_KINDS.MeterCoverage)];
}
