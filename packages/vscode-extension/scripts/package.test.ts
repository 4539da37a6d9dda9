// The .vsix holds what the extension host runs and nothing else: the manifest, the bundle, the
// dashboard's script and styles, the codicons and the icon. Built into a scratch folder, removed after.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageExtension } from './package.ts';

/** The entries of a zip file, from its central directory: name, size and size compressed. */
function zipEntries(zip: Buffer): { name: string; bytes: number; compressedBytes: number }[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip file: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i += 1) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry at ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      bytes: zip.readUInt32LE(at + 24),
      compressedBytes: zip.readUInt32LE(at + 20),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const scratch = mkdtempSync(join(tmpdir(), 'spacekit-vsix-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the packaged extension', () => {
  it('contains only what runs, and stays small', async () => {
    const { vsix, bytes } = await packageExtension(scratch);
    const entries = zipEntries(readFileSync(vsix));
    expect(entries.map((e) => e.name).sort()).toEqual(
      [
        '[Content_Types].xml',
        'extension.vsixmanifest',
        'extension/package.json',
        'extension/readme.md',
        'extension/media/spacekit.svg',
        'extension/dist/extension.cjs',
        'extension/dist/media/dashboard.css',
        'extension/dist/media/dashboard.js',
        'extension/dist/media/codicons/codicon.css',
        'extension/dist/media/codicons/codicon.ttf',
      ].sort(),
    );
    // Budgets with room for growth, to catch what should not be there (source maps, a second copy of a
    // dependency, node_modules): 0.66 MiB packed and a 2.7 MiB bundle when this test was written.
    expect(bytes).toBeLessThan(1.5 * 2 ** 20);
    const bundle = entries.find((e) => e.name === 'extension/dist/extension.cjs');
    expect(bundle?.bytes).toBeLessThan(4 * 2 ** 20);
    const manifest = JSON.parse(readFileSync(join(scratch, 'vsix/package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: 'spacekit', main: './dist/extension.cjs' });
    expect(manifest).not.toHaveProperty('dependencies');
    expect(manifest).not.toHaveProperty('scripts');
    expect(manifest).not.toHaveProperty('devDependencies');
    // Bundling and vsce take a few seconds, more on a busy machine: a bound, not a measurement.
  }, 120_000);
});
