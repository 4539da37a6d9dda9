import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_IDS } from './commands/commandIds.ts';
import { readSettings } from './settings.ts';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8')) as {
  activationEvents: string[];
  main: string;
  engines: { vscode: string };
  contributes: {
    commands: { command: string; title: string }[];
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, { default?: unknown; markdownDescription?: string }> };
  };
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
    // VS Code 1.74 and later activate an extension on the views and commands it contributes; older ones would never activate it.
    const [major = 0, minor = 0] = (/(\d+)\.(\d+)/.exec(manifest.engines.vscode) ?? []).slice(1).map(Number);
    expect(major * 1000 + minor, `engines.vscode ${manifest.engines.vscode}`).toBeGreaterThanOrEqual(1074);
    const views = Object.values(manifest.contributes.views)
      .flat()
      .map((v) => `onView:${v.id}`);
    expect(views).toContain('onView:spacekit.spaces');
    // Anything else (*, onStartupFinished, a language or a file) would start it where nobody asked for Spacekit.
    const implied = [...views, ...manifest.contributes.commands.map((c) => `onCommand:${c.command}`)];
    expect(manifest.activationEvents.filter((event) => !implied.includes(event))).toEqual([]);
  });

  it('contributes exactly the commands the extension registers', () => {
    expect(manifest.contributes.commands.map((c) => c.command).sort()).toEqual([...COMMAND_IDS].sort());
  });
});
