import { describe, expect, it } from 'vitest';
import { defaultKubeconfigPath, gitWorkTreeOf } from './kubeconfigPath.ts';

describe('where a scoped kubeconfig is saved', () => {
  it('defaults to a private folder under ~/.kube', () => {
    expect(defaultKubeconfigPath('/home/dave', 'acme--pay--dev')).toBe('/home/dave/.kube/spacekit/acme--pay--dev.kubeconfig');
  });

  it('finds the Git work tree a chosen path lies in, or none', () => {
    const gits = new Set(['/work/repo/.git']);
    const exists = (p: string) => gits.has(p);
    expect(gitWorkTreeOf('/work/repo/config/dev.kubeconfig', exists)).toBe('/work/repo');
    expect(gitWorkTreeOf('/work/repo/dev.kubeconfig', exists)).toBe('/work/repo');
    expect(gitWorkTreeOf('/home/dave/.kube/spacekit/dev.kubeconfig', exists)).toBeUndefined();
  });
});
