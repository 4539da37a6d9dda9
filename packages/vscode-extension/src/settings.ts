import { DEFAULT_SIZES, type Size } from './model/spaceInput.ts';

/** The `spacekit.*` settings, typed, with the defaults package.json documents. */
export interface Settings {
  kubeconfig: string;
  context: string;
  scopes: string[];
  space: string;
  refreshDebounceMs: number;
  operatorUrl: string;
  sizePresets: Size[];
  credentialsExpirationSeconds: number;
}

/** The section all settings live under. */
export const SECTION = 'spacekit';

/** Settings whose change means a new connection (and a new discovery). */
export const CONNECTION_SETTINGS = ['kubeconfig', 'context', 'scopes'] as const;

const isSize = (s: unknown): s is Size =>
  typeof s === 'object' && s !== null && ['label', 'cpu', 'memory'].every((k) => typeof (s as Record<string, unknown>)[k] === 'string');

/**
 * Reads the settings through `get` (VS Code's `WorkspaceConfiguration.get`),
 * falling back to the defaults for values of the wrong type, so that a typo
 * in settings.json degrades to the default instead of breaking the view.
 */
export function readSettings(get: (key: string) => unknown): Settings {
  const text = (key: string, fallback = '') => {
    const v = get(key);
    return typeof v === 'string' ? v : fallback;
  };
  const number = (key: string, fallback: number, min: number) => {
    const v = get(key);
    return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : fallback;
  };
  const scopes = get('scopes');
  const presets = get('sizePresets');
  return {
    kubeconfig: text('kubeconfig'),
    context: text('context'),
    scopes: Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [],
    space: text('space'),
    refreshDebounceMs: number('refreshDebounceMs', 500, 0),
    operatorUrl: text('operatorUrl'),
    sizePresets: Array.isArray(presets) && presets.every(isSize) && presets.length > 0 ? presets : [...DEFAULT_SIZES],
    credentialsExpirationSeconds: number('credentialsExpirationSeconds', 3600, 600),
  };
}
