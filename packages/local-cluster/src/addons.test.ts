import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADDONS_DIR, NODE_ADDONS, pinnedVersion } from './addons.ts';
import { gvisorKey } from './gvisor.ts';

describe('pinnedVersion', () => {
  it('reads the version a go.mod requires, in a block or on one line', () => {
    expect(pinnedVersion('module x\n\nrequire (\n\tgithub.com/coredns/coredns v1.15.0\n)\n', 'github.com/coredns/coredns')).toBe('v1.15.0');
    expect(pinnedVersion('module x\nrequire github.com/a/b/v2 v2.1.0\n', 'github.com/a/b/v2')).toBe('v2.1.0');
  });

  it('does not take a module whose path only starts with the one asked for', () => {
    expect(() => pinnedVersion('require github.com/a/bc v1.0.0\n', 'github.com/a/b')).toThrow('does not require github.com/a/b');
  });

  it('finds the pinned upstream version of each node add-on in its own go.mod', async () => {
    for (const addon of Object.values(NODE_ADDONS)) {
      const goMod = await readFile(join(ADDONS_DIR, addon.name, 'go.mod'), 'utf8');
      expect(pinnedVersion(goMod, addon.module)).toMatch(/^v\d+\.\d+\.\d+$/);
    }
  });
});

describe('gvisorKey', () => {
  it('names the pinned gVisor pseudo-version and a hash of the build script and patches', async () => {
    expect(await gvisorKey()).toMatch(/^20240925185045-e364897eab6a-[0-9a-f]{16}$/);
  });
});
