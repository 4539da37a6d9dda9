import type { Spacekit } from '../spacekit.ts';

/**
 * Where a test helper gets its connection: a Spacekit, or a function that
 * makes one. A function is called where the Space is made (in the test
 * worker), so that a suite file can be loaded without a cluster.
 */
export type KitSource = Spacekit | (() => Spacekit | Promise<Spacekit>);

/** The Spacekit a {@link KitSource} stands for. */
export async function resolveKit(source: KitSource): Promise<Spacekit> {
  return typeof source === 'function' ? source() : source;
}
