import { Watch } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, type Space, type Spacekit } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKubeConfig, uniqueName } from '../support/kube.ts';
import { adminKitWithOperator, quiescent, SHARD_LABEL, type ShardOperator, startShardOperator } from '../support/operator.ts';

// A cluster admin's SDK provisions Spaces itself (embedded) while the operator reconciles the same objects
// from its watch: the two race on every new Space, and neither may undo what the other has already shown.
const shard = uniqueName('alongside');
const org = shard;
const tenantNamespace = `${org}--team`;
// Enough Spaces that the race is run many times: before the fix, about one Space in ten went back to Pending.
const SPACES = 24;
let kit: Spacekit;
let operator: ShardOperator;

beforeAll(async () => {
  kit = await adminKitWithOperator();
  operator = await startShardOperator(shard);
  await kit.organizations.create({ name: org, labels: { [SHARD_LABEL]: shard }, resources: { cpu: SPACES, memory: `${SPACES}Gi` } });
  await kit.tenants.create({ organization: org, name: 'team', resources: { cpu: SPACES, memory: `${SPACES}Gi` } });
});

afterAll(async () => {
  await kit?.organizations.delete(org).catch(() => undefined);
  expect(await operator?.shutdown()).toBe(0);
});

/** Every phase each Space's status passed through, as the API server sent it, with the Ready condition's reason. */
async function watchPhases(): Promise<{ history: Map<string, string[]>; stop(): void }> {
  const history = new Map<string, string[]>();
  const request = await new Watch(adminKubeConfig()).watch(
    `/apis/${API_GROUP}/${API_VERSION}/namespaces/${tenantNamespace}/spaces`,
    {},
    (_type: string, space: Space) => {
      const ready = space.status?.conditions?.find((c) => c.type === 'Ready');
      const phase = `${space.status?.phase ?? 'none'}${ready ? ` (${ready.reason})` : ''}`;
      const seen = history.get(space.metadata.name) ?? [];
      if (seen.at(-1) !== phase) seen.push(phase);
      history.set(space.metadata.name, seen);
    },
    () => undefined,
  );
  return { history, stop: () => request.abort() };
}

describe('the operator alongside an embedded SDK', () => {
  it('never sends a Space the SDK reported Ready back to Pending', async () => {
    const watch = await watchPhases();
    const names = Array.from({ length: SPACES }, (_, i) => `s${i}`);
    try {
      for (const name of names) {
        const created = await kit.spaces.create({ organization: org, tenant: 'team', name, resources: { cpu: 1, memory: '1Gi' } });
        expect(created.status?.phase, name).toBe('Ready');
      }
      // Once the operator's queue is empty and it writes nothing more, it has reconciled every Space: the history is complete.
      await quiescent(operator);
      const stored = await kit.spaces.list({ organization: org, tenant: 'team' });
      expect(stored.map((s) => [s.metadata.name, s.status?.phase]).sort()).toEqual(names.map((name) => [name, 'Ready']).sort());
    } finally {
      watch.stop();
    }
    const demoted = [...watch.history].filter(([, phases]) => {
      const firstReady = phases.findIndex((p) => p.startsWith('Ready'));
      return firstReady >= 0 && phases.slice(firstReady).some((p) => !p.startsWith('Ready'));
    });
    expect(demoted.map(([name, phases]) => `${name}: ${phases.join(' > ')}`)).toEqual([]);
    expect(watch.history.size).toBe(SPACES);
  });
});
