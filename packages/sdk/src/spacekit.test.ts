import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { NotFoundError, ValidationError } from './errors.ts';
import { connect } from './spacekit.ts';

const kubeconfig = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: one, context: { cluster: c, user: u } }, { name: two, context: { cluster: c, user: u } }]
current-context: one
`;

describe('connect', () => {
  it('selects the requested context without contacting the cluster', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'connect-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'config'), kubeconfig);
    const kit = await connect({ kubeconfig: join(dir, 'config'), context: 'two' });
    expect(kit.kubeConfig.getCurrentContext()).toBe('two');
    expect(kit.writes).toBe(0);
  });

  it('names the contexts there are when the requested one is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'connect-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'config'), kubeconfig);
    await expect(connect({ kubeconfig: join(dir, 'config'), context: 'three' })).rejects.toThrow(NotFoundError);
    await expect(connect({ kubeconfig: join(dir, 'config'), context: 'three' })).rejects.toThrow('it has: one, two');
  });

  it('refuses unknown settings', async () => {
    await expect(connect({ kubeconfig: '/dev/null', settings: { runtimeClas: {} } as never })).rejects.toThrow(ValidationError);
  });

  it('refuses a reservation lease that is not a whole number of milliseconds of at least a second', async () => {
    for (const reservationLeaseMs of [999, 1500.5, Number.NaN]) {
      await expect(connect({ kubeconfig: '/dev/null', reservationLeaseMs })).rejects.toThrow(/reservationLeaseMs: must be a whole number/);
    }
  });
});
