/**
 * Ephemeral Spaces for Node's built-in test runner (`node:test`).
 *
 * @example
 * ```ts
 * import { test } from 'node:test';
 * import { ephemeralSpaceFor } from '@spacekit/sdk/testing/node-test';
 * test('deploys', async (t) => {
 *   const space = await ephemeralSpaceFor(t, kit, { tenant: 'acme/ci' });
 *   // … disposed when the test ends, pass or fail
 * });
 * ```
 *
 * @packageDocumentation
 */
import { after, before, type TestContext } from 'node:test';
import type { Spacekit } from '../spacekit.ts';
import { type EphemeralSpace, type EphemeralSpaceOptions, ephemeralSpace } from './ephemeral-space.ts';
import { type KitSource, resolveKit } from './kit-source.ts';

export type { KitSource } from './kit-source.ts';

/**
 * An ephemeral Space for one test: made now, disposed when the test ends
 * (`t.after`, which runs whether the test passed or failed), with the
 * namespace waited for.
 */
export async function ephemeralSpaceFor(
  t: Pick<TestContext, 'after'>,
  kit: Spacekit,
  options: EphemeralSpaceOptions,
): Promise<EphemeralSpace> {
  const space = await ephemeralSpace(kit, options);
  t.after(() => space.dispose());
  return space;
}

/**
 * One ephemeral Space for every test of a file or `describe` block: made in
 * a `before` hook and disposed in an `after` hook registered where this is
 * called. Returns a getter for the tests to use.
 *
 * @example
 * ```ts
 * describe('the app', () => {
 *   const space = ephemeralSpaceHooks(() => connect(), { tenant: 'acme/ci' });
 *   test('deploys', async () => { await deploy(space().kubeConfig); });
 * });
 * ```
 */
export function ephemeralSpaceHooks(kit: KitSource, options: EphemeralSpaceOptions): () => EphemeralSpace {
  let space: EphemeralSpace | undefined;
  before(async () => {
    space = await ephemeralSpace(await resolveKit(kit), options);
  });
  after(async () => {
    await space?.dispose();
  });
  return () => {
    if (!space) throw new Error('the ephemeral Space is made in a before() hook: use it inside a test, not while the file loads');
    return space;
  };
}
