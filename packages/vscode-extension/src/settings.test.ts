import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings } from './settings.ts';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8')) as {
  activationEvents: string[];
  main: string;
  contributes: { commands: { command: string; title: string }[]; configuration: { properties: Record<string, { default?: unknown; markdownDescription?: string }> } };
};

describe('settings', () => {
  it('fall back to the defaults for values of the wrong type', () => {
    const settings = readSettings((key) => ({ refreshDebounceMs: -1, scopes: 'acme', sizePresets: [{ label: 'x' }], kubeconfig: 42 })[key]);
    expect(settings.refreshDebounceMs).toBe(500);
    expect(settings.scopes).toEqual([]);
    expect(settings.kubeconfig).toBe('');
    expect(settings.sizePresets.map((s) => s.label)).toEqual(['Small', 'Medium', 'Large']);
  });

  it('are each documented in package.json, with the same default', () => {
    const defaults = readSettings(() => undefined);
    for (const [key, value] of Object.entries(defaults)) {
      const property = manifest.contributes.configuration.properties[`spacekit.${key}`];
      expect(property, `spacekit.${key} is not in contributes.configuration`).toBeDefined();
      expect(property?.markdownDescription).toBeTruthy();
      expect(property?.default).toEqual(value);
    }
  });
});

describe('the manifest', () => {
  it('activates on its view or commands only, never on "*"', () => {
    expect(manifest.activationEvents).not.toContain('*');
    expect(manifest.main).toBe('./dist/extension.cjs');
  });

  it('contributes exactly the commands the extension registers', () => {
    const source = readFileSync(join(import.meta.dirname, 'commands/registerCommands.ts'), 'utf8');
    const registered = [...source.matchAll(/'(spacekit\.[A-Za-z]+)':/g)].map((m) => m[1]).sort();
    expect(manifest.contributes.commands.map((c) => c.command).sort()).toEqual(registered);
  });
});
