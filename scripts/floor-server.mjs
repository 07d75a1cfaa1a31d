/**
 * A bare server answering every request with the same 400-byte JSON body, for floor-bench.ts: what HTTPS with
 * client certificates and keep-alive costs before any of the API server's own work. Takes the API server's flags
 * `--secure-port` and `--data-dir` (its certificates in <data-dir>/pki, made by a real server first) and
 * `--floor <kind>`:
 *   https   node:https (HTTP/1.1 only)
 *   h2      node:http2's secure server with HTTP/1.1 allowed and its compatibility request/response, as ours
 *   hono    the same server through @hono/node-server's listener and a Hono app of one route
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { createSecureServer } from 'node:http2';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';

const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
const pki = (f) => readFileSync(join(arg('--data-dir'), 'pki', f), 'utf8');
const tls = { key: pki('apiserver.key'), cert: pki('apiserver.crt'), ca: pki('ca.crt'), requestCert: true, rejectUnauthorized: false };

// The size of the bench's ConfigMap as the API server writes it.
const body = Buffer.from(JSON.stringify({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'floor' }, data: { k: 'v'.repeat(100) } }).padEnd(400, ' '));
const plain = (req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
  res.end(body);
};

const kind = arg('--floor');
let server;
if (kind === 'https') server = createServer({ ...tls, noDelay: true }, plain);
else if (kind === 'h2') server = createSecureServer({ ...tls, allowHTTP1: true, noDelay: true }, plain);
else if (kind === 'hono') {
  const app = new Hono();
  app.get('*', (c) => c.body(body, 200, { 'Content-Type': 'application/json' }));
  server = createSecureServer({ ...tls, allowHTTP1: true, noDelay: true }, getRequestListener(app.fetch));
} else throw new Error(`--floor https|h2|hono, not ${kind}`);
// `--stream-fed`: HTTP/1.1 parsers fed through the connection's 'data' events, as runtime/server/http1-feed.ts does.
if (process.argv.includes('--stream-fed')) server.on('secureConnection', (socket) => socket.alpnProtocol !== 'h2' && socket.on('data', () => {}));
server.keepAliveTimeout = 90_000;
server.listen(Number(arg('--secure-port')), '127.0.0.1');
