import { describe, expect, it } from 'vitest';
import { cacheRoot } from './cache.ts';

describe('cacheRoot', () => {
  it('prefers SPACEKIT_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(cacheRoot({ SPACEKIT_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c');
    expect(cacheRoot({ XDG_CACHE_HOME: '/x' })).toBe('/x/spacekit');
    expect(cacheRoot({})).toMatch(/\/\.cache\/spacekit$/);
  });
});
