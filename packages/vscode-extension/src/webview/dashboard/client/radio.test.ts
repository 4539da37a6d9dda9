import { describe, expect, it } from 'vitest';
import { radioTarget } from './radio.ts';

describe("the period radio group's keys", () => {
  it('move with the arrows, wrapping around, and jump with Home and End', () => {
    expect(radioTarget('ArrowRight', 0, 4)).toBe(1);
    expect(radioTarget('ArrowDown', 3, 4)).toBe(0);
    expect(radioTarget('ArrowLeft', 0, 4)).toBe(3);
    expect(radioTarget('ArrowUp', 2, 4)).toBe(1);
    expect(radioTarget('Home', 2, 4)).toBe(0);
    expect(radioTarget('End', 0, 4)).toBe(3);
  });

  it('ignore other keys and an empty group', () => {
    expect(radioTarget('Enter', 1, 4)).toBeUndefined();
    expect(radioTarget('a', 1, 4)).toBeUndefined();
    expect(radioTarget('ArrowRight', 0, 0)).toBeUndefined();
  });
});
