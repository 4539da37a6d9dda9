export { spacekitCrds } from './crds.ts';
export { KINDS, CATEGORY, type KindInfo, type SpacekitKind } from './kinds.ts';
export { QUANTITY_PATTERN } from './quantity.ts';
export { toStructuralSchema, type JsonSchema } from './structural.ts';
export type {
  CustomResourceDefinition,
  CustomResourceDefinitionVersion,
  PrinterColumn,
  StructuralSchema,
  StructuralType,
} from './types.ts';
