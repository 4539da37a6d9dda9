/**
 * The radio a key moves to in a group of `count`, from `index`, as the
 * WAI-ARIA radio group pattern has it: arrows move and wrap around, Home and
 * End go to the ends. Undefined for any other key.
 */
export function radioTarget(key: string, index: number, count: number): number | undefined {
  if (count === 0) return undefined;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (index + 1) % count;
    case 'ArrowLeft':
    case 'ArrowUp':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
