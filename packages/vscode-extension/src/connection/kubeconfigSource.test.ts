import { describe, expect, it } from 'vitest';
import { describeSource, resolveKubeconfig } from './kubeconfigSource.ts';

const files =
  (...present: string[]) =>
  (path: string) =>
    present.includes(path);
const base = { setting: '', contextSetting: '', env: {}, home: '/home/u', exists: files('/home/u/.kube/config') };

describe('which kubeconfig the extension uses', () => {
  it('prefers the spacekit.kubeconfig setting, with ~ expanded, and the context setting', () => {
    const resolved = resolveKubeconfig({
      ...base,
      setting: '~/k/tina.yaml',
      contextSetting: 'tina',
      env: { KUBECONFIG: '/env' },
      exists: files('/home/u/k/tina.yaml', '/env'),
    });
    expect(resolved).toEqual({
      source: { origin: 'setting', path: '/home/u/k/tina.yaml', files: ['/home/u/k/tina.yaml'], context: 'tina' },
    });
  });

  it('reports a missing file from the setting rather than falling back silently', () => {
    expect(resolveKubeconfig({ ...base, setting: '/gone' })).toEqual({ missing: ['/gone'] });
  });

  it('follows the Kubernetes extension before $KUBECONFIG', () => {
    const resolved = resolveKubeconfig({
      ...base,
      kubernetesExtensionPath: '/k8s',
      env: { KUBECONFIG: '/env' },
      exists: files('/k8s', '/env'),
    });
    expect(resolved).toMatchObject({ source: { origin: 'kubernetes-extension', path: '/k8s' } });
  });

  it('honours $KUBECONFIG, including a list the SDK merges as kubectl does', () => {
    expect(resolveKubeconfig({ ...base, env: { KUBECONFIG: '/a' }, exists: files('/a') })).toMatchObject({
      source: { origin: 'KUBECONFIG', path: '/a' },
    });
    const merged = resolveKubeconfig({ ...base, env: { KUBECONFIG: '/a:/b:/c' }, exists: files('/a', '/c') });
    expect(merged).toEqual({ source: { origin: 'KUBECONFIG', files: ['/a', '/c'] } });
    expect(resolveKubeconfig({ ...base, env: { KUBECONFIG: '/x' }, exists: files() })).toEqual({ missing: ['/x'] });
  });

  it('falls back to ~/.kube/config, then in-cluster credentials, else says where it looked', () => {
    expect(resolveKubeconfig(base)).toMatchObject({ source: { origin: 'default', path: '/home/u/.kube/config' } });
    expect(resolveKubeconfig({ ...base, exists: files(), env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' } })).toEqual({
      source: { origin: 'in-cluster', files: [] },
    });
    expect(resolveKubeconfig({ ...base, exists: files() })).toEqual({ missing: ['/home/u/.kube/config'] });
  });

  it('describes the source for the log', () => {
    expect(describeSource({ origin: 'setting', path: '/k', files: ['/k'], context: 'c' })).toBe(
      'the spacekit.kubeconfig setting (/k, context c)',
    );
  });
});
