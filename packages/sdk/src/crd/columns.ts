import type { SpacekitKind } from './kinds.ts';
import type { PrinterColumn } from './types.ts';

const phase: PrinterColumn = { name: 'Phase', type: 'string', jsonPath: '.status.phase' };
// Not plain "Namespace": `kubectl get -A` already shows the namespace the object lives in under that name.
function keeps(level: string): PrinterColumn {
  return { name: `${level} Namespace`, type: 'string', jsonPath: '.status.namespace', description: 'The namespace this object keeps' };
}
const ready: PrinterColumn = { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' };
const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

/**
 * Columns for `kubectl get`. Budgets are left out: a resource may be written as
 * `cpu` or `requests.cpu`, and a column reads only one key, so it would show
 * blanks for half the objects.
 */
export const PRINTER_COLUMNS: Record<SpacekitKind, readonly PrinterColumn[]> = {
  Organization: [phase, keeps('Org'), ready, age],
  Tenant: [phase, keeps('Tenant'), ready, age],
  Space: [
    phase,
    keeps('Space'),
    { name: 'Sandbox', type: 'string', jsonPath: '.spec.sandbox' },
    { name: 'Pod Security', type: 'string', jsonPath: '.spec.podSecurity', priority: 1 },
    ready,
    age,
  ],
};
