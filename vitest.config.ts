import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // The benchmark's pure parts too; the benchmark itself runs through `pnpm bench`.
          include: ['packages/*/src/**/*.test.ts', 'packages/*/scripts/**/*.test.ts', 'test/bench/**/*.test.ts'],
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
      {
        test: {
          name: 'e2e',
          // The extension in a real VS Code (code-server) driven through Chromium; scripts/test installs both (ensure_e2e_tools).
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/setup/cluster.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
