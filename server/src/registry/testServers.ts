// Test helper: small node:http / node:https servers on 127.0.0.1 with an OS-chosen port, a request
// log, and a close() that also drops keep-alive connections so tests never hang on teardown.

import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { AddressInfo } from 'node:net';

export interface TestServer {
  host: string;
  port: number;
  /** `http://127.0.0.1:<port>` (or https). */
  url: string;
  /** Every request seen, as `METHOD path`. */
  requests: string[];
  close(): Promise<void>;
}

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

export async function startServer(handler: Handler, tlsOptions?: { key: string; cert: string }): Promise<TestServer> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const wrapped: Handler = (request, response) => {
    requests.push(`${request.method} ${request.url}`);
    handler(request, response);
  };
  const server = tlsOptions ? https.createServer(tlsOptions, wrapped) : http.createServer(wrapped);
  server.on(tlsOptions ? 'secureConnection' : 'connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // TLS handshake failures (client rejecting our cert) are expected in some tests.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    port,
    url: `${tlsOptions ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A free TCP port on 127.0.0.1 (probed by binding port 0). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
