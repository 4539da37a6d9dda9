import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A route: answers one path. */
export type Route = (
  request: IncomingMessage,
  url: URL,
) => Promise<{ status: number; body: string | Iterable<string>; contentType?: string }>;

/** A small HTTP server for `/metrics`, health and the usage report; nothing else is served. */
export interface OperatorServer {
  /** The base URL it listens on, such as `http://127.0.0.1:9090`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Parses `host:port` (`:9090` and `0.0.0.0:9090` too; port 0 picks a free
 * one).
 *
 * @throws {Error} with an example when the address cannot be parsed.
 */
export function parseListenAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(address.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new Error(`"${address}" is not a listen address; write host:port, such as 127.0.0.1:9090 or :9090`);
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

/** Starts serving `routes` on `address`; resolves once listening. */
export async function serve(address: string, routes: Record<string, Route>): Promise<OperatorServer> {
  const { host, port } = parseListenAddress(address);
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://operator');
    const route = request.method === 'GET' ? routes[url.pathname] : undefined;
    if (!route) {
      response.writeHead(request.method === 'GET' ? 404 : 405, { 'content-type': 'text/plain' }).end(`not found: ${url.pathname}\n`);
      return;
    }
    route(request, url).then(
      ({ status, body, contentType }) => {
        response.writeHead(status, { 'content-type': contentType ?? 'text/plain; charset=utf-8' });
        if (typeof body === 'string') response.end(body);
        // A chunked body is pulled as the socket drains, so that a large one is never whole in memory.
        else pipeline(Readable.from(body), response).catch(() => response.destroy());
      },
      (err: unknown) =>
        response.writeHead(500, { 'content-type': 'text/plain' }).end(`${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const shown = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${shown}:${bound.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
