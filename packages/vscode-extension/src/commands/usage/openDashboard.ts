import type { Container } from '../../container.ts';
import { target } from '../targets.ts';

/** Opens (or reveals) the usage dashboard of a Space, Tenant or Organization. */
export async function openDashboard(container: Container, arg?: unknown): Promise<void> {
  const scope = await target(container, arg, 'any', 'Usage dashboard of');
  if (scope) container.dashboards.open(scope);
}
