import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startLocalCluster } from './start.ts';

describe('startLocalCluster with an existing cluster', () => {
  it('refuses a kubeconfig that is not a kubeconfig, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kc-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'config');
    await writeFile(path, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    await expect(startLocalCluster({ kubeconfig: path })).rejects.toMatchObject({
      code: 'KUBECONFIG_INVALID',
      message: `kubeconfig ${path} has no current context with a cluster`,
    });
  });

  it('refuses a missing file and says how to fall back to the local control plane', async () => {
    await expect(startLocalCluster({ kubeconfig: '/nonexistent/config' })).rejects.toMatchObject({
      code: 'KUBECONFIG_INVALID',
      message: expect.stringContaining('Unset it to start the local control plane'),
    });
  });
});
