import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const GO_MODULE = resolve(import.meta.dirname, '../../packages/local-cluster/go');

/**
 * A standalone kubectl of the control plane's Kubernetes version, built from
 * the same Go modules and cached outside the clone. The control plane's own
 * binary can run kubectl too, but it also starts up every other component's
 * packages, which would make kubectl look slower than it is.
 */
export async function ensureKubectl(version: string): Promise<string> {
  const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'spacekit', 'kubectl', version);
  const binary = join(dir, 'kubectl');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const tmp = `${binary}.tmp-${process.pid}`;
  // Stripped, as release builds are: smaller to load, so kubectl starts as fast as it does for users.
  await run(
    'go',
    [
      'build',
      '-buildvcs=false',
      '-ldflags',
      `-s -w -X k8s.io/component-base/version.gitVersion=${version}`,
      '-o',
      tmp,
      'k8s.io/kubernetes/cmd/kubectl',
    ],
    {
      cwd: GO_MODULE,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  renameSync(tmp, binary);
  return binary;
}
