/**
 * `@spacekit/sdk/testing`: a Space of its own for each test run or worker,
 * deleted afterwards even when the run crashes. Needs no test runner; the
 * vitest fixtures are in `@spacekit/sdk/testing/vitest` and the `node:test`
 * helpers in `@spacekit/sdk/testing/node-test`.
 *
 * @packageDocumentation
 */
export { type DisposeOptions, type EphemeralSpace, type EphemeralSpaceOptions, ephemeralSpace } from './ephemeral-space.ts';
export { CLEANUP_SIGNALS, type Closable, openEphemeralSpaces, OpenSpaces, SIGNAL_CLEANUP_MS } from './open-spaces.ts';
export {
  DEFAULT_EPHEMERAL_PREFIX,
  DEFAULT_EPHEMERAL_RESOURCES,
  DEFAULT_EPHEMERAL_TTL,
  EPHEMERAL_LABEL,
  ephemeralSpaceName,
  parseTenant,
  type ResourcesInput,
  type SandboxInput,
} from './plan.ts';
export type { KitSource } from './kit-source.ts';
