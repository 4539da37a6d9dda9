// A counting HTTPS proxy on 127.0.0.1 between a client and the API server: it sees every request in
// clear, so it can count the bytes of each write as the client sends them.
//
// Why it terminates TLS rather than tunnelling CONNECT: client-node 2 honours a cluster's `proxy-url`
// (undici's ProxyAgent), but through a CONNECT tunnel a proxy sees only ciphertext, so it can tell
// neither a write from a read nor HTTP bytes from TLS framing. Here the client's kubeconfig names the
// proxy, with a certificate the proxy makes for itself (openssl, 127.0.0.1 only) as its CA, and the proxy
// speaks TLS to the API server with the cluster's CA and the client's own credentials. A certificate of
// its own, not the cluster's serving key, so that it works against SPACEKIT_KUBECONFIG clusters too.
import { readFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { runCommand } from './context.ts';

/** One request as it reached the proxy. */
export interface ProxiedRequest {
  method: string;
  /** The path without the query. */
  path: string;
  /** Request line, headers and body, as the client sent them. */
  bytes: number;
  bodyBytes: number;
}

export interface CountingProxy {
  /** A kubeconfig for the same user that sends everything through the proxy. */
  kubeConfig: KubeConfig;
  /** Called once per request whose body has arrived whole. */
  onRequest: ((request: ProxiedRequest) => void) | undefined;
  stop: () => Promise<void>;
}

/** Reads go out as GET (lists and watches too); everything else writes. */
export function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/** The bytes of a request's head as HTTP/1.1 puts it on the wire: request line, header lines, blank line. */
export function headBytes(method: string, url: string, rawHeaders: readonly string[]): number {
  let n = Buffer.byteLength(`${method} ${url} HTTP/1.1\r\n`);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) n += Buffer.byteLength(`${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`);
  return n + 2;
}

/** Starts the proxy in front of `upstream`'s current cluster; `dir` receives its key and certificate. */
export async function startCountingProxy(upstream: KubeConfig, dir: string): Promise<CountingProxy> {
  const keyFile = join(dir, 'proxy.key');
  const certFile = join(dir, 'proxy.crt');
  await runCommand('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=spacekit-bench-proxy',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  const cert = readFileSync(certFile);
  const cluster = upstream.getCurrentCluster();
  const user = upstream.getCurrentUser();
  const context = upstream.getContextObject(upstream.getCurrentContext());
  if (!cluster || !user || !context) throw new Error('the kubeconfig has no current context with a cluster and a user');
  const target = new URL(cluster.server);
  // The client's TLS material (CA, client certificate) for the upstream hop; tokens travel in the client's own headers.
  const tls: { ca?: unknown; cert?: unknown; key?: unknown; rejectUnauthorized?: boolean } = {};
  await upstream.applyToHTTPSOptions(tls as never);
  const agent = new Agent({
    ca: tls.ca as string | undefined,
    cert: tls.cert as string | undefined,
    key: tls.key as string | undefined,
    ...(tls.rejectUnauthorized !== undefined && { rejectUnauthorized: tls.rejectUnauthorized }),
    keepAlive: true,
    maxSockets: 64,
  });

  const proxy: CountingProxy = { kubeConfig: new KubeConfig(), onRequest: undefined, stop: async () => {} };
  const server = createServer({ key: readFileSync(keyFile), cert }, (req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.length;
    });
    req.on('end', () => {
      proxy.onRequest?.({
        method,
        path: url.split('?')[0] ?? url,
        bytes: headBytes(method, url, req.rawHeaders) + bodyBytes,
        bodyBytes,
      });
    });
    const out = request(
      { host: target.hostname, port: target.port || 443, method, path: url, headers: { ...req.headers, host: target.host }, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`counting proxy: ${err.message}`);
      else res.destroy(err);
    });
    // A watch the client gives up on must not stay open upstream.
    res.on('close', () => out.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  proxy.kubeConfig.loadFromOptions({
    clusters: [{ name: 'counting-proxy', server: `https://127.0.0.1:${port}`, caData: cert.toString('base64'), skipTLSVerify: false }],
    users: [user],
    contexts: [{ ...context, cluster: 'counting-proxy' }],
    currentContext: context.name,
  });
  proxy.stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    agent.destroy();
  };
  return proxy;
}
