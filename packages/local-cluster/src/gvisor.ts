import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isExecutable } from './binary.ts';
import { cacheRoot } from './cache.ts';
import { LocalClusterError } from './errors.ts';
import { RingBuffer } from './log-tail.ts';

/** The folder with gVisor's build script and the patches it applies (docs/adr/0012). */
export const GVISOR_DIR = fileURLToPath(new URL('../gvisor/', import.meta.url));

/** gVisor's sandbox runtime and its containerd shim, as a real node runs them. */
export interface GvisorBinaries {
  runsc: string;
  shim: string;
}

/** The cache key: the pinned gVisor version and a hash of the build script and patches. */
export async function gvisorKey(dir = GVISOR_DIR): Promise<string> {
  const script = await readFile(join(dir, 'build.sh'), 'utf8');
  const version = /^GVISOR_VERSION=v0\.0\.0-(\S+)$/m.exec(script)?.[1];
  if (!version) throw new Error('gvisor/build.sh does not pin GVISOR_VERSION');
  const hash = createHash('sha256').update(script);
  for (const name of (await readdir(join(dir, 'patches'))).sort()) {
    hash.update(`\0${name}\0`).update(await readFile(join(dir, 'patches', name)));
  }
  return `${version}-${hash.digest('hex').slice(0, 16)}`;
}

/**
 * Returns gVisor's binaries, building them with gvisor/build.sh on a cache
 * miss (about two minutes, once): the Go module proxy serves both the gVisor
 * module and the Go release it is built with.
 */
export async function ensureGvisor(options: { cacheDir?: string; onProgress?: (message: string) => void } = {}): Promise<GvisorBinaries> {
  const key = await gvisorKey();
  const dir = join(options.cacheDir ?? cacheRoot(), 'gvisor', key);
  const binaries = { runsc: join(dir, 'runsc'), shim: join(dir, 'containerd-shim-runsc-v1') };
  if ((await isExecutable(binaries.runsc)) && (await isExecutable(binaries.shim))) return binaries;
  options.onProgress?.(`building gVisor ${key} (runsc and its containerd shim) into ${dir} (once; a few minutes)`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const output = new RingBuffer();
  const child = spawn('bash', [join(GVISOR_DIR, 'build.sh'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c: Buffer) => output.push(c));
  child.stderr.on('data', (c: Buffer) => output.push(c));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new LocalClusterError('BUILD_FAILED', `building gVisor failed (gvisor/build.sh exited with ${code})`, output.tail(40));
  }
  return binaries;
}
