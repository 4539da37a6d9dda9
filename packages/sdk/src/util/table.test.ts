import { describe, expect, it } from 'vitest';
import { alignColumns } from './table.ts';

describe('alignColumns', () => {
  it('pads each column to its widest cell, numbers on the left, and trims the line end', () => {
    expect(
      alignColumns(
        [
          ['WHO', 'CPU', 'NOTE'],
          ['acme/dev', '1.5', ''],
          ['a', '12.25', 'x'],
        ],
        [false, true],
      ),
    ).toEqual(['WHO          CPU   NOTE', 'acme/dev     1.5', 'a          12.25   x']);
  });

  it('gives no lines for no rows', () => {
    expect(alignColumns([])).toEqual([]);
  });
});
