import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { binaryKey, kubernetesVersionOf, pruneOldBuilds, readKeyInput, versionLdflags } from './binary.ts';

const goMod = 'module spacekit.dev/local-cluster\n\ngo 1.26.0\n\nrequire k8s.io/kubernetes v1.37.2\n';

describe('kubernetesVersionOf', () => {
  it('reads the pinned release from a single-line require', () => {
    expect(kubernetesVersionOf(goMod)).toBe('v1.37.2');
  });

  it('reads it from a require block', () => {
    expect(kubernetesVersionOf('require (\n\tgithub.com/x/y v1.0.0\n\tk8s.io/kubernetes v1.36.3\n)\n')).toBe('v1.36.3');
  });

  it('refuses a go.mod that does not pin Kubernetes', () => {
    expect(() => kubernetesVersionOf('module x\n')).toThrow(/does not require k8s.io\/kubernetes/);
  });
});

describe('binaryKey', () => {
  const sources = new Map([
    ['main.go', 'package main'],
    ['go.sum', 'k8s.io/api v0.37.2 h1:abc'],
  ]);

  it('starts with the Kubernetes version and is stable for the same input', () => {
    const key = binaryKey({ goMod, sources });
    expect(key).toMatch(/^v1\.37\.2-[0-9a-f]{16}$/);
    expect(binaryKey({ goMod, sources: new Map([...sources].reverse()) })).toBe(key);
  });

  it('changes when any source changes', () => {
    const key = binaryKey({ goMod, sources });
    expect(binaryKey({ goMod, sources: new Map([...sources, ['main.go', 'package main // edited']]) })).not.toBe(key);
    expect(binaryKey({ goMod: `${goMod}\n// note`, sources })).not.toBe(key);
    expect(binaryKey({ goMod, sources: new Map([...sources, ['extra.go', '']]) })).not.toBe(key);
  });

  it('does not let content move between file names unnoticed', () => {
    const a = binaryKey({
      goMod,
      sources: new Map([
        ['a.go', 'xy'],
        ['b.go', ''],
      ]),
    });
    const b = binaryKey({
      goMod,
      sources: new Map([
        ['a.go', 'x'],
        ['b.go', 'y'],
      ]),
    });
    expect(a).not.toBe(b);
  });
});

describe('readKeyInput', () => {
  it('covers the sources of internal packages too, and leaves tests out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spacekit-key-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'internal', 'lifetime'), { recursive: true });
    await writeFile(join(dir, 'go.mod'), goMod);
    await writeFile(join(dir, 'go.sum'), 'sum');
    await writeFile(join(dir, 'main.go'), 'package main');
    await writeFile(join(dir, 'main_test.go'), 'package main');
    await writeFile(join(dir, 'internal', 'lifetime', 'lifetime.go'), 'package lifetime');
    await writeFile(join(dir, 'internal', 'lifetime', 'lifetime_test.go'), 'package lifetime');
    const input = await readKeyInput(dir);
    expect([...input.sources.keys()].sort()).toEqual(['go.sum', join('internal', 'lifetime', 'lifetime.go'), 'main.go']);
    const before = binaryKey(input);
    await writeFile(join(dir, 'internal', 'lifetime', 'lifetime.go'), 'package lifetime // edited');
    expect(binaryKey(await readKeyInput(dir))).not.toBe(before);
  });
});

describe('versionLdflags', () => {
  it('stamps the version into both version packages, as Kubernetes does', () => {
    const flags = versionLdflags('v1.37.2');
    for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
      expect(flags).toContain(`-X ${pkg}.gitVersion=v1.37.2`);
      expect(flags).toContain(`-X ${pkg}.gitMajor=1`);
      expect(flags).toContain(`-X ${pkg}.gitMinor=37`);
    }
  });
});

describe('pruneOldBuilds', () => {
  it('keeps the newest builds and removes the rest', async () => {
    const root = await mkdtemp(join(tmpdir(), 'builds-'));
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    const ages = { 'v1-old': 3000, 'v1-mid': 2000, 'v1-new': 1000 };
    for (const [name, age] of Object.entries(ages)) {
      await mkdir(join(root, name));
      const bin = join(root, name, 'spacekit-cluster');
      await writeFile(bin, '');
      const when = new Date(Date.now() - age * 1000);
      await utimes(bin, when, when);
    }
    await mkdir(join(root, 'v1-broken'));
    const removed = await pruneOldBuilds(root, 2);
    expect((await readdir(root)).sort()).toEqual(['v1-mid', 'v1-new']);
    expect(removed.map((p) => p.slice(root.length + 1)).sort()).toEqual(['v1-broken', 'v1-old']);
  });
});
