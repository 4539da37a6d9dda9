import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, constants, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot } from './cache.ts';
import { LocalClusterError } from './errors.ts';
import { RingBuffer } from './log-tail.ts';

/** The Go module that builds the control plane binary. */
export const GO_MODULE_DIR = fileURLToPath(new URL('../go/', import.meta.url));

const BINARY_NAME = 'spacekit-cluster';

/**
 * Static programs built next to the control plane binary from the same
 * module; a real node packs them into the images it imports (`up` finds them
 * beside itself).
 */
const IMAGE_PROGRAMS = ['spacekit-probe', 'spacekit-pause'] as const;

/** Cached builds kept per cache folder; each is about 180 MB. */
const KEEP_BUILDS = 3;

/** A control plane binary in the build cache. */
export interface ControlPlaneBinary {
  /** Absolute path of the executable. */
  path: string;
  /** The Kubernetes release it is built from, such as `v1.37.2`. */
  kubernetesVersion: string;
  /** The cache key: Kubernetes version plus a hash of the Go sources. */
  key: string;
  /** True when this call compiled it; false when it came from the cache. */
  built: boolean;
  /** Wall-clock seconds the build took, when `built`. */
  buildSeconds?: number;
}

/** What decides whether a cached binary is still right for these sources. */
export interface BinaryKeyInput {
  goMod: string;
  /** Path relative to the module to content, for go.sum and every non-test .go file, internal packages included. */
  sources: ReadonlyMap<string, string>;
}

/** The Kubernetes version the Go module pins, read from its go.mod. */
export function kubernetesVersionOf(goMod: string): string {
  const match = /^\s*(?:require\s+)?k8s\.io\/kubernetes\s+(v\d+\.\d+\.\d+\S*)/m.exec(goMod);
  if (!match?.[1]) throw new Error('go.mod does not require k8s.io/kubernetes at a release version');
  return match[1];
}

/** A deterministic cache key for a set of Go sources. */
export function binaryKey(input: BinaryKeyInput): string {
  return `${kubernetesVersionOf(input.goMod)}-${sourceHash(input)}`;
}

