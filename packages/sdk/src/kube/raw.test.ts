import { type AddressInfo, createServer } from 'node:net';
import { HttpMethod, KubeConfig, type User } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import { RawApi } from './raw.ts';

/** A loopback port nobody listens on: one the kernel just handed out and took back. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

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

describe('RawApi without an answer', () => {
  it('names the request that was refused, and keeps the transport code', async () => {
    const raw = new RawApi(kubeConfig({ name: 'u', token: 'static' }));
    const err = await raw.request(HttpMethod.GET, '/apis/spacekit.dev/v1alpha1/metercoverages?limit=1').then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err?.message).toBe('GET https://127.0.0.1:1/apis/spacekit.dev/v1alpha1/metercoverages: connect ECONNREFUSED 127.0.0.1:1');
    expect(err?.code).toBe('ECONNREFUSED');
    expect((err?.cause as { code?: string } | undefined)?.code).toBe('ECONNREFUSED');
  });

  it('does the same for a watch, whose fetch says only "fetch failed"', async () => {
    // fetch refuses port 1 itself ("bad port"), so a port that was just free is used.
    const port = await freePort();
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser({ name: 'c', server: `https://127.0.0.1:${port}`, skipTLSVerify: false }, { name: 'u', token: 'static' });
    await expect(new RawApi(kc).stream('/api/v1/namespaces', { watch: true }, new AbortController().signal)).rejects.toThrow(
      `GET https://127.0.0.1:${port}/api/v1/namespaces: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });
});
