import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificatesV1Api, KubeConfig } from '@kubernetes/client-node';
import { eventually } from './wait.ts';

/** A user who signs in with a client certificate, as people on real clusters do, rather than through impersonation. */
export interface CertificateUser {
  name: string;
  /** A kubeconfig that authenticates as this user, its context's namespace set when asked. */
  kubeConfig: KubeConfig;
  kubeconfig: string;
}

/**
 * Makes a key and a certificate signing request with openssl, has the
 * cluster sign it (the CertificateSigningRequest API, signer
 * `kubernetes.io/kube-apiserver-client`, approved by the admin, signed by the
 * controller-manager) and returns a kubeconfig for it. The CSR object is
 * removed once the certificate is out; the key never leaves this process.
 */
export async function certificateUser(
  admin: KubeConfig,
  name: string,
  options: { groups?: string[]; namespace?: string } = {},
): Promise<CertificateUser> {
  const dir = mkdtempSync(join(tmpdir(), 'spacekit-cert-'));
  try {
    const subject = `/CN=${name}${(options.groups ?? []).map((g) => `/O=${g}`).join('')}`;
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'csr.pem'),
        '-subj',
        subject,
      ],
      { stdio: 'pipe' },
    );
    const key = readFileSync(join(dir, 'key.pem'));
    const request = readFileSync(join(dir, 'csr.pem')).toString('base64');
    const certificates = admin.makeApiClient(CertificatesV1Api);
    const csrName = `spacekit-test-${name}`.slice(0, 250);
    await certificates.createCertificateSigningRequest({
      body: {
        metadata: { name: csrName },
        spec: { request, signerName: 'kubernetes.io/kube-apiserver-client', expirationSeconds: 86_400, usages: ['client auth'] },
      },
    });
    try {
      const csr = await certificates.readCertificateSigningRequest({ name: csrName });
      csr.status = {
        conditions: [{ type: 'Approved', status: 'True', reason: 'SpacekitTest', message: 'a test user', lastUpdateTime: new Date() }],
      };
      await certificates.replaceCertificateSigningRequestApproval({ name: csrName, body: csr });
      const certificate = await eventually(
        `the certificate of ${name}`,
        async () => (await certificates.readCertificateSigningRequest({ name: csrName })).status?.certificate,
      );
      const cluster = admin.getCurrentCluster();
      if (!cluster) throw new Error('the admin kubeconfig has no cluster');
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromOptions({
        clusters: [cluster],
        users: [{ name, certData: certificate, keyData: key.toString('base64') }],
        contexts: [{ name, cluster: cluster.name, user: name, ...(options.namespace !== undefined && { namespace: options.namespace }) }],
        currentContext: name,
      });
      return { name, kubeConfig, kubeconfig: kubeConfig.exportConfig() };
    } finally {
      await certificates.deleteCertificateSigningRequest({ name: csrName }).catch(() => undefined);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
