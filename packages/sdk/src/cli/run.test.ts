import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { run } from './run.ts';
import { HELP_TEXT } from './help.ts';

async function spacekit(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
    untilStopped: () => Promise.reject(new Error('no command here waits for Ctrl-C')),
  });
  return { code, stdout, stderr };
}

describe('run', () => {
  it('prints the usage for help and exits 0', async () => {
    expect(await spacekit('help')).toEqual({ code: 0, stdout: HELP_TEXT, stderr: '' });
    expect((await spacekit('--help')).code).toBe(0);
  });

  it('exits 2 with the problem and the usage on stderr for a bad command line', async () => {
    const { code, stdout, stderr } = await spacekit('create', 'space', 'acme/dev');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`spacekit: expected ORG/TENANT/SPACE, such as acme/payments/dev, not "acme/dev"\n\n${HELP_TEXT}`);
    expect((await spacekit()).code).toBe(2);
  });

  it('renders without a cluster', async () => {
    const { code, stdout, stderr } = await spacekit(
      '--kubeconfig',
      '/does/not/exist',
      'render',
      '--org',
      'acme',
      '--tenant',
      'web',
      '--space',
      'dev',
      '--cpu',
      '1',
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(parseAllDocuments(stdout).map((d) => (d.toJS() as { kind: string }).kind)).toContain('LimitRange');
  });

  it("exits 1 with the SDK's message when it refuses", async () => {
    const { code, stdout, stderr } = await spacekit('render', '--org', 'kube-system', '--tenant', 'web', '--space', 'dev');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'spacekit: organization name "kube-system" is reserved for Kubernetes or Spacekit (default, kube-*, spacekit-system); choose another\n',
    );
  });

  it('exits 1 naming the kubeconfig it cannot read', async () => {
    const { code, stderr } = await spacekit('--kubeconfig', '/does/not/exist', 'get');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^spacekit: cannot load the kubeconfig \/does\/not\/exist: ENOENT/);
  });
});
