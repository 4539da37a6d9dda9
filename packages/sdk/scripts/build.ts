// Builds what npm users get into lib/ (ADR 0010), run by `pnpm pack` and `pnpm publish` (prepack):
//   - the library: every module of src/ but the tests and the CLI, as JavaScript with .d.ts files,
//     emitted by tsc from the same sources the workspace runs (rewriteRelativeImportExtensions);
//   - the `spacekit` command: lib/bin/spacekit.js, an esbuild bundle with its dependencies inside,
//     split at the actions' dynamic imports, so that `--help` and `render` read a few hundred
//     kilobytes and never the Kubernetes client. @spacekit/local-cluster stays outside: it is an
//     optional peer that only `up` loads.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = join(root, 'lib');

/** Builds lib/; returns the bytes of the CLI's entry file and of all its chunks. */
export async function buildPackage(): Promise<{ entryBytes: number; cliBytes: number }> {
  rmSync(lib, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const emitted = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { encoding: 'utf8' });
  if (emitted.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed:\n${emitted.stdout}${emitted.stderr}`);

  const bin = join(lib, 'bin');
  await build({
    entryPoints: { spacekit: join(root, 'src', 'cli', 'main.ts') },
    outdir: bin,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    legalComments: 'none',
    external: ['@spacekit/local-cluster'],
    // Some dependencies are CommonJS and call require(); ESM output has none of its own.
    banner: { js: "import { createRequire as __spacekitRequire } from 'node:module'; const require = __spacekitRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  const sizes = readdirSync(bin, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => statSync(join(e.parentPath, e.name)).size);
  return { entryBytes: statSync(join(bin, 'spacekit.js')).size, cliBytes: sizes.reduce((a, b) => a + b, 0) };
}

if (import.meta.main) {
  const { entryBytes, cliBytes } = await buildPackage();
  process.stdout.write(
    `${lib}: library and declarations; CLI ${(entryBytes / 1024).toFixed(0)} KiB entry, ${(cliBytes / 2 ** 20).toFixed(1)} MiB with its chunks\n`,
  );
}
