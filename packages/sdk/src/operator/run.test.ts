import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { runOperator } from './run.ts';

// Refused before the operator serves or sends anything: the kubeconfig's server is never reached.
const kubeConfig = () => {
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser({ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: false }, { name: 'u', token: 't' });
  return kc;
};

async function refusal(meter: NonNullable<Parameters<typeof runOperator>[0]['meter']>): Promise<ValidationError> {
  const err = await runOperator({ kubeConfig: kubeConfig(), metricsAddress: '127.0.0.1:0', meter }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationError);
  return err as ValidationError;
}

describe('runOperator refuses a meter it cannot keep in the cluster', () => {
  it('with buckets shorter than a minute or that do not divide an hour', async () => {
    expect((await refusal({ bucketMs: 30_000 })).issues[0]).toMatchObject({
      path: 'bucketMs',
      message: expect.stringMatching(/divides an hour/),
    });
    expect((await refusal({ bucketMs: 7 * 60_000 })).issues[0]?.path).toBe('bucketMs');
  });

  it('with a retention whose resolutions are out of order', async () => {
    const err = await refusal({ retention: { minutesForMs: 3_600_000 } });
    expect(err.issues[0]).toMatchObject({ path: 'retention', message: 'minute buckets must be kept for at least a day (1d)' });
  });
});
