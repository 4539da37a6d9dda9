import { HttpMethod, KubeConfig, type User } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import { RawApi } from './raw.ts';

// Port 1 on loopback refuses at once: each request gets as far as its headers and fails without a server.
const kubeConfig = (user: User) => {
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser({ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: false }, user);
  return kc;
};

async function authCalls(kc: KubeConfig, requests: number): Promise<number> {
  const spy = vi.spyOn(kc, 'applySecurityAuthentication');
  const raw = new RawApi(kc);
  for (let i = 0; i < requests; i++) await expect(raw.request(HttpMethod.GET, '/api')).rejects.toThrow();
  return spy.mock.calls.length;
}

describe('RawApi authentication', () => {
  it('works out static credentials once, not on every request', async () => {
    expect(await authCalls(kubeConfig({ name: 'u', token: 'static' }), 5)).toBe(1);
  });

  it('applies credentials that can change (an exec plugin, an auth provider) to every request', async () => {
    const exec = { command: 'true', apiVersion: 'client.authentication.k8s.io/v1' };
    const execKc = kubeConfig({ name: 'u', exec });
    // The plugin itself is not run here: only whether each request asks for credentials again.
    vi.spyOn(execKc, 'applySecurityAuthentication').mockResolvedValue();
    const spy = vi.mocked(execKc.applySecurityAuthentication);
    const raw = new RawApi(execKc);
    for (let i = 0; i < 3; i++) await expect(raw.request(HttpMethod.GET, '/api')).rejects.toThrow();
    expect(spy).toHaveBeenCalledTimes(3);
  });

  it('works them out again when the current user changes', async () => {
    const kc = kubeConfig({ name: 'u', token: 'a' });
    const spy = vi.spyOn(kc, 'applySecurityAuthentication');
    const raw = new RawApi(kc);
    await expect(raw.request(HttpMethod.GET, '/api')).rejects.toThrow();
    kc.loadFromClusterAndUser({ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: false }, { name: 'v', token: 'b' });
    await expect(raw.request(HttpMethod.GET, '/api')).rejects.toThrow();
    await expect(raw.request(HttpMethod.GET, '/api')).rejects.toThrow();
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
