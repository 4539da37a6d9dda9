import { defineConfig } from 'vitest/config';

// The example suites need a cluster and a tenant (SPACEKIT_KUBECONFIG, SPACEKIT_TENANT), so they are
// named *.suite.ts: the workspace's unit project (packages/*/src/**/*.test.ts) must not pick them up.
// In a project of your own, name them *.test.ts as usual.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['src/**/*.suite.ts'],
    // Bounds for a hung cluster only: provisioning a Space and rolling out an app take seconds.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
