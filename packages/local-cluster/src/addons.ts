import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isExecutable, readKeyInput, runGo, sourceHash } from './binary.ts';
import { cacheRoot } from './cache.ts';
import { LocalClusterError } from './errors.ts';

/** Where the node add-ons' Go modules live, one folder each. */
export const ADDONS_DIR = fileURLToPath(new URL('../addons/', import.meta.url));

/**
 * A program a real node runs that comes from another project's Go module,
 * built in a module of its own so that it keeps its own dependency versions.
 */
export interface AddonDefinition {
  /** Folder under addons/, and the cached binary's name. */
  name: string;
  /** The upstream module whose version names the build. */
  module: string;
  /** What `go build` builds in that folder. */
  main: string;
  /** A string variable that `-X` sets to the pinned version, as upstream's own build stamps it. */
  versionVar?: string;
}

/** The node's add-ons: the NetworkPolicy engine and cluster DNS (docs/adr/0011). */
export const NODE_ADDONS = {
  netpol: {
    name: 'kube-router',
    module: 'github.com/cloudnativelabs/kube-router/v2',
    main: 'github.com/cloudnativelabs/kube-router/v2/cmd/kube-router',
    versionVar: 'github.com/cloudnativelabs/kube-router/v2/pkg/version.Version',
  },
  coredns: { name: 'coredns', module: 'github.com/coredns/coredns', main: '.' },
} as const satisfies Record<string, AddonDefinition>;

/** The version of `module` that a go.mod pins. */
export function pinnedVersion(goMod: string, module: string): string {
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod);
  if (!match?.[1]) throw new Error(`go.mod does not require ${module}`);
  return match[1];
}

/** Options for {@link ensureAddon}. */
export interface EnsureAddonOptions {
  cacheDir?: string;
  onProgress?: (message: string) => void;
}

/**
 * Returns the path of an add-on's binary, building it on a cache miss. The
 * cache key is the upstream version plus a hash of the folder's go.mod,
 * go.sum and sources, so a fresh clone reuses what an earlier one built.
 */
export async function ensureAddon(addon: AddonDefinition, options: EnsureAddonOptions = {}): Promise<string> {
  const dir = join(ADDONS_DIR, addon.name);
  const input = await readKeyInput(dir);
  const version = pinnedVersion(input.goMod, addon.module);
  const key = `${version}-${sourceHash(input)}`;
  const outDir = join(options.cacheDir ?? cacheRoot(), 'addons', addon.name, key);
  const path = join(outDir, addon.name);
  if (await isExecutable(path)) return path;
  await mkdir(outDir, { recursive: true });
  options.onProgress?.(`building ${addon.name} ${key} for the real node into ${outDir} (once; a few minutes)`);
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    const ldflags = ['-s', '-w', ...(addon.versionVar ? [`-X ${addon.versionVar}=${version}`] : [])].join(' ');
    await runGo(['build', '-mod=readonly', '-buildvcs=false', '-trimpath', '-ldflags', ldflags, '-o', tmp, addon.main], dir, {
      CGO_ENABLED: '0',
    });
    await rename(tmp, path);
  } catch (err) {
    if (err instanceof LocalClusterError) throw err;
    throw new LocalClusterError('BUILD_FAILED', `building ${addon.name}: ${(err as Error).message}`);
  } finally {
    await rm(tmp, { force: true });
  }
  return path;
}
