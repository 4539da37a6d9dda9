import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/cluster.ts'],
          // The control plane is shared; each test file works in namespaces of its own.
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
