/** Orders strings by code unit, unlike `localeCompare`, so that output does not depend on the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