/** The first 16 hex digits of a sha256 over go.mod and the sources, in sorted order. */
export function sourceHash(input: BinaryKeyInput): string {
  const hash = createHash('sha256');
  hash.update(input.goMod);
  for (const name of [...input.sources.keys()].sort()) {
    hash.update(`\0${name}\0`);
    hash.update(input.sources.get(name) ?? '');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Reads what the cache key covers from the Go module in `dir`. */
export async function readKeyInput(dir: string): Promise<BinaryKeyInput> {
  const goMod = await readFile(join(dir, 'go.mod'), 'utf8');
  // Recursive, so that an edit in an internal package also invalidates the cached build.
  const names = (await readdir(dir, { recursive: true })).filter((n) => n === 'go.sum' || (n.endsWith('.go') && !n.endsWith('_test.go')));
  const sources = new Map<string, string>();
  for (const name of names) sources.set(name, await readFile(join(dir, name), 'utf8'));
  return { goMod, sources };
}

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Linker flags that stamp the Kubernetes version into the binary, as Kubernetes' own build does. */
export function versionLdflags(version: string): string {
  const [major, minor] = version.replace(/^v/, '').split('.');
  const vars = {
    gitVersion: version,
    gitMajor: major ?? '',
    gitMinor: minor ?? '',
    gitTreeState: 'clean',
  };
  const flags = ['-s', '-w'];
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    for (const [name, value] of Object.entries(vars)) flags.push(`-X ${pkg}.${name}=${value}`);
  }
  return flags.join(' ');
}

/** Options for {@link ensureControlPlaneBinary}. */
export interface EnsureBinaryOptions {
  /** Cache folder; defaults to {@link cacheRoot}. */
  cacheDir?: string;
  /** Called with human-readable progress, such as "building…". */
  onProgress?: (message: string) => void;
}

/**
 * Returns the control plane binary for the current Go sources, building it
 * with `go build` on a cache miss. The cache lives outside the clone and is
 * keyed by Kubernetes version plus source hash, so only the first run pays
 * for the compile. Concurrent callers are safe: each builds to its own
 * temporary file and renames it into place.
 */
export async function ensureControlPlaneBinary(options: EnsureBinaryOptions = {}): Promise<ControlPlaneBinary> {
  const input = await readKeyInput(GO_MODULE_DIR);
  const kubernetesVersion = kubernetesVersionOf(input.goMod);
  const key = binaryKey(input);
  const buildsDir = join(options.cacheDir ?? cacheRoot(), 'local-cluster');
  const dir = join(buildsDir, key);
  const path = join(dir, BINARY_NAME);
  const all = [path, ...IMAGE_PROGRAMS.map((p) => join(dir, p))];
  if ((await Promise.all(all.map(isExecutable))).every(Boolean)) return { path, kubernetesVersion, key, built: false };

  await mkdir(dir, { recursive: true });
  const suffix = `.tmp-${process.pid}-${Date.now()}`;
  const tmp = `${path}${suffix}`;
  options.onProgress?.(
    `building the Kubernetes ${kubernetesVersion} control plane into ${dir} (the first build takes 10-20 minutes on 2 cores; later ones come from the cache)`,
  );
  const started = performance.now();
  try {
    // The image programs first: the control plane binary's presence is what a later check trusts most.
    for (const program of IMAGE_PROGRAMS) {
      const out = join(dir, program);
      await runGo(
        ['build', '-buildvcs=false', '-trimpath', '-ldflags', '-s -w', '-o', out + suffix, `./cmd/${program.replace('spacekit-', '')}`],
        GO_MODULE_DIR,
        {
          CGO_ENABLED: '0',
        },
      );
      await rename(out + suffix, out);
    }
    await runGo(['build', '-buildvcs=false', '-ldflags', versionLdflags(kubernetesVersion), '-o', tmp, '.'], GO_MODULE_DIR);
    await rename(tmp, path);
  } finally {
    await Promise.all([tmp, ...IMAGE_PROGRAMS.map((p) => join(dir, p) + suffix)].map((f) => rm(f, { force: true })));
  }
  const buildSeconds = (performance.now() - started) / 1000;
  options.onProgress?.(`built ${path} in ${buildSeconds.toFixed(0)}s`);
  await pruneOldBuilds(buildsDir, KEEP_BUILDS);
  return { path, kubernetesVersion, key, built: true, buildSeconds };
}

/** Removes all but the `keep` newest builds, so that source edits do not fill the disk. */
export async function pruneOldBuilds(buildsDir: string, keep: number): Promise<string[]> {
  const entries = await Promise.all(
    (await readdir(buildsDir)).map(async (name) => {
      const mtimeMs = await stat(join(buildsDir, name, BINARY_NAME)).then(
        (s) => s.mtimeMs,
        () => 0,
      );
      return { name, mtimeMs };
    }),
  );
  const stale = entries
    .sort((a, b) => b.mtimeMs - a.mtimeMs)
    .slice(keep)
    .map((e) => join(buildsDir, e.name));
  await Promise.all(stale.map((dir) => rm(dir, { recursive: true, force: true })));
  return stale;
}

/** Runs `go` with args in cwd, turning a missing Go or a failed build into a {@link LocalClusterError}. */
export function runGo(args: string[], cwd: string, env: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const output = new RingBuffer();
    const child = spawn('go', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    child.stdout.on('data', (c: Buffer) => output.push(c));
    child.stderr.on('data', (c: Buffer) => output.push(c));
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'ENOENT'
          ? new LocalClusterError(
              'GO_MISSING',
              'Go is not installed, and it is needed to build the local control plane. Install Go 1.26 or newer, or set SPACEKIT_KUBECONFIG to use an existing cluster.',
            )
          : err,
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new LocalClusterError('BUILD_FAILED', `go ${args.join(' ')} failed with exit code ${code} in ${cwd}`, output.tail(40)));
    });
  });
}
