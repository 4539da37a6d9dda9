import { LocalClusterError } from '@spacekit/local-cluster';
import { describe, expect, it } from 'vitest';
import { NameError, NotFoundError, QuotaExceededError, SpacekitError, ValidationError } from '../errors.ts';
import { CliError, describeError, UsageError } from './errors.ts';

describe('describeError', () => {
  it('exits 2 with the usage for usage errors', () => {
    expect(describeError(new UsageError('expected ORG'))).toEqual({ exitCode: 2, message: 'expected ORG', showUsage: true });
  });

  it("shows the SDK's and the launcher's messages unchanged, exiting 1", () => {
    const quota = new QuotaExceededError({
      resource: 'requests.cpu',
      parent: 'tenant acme/payments',
      requested: '3',
      budget: '4',
      free: '1',
      holders: [],
      message: 'space "big" asks for requests.cpu=3, but tenant acme/payments has only 1 free of 4',
    });
    for (const err of [
      quota,
      new NameError('A', 'organization name "A" is not allowed'),
      new NotFoundError('organization x does not exist'),
      new CliError('cannot load'),
    ]) {
      expect(describeError(err)).toEqual({ exitCode: 1, message: err.message, showUsage: false });
    }
    expect(describeError(new LocalClusterError('START_FAILED', 'the control plane exited', 'last log line')).message).toBe(
      'the control plane exited\nlast log line',
    );
  });

  it('shows every issue of a ValidationError once', () => {
    const err = new ValidationError('space', [
      { path: 'resources.cpu', message: '"lots" is not a Kubernetes quantity' },
      { path: '', message: 'something else' },
    ]);
    const { message, exitCode } = describeError(err);
    expect(exitCode).toBe(1);
    expect(message).toBe('invalid space:\n  - resources.cpu: "lots" is not a Kubernetes quantity\n  - something else');
    const bare = Object.assign(new ValidationError('space', []), { issues: [{ path: 'sandbox', message: 'not allowed here' }] });
    expect(describeError(bare).message).toBe('invalid space:\n\n  - sandbox: not allowed here');
  });

  it('adds the network error behind "fetch failed"', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
    const fetchFailed = new TypeError('fetch failed', { cause: refused });
    const wrapped = new SpacekitError('CLUSTER', 'cannot list organizations: fetch failed', { cause: fetchFailed });
    expect(describeError(wrapped).message).toBe('cannot list organizations: fetch failed: connect ECONNREFUSED 127.0.0.1:6443');
    expect(describeError(fetchFailed).message).toBe('fetch failed: connect ECONNREFUSED 127.0.0.1:6443');
  });

  it('points at SPACEKIT_DEBUG for unexpected errors, and shows the stack with it', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(describeError(bug).message).toBe(`${bug.message} (set SPACEKIT_DEBUG=1 to see where)`);
    expect(describeError(bug, { debug: true }).message).toBe(bug.stack);
    expect(describeError('thrown string')).toEqual({ exitCode: 1, message: 'thrown string', showUsage: false });
  });
});
