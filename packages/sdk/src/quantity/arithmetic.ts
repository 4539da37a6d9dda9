/**
 * An exact quantity: a count of milli-units of its resource (1 core, 1 byte or 1 pod is `1000n`).
 *
 * One base unit for every resource keeps budget arithmetic free of per-resource
 * scaling, and bigint keeps it exact where floats would drift (`0.1 + 0.2`).
 * Produce values with {@link parseQuantity}; write them with {@link formatQuantity}.
 */
export type Quantity = bigint;

/** `a + b`, exactly. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return a + b;
}

/** `a - b`, exactly; negative when `b` exceeds `a`, which is how an overdrawn budget shows. */
export function subtractQuantities(a: Quantity, b: Quantity): Quantity {
  return a - b;
}

/** The exact sum of `quantities`; `0n` for none. */
export function sumQuantities(quantities: Iterable<Quantity>): Quantity {
  let total = 0n;
  for (const quantity of quantities) {
    total += quantity;
  }
  return total;
}

/** `-1`, `0` or `1` as `a` is less than, equal to or greater than `b`; usable as an `Array.prototype.sort` comparator. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}
