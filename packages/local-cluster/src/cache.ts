import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The folder where expensive builds are cached, outside any clone so that a
 * fresh checkout reuses them: `$SPACEKIT_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/spacekit`, else `~/.cache/spacekit`.
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPACEKIT_CACHE_DIR) return env.SPACEKIT_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'spacekit');
}
