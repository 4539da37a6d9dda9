export {
  addQuantities,
  compareQuantities,
  subtractQuantities,
  sumQuantities,
  type Quantity,
} from './arithmetic.ts';
export { canonicalResources, orderResources, PRIMARY_RESOURCES, quantitiesAsStrings, sameResources } from './canonical.ts';
export { QuantityError, ResourceListError } from './errors.ts';
export { formatForResource, formatQuantity, styleForResource, type QuantityStyle } from './format.ts';
export { humanAmount, humanQuantity } from './human.ts';
export { MAX_MILLI, parseQuantity } from './parse.ts';
export {
  formatResourceList,
  parseResourceList,
  sumResourceLists,
  type ParseResourceListOptions,
  type ResourceList,
} from './resource-list.ts';
export { normalizeResourceName, resourceNameProblem, resourceTitle, type TitleStyle } from './resource-name.ts';
export { QuantitySchema, ResourceListSchema } from './schema.ts';
