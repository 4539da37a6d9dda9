import type { KubeClient } from '../kube/index.ts';
import type { ClusterSettings } from '../model/index.ts';
import { CrStore } from './store.ts';

/** What the engine needs, whichever host runs it (the SDK in-process, or the operator). */
export interface EngineContext {
  client: KubeClient;
  settings: ClusterSettings;
  organizations: CrStore<'Organization'>;
  tenants: CrStore<'Tenant'>;
  spaces: CrStore<'Space'>;
}

export function engineContext(client: KubeClient, settings: ClusterSettings): EngineContext {
  return {
    client,
    settings,
    organizations: new CrStore(client, 'Organization'),
    tenants: new CrStore(client, 'Tenant'),
    spaces: new CrStore(client, 'Space'),
  };
}
