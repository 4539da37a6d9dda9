import type { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '@spacekit/sdk';

/**
 * A client for a meter that dies in the middle of each write: its SpaceUsage writes reach the real
 * API server, the MeterCoverage write that would commit them never does. What it leaves behind is
 * what a meter killed between the two leaves.
 */
export function clientThatNeverCommits(admin: KubeConfig): KubeClient {
  const dying = new KubeClient(admin);
  const write = dying.write.bind(dying);
  dying.write = (async (kind: string, ...rest: Parameters<KubeClient['write']> extends [unknown, ...infer R] ? R : never) => {
    if (kind === 'MeterCoverage') throw new Error('killed before the coverage was written');
    return write(kind, ...rest);
  }) as KubeClient['write'];
  return dying;
}
