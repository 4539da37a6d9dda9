import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded-map.ts';

describe('BoundedMap', () => {
  it('never holds more than its limit', () => {
    const map = new BoundedMap<number, number>(3);
    for (let i = 0; i < 100; i++) map.set(i, i);
    expect(map.size).toBe(3);
    expect([...map.keys()]).toEqual([97, 98, 99]);
  });

  it('forgets the least recently used entry, counting reads as use', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2);
    expect(map.get('a')).toBe(1);
    map.set('c', 3);
    expect(map.has('a')).toBe(true);
    expect(map.has('b')).toBe(false);
    expect(map.get('c')).toBe(3);
  });

  it('replacing a key keeps one entry for it and makes it the newest', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('a', 10).set('c', 3);
    expect([...map.entries()]).toEqual([
      ['a', 10],
      ['c', 3],
    ]);
  });

  it('delete makes room without evicting others', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2);
    map.delete('a');
    map.set('c', 3);
    expect([...map.keys()]).toEqual(['b', 'c']);
  });

  it('keeps a stored undefined distinct from a missing key', () => {
    const map = new BoundedMap<string, number | undefined>(2);
    map.set('a', undefined);
    expect(map.has('a')).toBe(true);
    expect(map.get('missing')).toBeUndefined();
  });

  it('refuses a limit below 1', () => {
    expect(() => new BoundedMap(0)).toThrow(RangeError);
    expect(() => new BoundedMap(1.5)).toThrow(RangeError);
  });
});
