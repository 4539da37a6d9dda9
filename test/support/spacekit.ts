import { connect, type Spacekit } from '@spacekit/sdk';
import { inject } from 'vitest';

/** An SDK connection to the run's control plane, as the cluster admin, with Spacekit installed. */
export async function adminKit(): Promise<Spacekit> {
  const kit = await connect({ kubeconfig: inject('kubeconfigPath') });
  await kit.install();
  return kit;
}
