// Builds the extension into dist/: one minified CommonJS bundle for the
// extension host (the SDK and @kubernetes/client-node included, `vscode`
// left to the host), the dashboard's page script, its stylesheet and the
// codicon font. Usage: node scripts/build.ts
import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

/** The package folder. */
export const PACKAGE_DIR = resolve(import.meta.dirname, '..');
const DIST = join(PACKAGE_DIR, 'dist');

/** What the build produced, with sizes in bytes. */
export interface BuildResult {
  extension: { path: string; bytes: number };
  dashboard: { path: string; bytes: number };
}

/** Builds everything the .vsix ships into `dist` (default: the package's dist/). */
export async function buildExtension(dist = DIST): Promise<BuildResult> {
  await rm(join(dist, 'media'), { recursive: true, force: true });
  const extension = join(dist, 'extension.cjs');
  await build({
    entryPoints: [join(PACKAGE_DIR, 'src/extension.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['vscode'],
    minify: true,
    // Stack traces in the Spacekit log stay readable.
    keepNames: true,
    legalComments: 'none',
    outfile: extension,
    logLevel: 'warning',
  });
  const dashboard = join(dist, 'media/dashboard.js');
  await build({
    entryPoints: [join(PACKAGE_DIR, 'src/webview/dashboard/client/main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    outfile: dashboard,
    logLevel: 'warning',
  });
  await copyFile(join(PACKAGE_DIR, 'media/dashboard.css'), join(dist, 'media/dashboard.css'));
  // The codicons ship inside the .vsix: the webview may load only the extension's own files.
  const codicons = dirname(createRequire(import.meta.url).resolve('@vscode/codicons/dist/codicon.css'));
  await mkdir(join(dist, 'media/codicons'), { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) await copyFile(join(codicons, file), join(dist, 'media/codicons', file));
  return {
    extension: { path: extension, bytes: (await stat(extension)).size },
    dashboard: { path: dashboard, bytes: (await stat(dashboard)).size },
  };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

if (import.meta.main) {
  const result = await buildExtension();
  console.log(
    `extension bundle ${kib(result.extension.bytes)} (${result.extension.path}), dashboard script ${kib(result.dashboard.bytes)}`,
  );
}
