// Images without a registry: an archive built here is loaded into the real
// node and a pod runs it with imagePullPolicy Never.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CoreV1Api } from '@kubernetes/client-node';
import { ensureControlPlaneBinary, startLocalCluster } from '@spacekit/local-cluster';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { adminKubeConfig, createNamespace, eventually, uniqueName } from '../support/kube.ts';
import { probePodSpec } from '../support/probe.ts';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../packages/local-cluster/src/cli.ts', import.meta.url));
const hasNode = inject('realNodes').length > 0;
const dataDir = inject('clusterDataDir');
const admin = adminKubeConfig();
const scratch = mkdtempSync(join(tmpdir(), 'spacekit-images-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.runIf(hasNode)(`loading images into the real node${hasNode ? '' : ` (not run: ${inject('nodesSkipped')})`}`, () => {
  it('runs a pod from an archive built and loaded here, with imagePullPolicy Never', async () => {
    const binary = await ensureControlPlaneBinary();
    const archive = join(scratch, 'loaded.tar');
    const name = `spacekit.test/loaded:${uniqueName('v').slice(2)}`;
    await run(binary.path, ['image', 'build', '--binary', join(dirname(binary.path), 'spacekit-probe'), '--name', name, '--out', archive]);
    const loaded = await run(process.execPath, [CLI, 'image', 'load', '--data-dir', dataDir, archive]);
    expect(loaded.stdout).toContain('into spacekit-node');

    const namespace = uniqueName('images');
    await createNamespace(admin, namespace);
    const spec = probePodSpec();
    spec.containers[0]!.image = name;
    spec.containers[0]!.command = ['/spacekit-probe'];
    const core = admin.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({ namespace, body: { metadata: { name: 'loaded' }, spec } });
    const pod = await eventually(
      'the pod to run',
      async () => {
        const p = await core.readNamespacedPod({ name: 'loaded', namespace });
        return p.status?.containerStatuses?.[0]?.ready ? p : undefined;
      },
      { timeoutMs: 120_000 },
    );
    expect(pod.status?.containerStatuses?.[0]?.image).toBe(name);
    const reply = await core.connectGetNamespacedPodProxyWithPath({ name: 'loaded:8080', namespace, path: '' });
    expect(reply).toBe('spacekit-probe on loaded\n');
    await core.deleteNamespace({ name: namespace });
  });

  it('refuses a file that is not an image archive, saying so', async () => {
    const notAnImage = join(scratch, 'notes.txt');
    writeFileSync(notAnImage, 'hello\n');
    const error = await run(process.execPath, [CLI, 'image', 'load', '--data-dir', dataDir, notAnImage]).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(1);
    expect(error?.stderr).toContain('import image notes.txt');
    const missing = await run(process.execPath, [CLI, 'image', 'load', '--data-dir', dataDir, join(scratch, 'absent.tar')]).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(missing?.stderr).toContain('is not an image archive file');
  });
});

describe('loadImage() on a cluster that is not the local one', () => {
  it('refuses with NOT_LOCAL and says what to do instead', async () => {
    const borrowed = await startLocalCluster({ kubeconfig: inject('kubeconfigPath') });
    await expect(borrowed.loadImage(join(scratch, 'any.tar'))).rejects.toMatchObject({
      name: 'LocalClusterError',
      code: 'NOT_LOCAL',
      message: expect.stringContaining('registry'),
    });
  });
});
