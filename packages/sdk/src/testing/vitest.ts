/**
 * Ephemeral Spaces as vitest fixtures. Importing this module needs vitest;
 * `@spacekit/sdk/testing` does not.
 *
 * @example
 * ```ts
 * import { ephemeralSpaceTest } from '@spacekit/sdk/testing/vitest';
 * const test = ephemeralSpaceTest({ kit: () => connect(), tenant: 'acme/ci', scope: 'worker' });
 * test('deploys', async ({ space }) => {
 *   await space.api(AppsV1Api).createNamespacedDeployment({ namespace: space.namespace, body: app });
 * });
 * ```
 *
 * @packageDocumentation
 */
import { test as baseTest, type TestAPI } from 'vitest';
import { type EphemeralSpace, type EphemeralSpaceOptions, ephemeralSpace } from './ephemeral-space.ts';
import { type KitSource, resolveKit } from './kit-source.ts';

export type { KitSource } from './kit-source.ts';

/** Options for {@link ephemeralSpaceFixture} and {@link ephemeralSpaceTest}. */
export interface EphemeralSpaceFixtureOptions extends EphemeralSpaceOptions {
  kit: KitSource;
}

/**
 * How long the Space lives:
 * - `test` (default): a fresh Space for every test that asks for `space`;
 * - `worker`: one per vitest worker, shared by the tests that worker runs,
 *   so N workers hold N Spaces at most.
 */
export type EphemeralSpaceScope = 'test' | 'worker';

/** A vitest fixture function that provides an {@link EphemeralSpace}. */
export type EphemeralSpaceFixture = (context: object, use: (space: EphemeralSpace) => Promise<void>) => Promise<void>;

/**
 * A fixture function for `test.extend`, for suites that compose their own
 * fixtures: `test.extend({ space: [ephemeralSpaceFixture(options), { scope: 'worker' }] })`.
 * The Space is disposed (and its namespace waited for) after the test or
 * worker, even when the test failed.
 */
export function ephemeralSpaceFixture(options: EphemeralSpaceFixtureOptions): EphemeralSpaceFixture {
  const { kit, ...spaceOptions } = options;
  // vitest reads which fixtures a fixture needs from its first parameter's destructuring: this one needs none.
  // biome-ignore lint/correctness/noEmptyPattern: vitest requires an object pattern here, and an empty one asks for no fixtures.
  const fixture: EphemeralSpaceFixture = async ({}, use) => {
    const space = await ephemeralSpace(await resolveKit(kit), spaceOptions);
    try {
      await use(space);
    } finally {
      await space.dispose();
    }
  };
  return fixture;
}

/**
 * vitest's `test` with a `space` fixture: an {@link EphemeralSpace} per test,
 * or per worker with `scope: 'worker'`.
 */
export function ephemeralSpaceTest(
  options: EphemeralSpaceFixtureOptions & { scope?: EphemeralSpaceScope },
): TestAPI<{ space: EphemeralSpace }> {
  const { scope = 'test', ...rest } = options;
  const fixture = ephemeralSpaceFixture(rest);
  return baseTest.extend<{ space: EphemeralSpace }>({ space: [fixture, { scope }] });
}
