import { NotInstalledError } from '@spacekit/sdk';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from './classify.ts';

describe('why the Spaces view cannot show a tree', () => {
  it('tells "not installed" apart from "unreachable"', () => {
    expect(classifyFailure(new NotInstalledError())).toMatchObject({
      state: 'notInstalled',
      message: expect.stringContaining('spacekit install'),
    });
  });

  it('names the network error of a refused connection, from the cause chain', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
    const failure = classifyFailure(new TypeError('fetch failed', { cause: refused }));
    expect(failure.state).toBe('unreachable');
    expect(failure.message).toBe('Cannot reach the cluster (ECONNREFUSED): fetch failed: connect ECONNREFUSED 127.0.0.1:6443');
  });

  it('says a cause once when the error above it already quotes it', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
    const named = new Error('GET https://127.0.0.1:6443/apis/spacekit.dev/v1alpha1/organizations: connect ECONNREFUSED 127.0.0.1:6443', {
      cause: refused,
    });
    expect(classifyFailure(named).message).toBe(
      'Cannot reach the cluster (ECONNREFUSED): GET https://127.0.0.1:6443/apis/spacekit.dev/v1alpha1/organizations: connect ECONNREFUSED 127.0.0.1:6443',
    );
  });
});
