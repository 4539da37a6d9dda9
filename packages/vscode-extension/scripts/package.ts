// Builds the extension and packages it as a .vsix with @vscode/vsce.
// Usage: node scripts/package.ts   → dist/spacekit-<version>.vsix
//
// vsce packages a staging folder, not the workspace package: the bundle
// already holds every dependency (--no-dependencies), and the published
// manifest must be named `spacekit`, while the workspace knows the package
// as `@spacekit/vscode-extension`.
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildExtension, PACKAGE_DIR } from './build.ts';

/** The manifest fields the .vsix keeps; workspace-only ones (scripts, dependencies) go. */
const KEPT = [
  'displayName',
  'version',
  'publisher',
  'description',
  'license',
  'main',
  'engines',
  'categories',
  'keywords',
  'activationEvents',
  'contributes',
] as const;

/** The packaged extension's id is `<publisher>.<name>`: `spacekit.spacekit`. */
export const EXTENSION_NAME = 'spacekit';

/** Builds, stages and packages into `dist` (default: the package's dist/); returns the .vsix path and size. */
export async function packageExtension(dist = join(PACKAGE_DIR, 'dist')): Promise<{ vsix: string; bytes: number; bundleBytes: number }> {
  const built = await buildExtension(dist);
  const manifest = JSON.parse(await readFile(join(PACKAGE_DIR, 'package.json'), 'utf8')) as Record<string, unknown>;
  const stage = join(dist, 'vsix');
  await rm(stage, { recursive: true, force: true });
  await mkdir(join(stage, 'dist'), { recursive: true });
  const published: Record<string, unknown> = { name: EXTENSION_NAME };
  for (const key of KEPT) if (manifest[key] !== undefined) published[key] = manifest[key];
  await writeFile(join(stage, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
  await cp(built.extension.path, join(stage, 'dist/extension.cjs'));
  await cp(join(dist, 'media'), join(stage, 'dist/media'), { recursive: true });
  await cp(join(PACKAGE_DIR, 'media/spacekit.svg'), join(stage, 'media/spacekit.svg'));
  await cp(join(PACKAGE_DIR, 'README.md'), join(stage, 'README.md'));
  const vsix = join(dist, `${EXTENSION_NAME}-${String(manifest.version)}.vsix`);
  const vsce = join(dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
  const result = spawnSync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', vsix],
    {
      cwd: stage,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`vsce package failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return { vsix, bytes: (await stat(vsix)).size, bundleBytes: built.extension.bytes };
}

if (import.meta.main) {
  const { vsix, bytes, bundleBytes } = await packageExtension();
  console.log(`${vsix}: ${(bytes / 1024).toFixed(0)} KiB (extension bundle ${(bundleBytes / 1024).toFixed(0)} KiB)`);
}
