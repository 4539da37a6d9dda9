/** What separates two columns of a table for people. */
export const COLUMN_GAP = '   ';

/**
 * Rows as lines of aligned text, columns three spaces apart and no line ending in blanks: each
 * column is as wide as its widest cell, and its cells are padded on the right, or on the left
 * (numbers) where `rightAligned` says so.
 *
 * @example
 * ```ts
 * alignColumns([['WHO', 'CPU'], ['acme/dev', '1.5']], [false, true]);
 * // ['WHO        CPU', 'acme/dev   1.5']
 * ```
 */
export function alignColumns(rows: readonly (readonly string[])[], rightAligned: readonly boolean[] = []): string[] {
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (rightAligned[column] === true ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join(COLUMN_GAP)
      .trimEnd(),
  );
}
