// Builds what npm users get into lib/ (ADR 0010), run by `pnpm pack` and `pnpm publish` (prepack):
// the launcher as JavaScript with .d.ts files, emitted by tsc from the sources the workspace runs.
// The package also ships go/ (without tests), from which the launcher builds the control plane.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'lib'), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const emitted = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { encoding: 'utf8' });
if (emitted.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed:\n${emitted.stdout}${emitted.stderr}`);
process.stdout.write(`${join(root, 'lib')}: the launcher and its declarations\n`);
