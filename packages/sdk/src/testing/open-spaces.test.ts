import { afterEach, describe, expect, it } from 'vitest';
import { CLEANUP_SIGNALS, type Closable, OpenSpaces } from './open-spaces.ts';

function closable(label: string, closed: string[], fail = false): Closable {
  return {
    label,
    close: async () => {
      closed.push(label);
      if (fail) throw new Error(`cannot delete ${label}`);
    },
  };
}

const listeners = () => CLEANUP_SIGNALS.map((signal) => process.listenerCount(signal));
const before = listeners();
let registry: OpenSpaces | undefined;

afterEach(async () => {
  await registry?.closeAll();
});

describe('OpenSpaces', () => {
  it('installs the signal handlers with the first open Space and removes them with the last', () => {
    registry = new OpenSpaces(() => undefined);
    expect(registry.handling).toBe(false);
    const untrackA = registry.track(closable('a', []));
    const untrackB = registry.track(closable('b', []));
    expect(registry.handling).toBe(true);
    expect(registry.size).toBe(2);
    expect(listeners()).toEqual(before.map((n) => n + 1));
    untrackA();
    expect(registry.handling).toBe(true);
    untrackB();
    untrackB();
    expect(registry.size).toBe(0);
    expect(registry.handling).toBe(false);
    expect(listeners()).toEqual(before);
  });

  it('closes everything open at once, and a failure does not stop the others', async () => {
    registry = new OpenSpaces(() => undefined);
    const closed: string[] = [];
    registry.track(closable('a', closed));
    registry.track(closable('b', closed, true));
    registry.track(closable('c', closed));
    const results = await registry.closeAll();
    expect(closed.sort()).toEqual(['a', 'b', 'c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(registry.size).toBe(0);
    expect(listeners()).toEqual(before);
  });
});
