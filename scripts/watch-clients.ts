/**
 * Watch clients for the profiling scripts (alloc.ts --watch, cpu-perf.ts --phases watch): many watches of one path,
 * each counting the events its body carries by frame, nothing parsed, so the client costs the shared machine little.
 */
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect as connectHttp2 } from 'node:http2';
import type { TestServer } from '../test/support/server.ts';

/** The admin kubeconfig's CA, client certificate and key, for watch connections of their own. */
export function adminCredentials(server: TestServer): { ca: string; cert: string; key: string } {
  const cfg = readFileSync(server.kubeconfig, 'utf8');
  const field = (name: string) => Buffer.from(new RegExp(`${name}: (\\S+)`).exec(cfg)![1], 'base64').toString();
  return { ca: field('certificate-authority-data'), cert: field('client-certificate-data'), key: field('client-key-data') };
}

/**
 * Counts the events a watch body carries as its bytes arrive: newline-terminated JSON lines, or protobuf frames
 * (a 4-byte big-endian length, then that many bytes).
 */
export function frameCounter(binary: boolean): (chunk: Buffer) => number {
  if (!binary) return (chunk) => {
    let n = 0;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
    return n;
  };
  let head = Buffer.alloc(0);
  let skip = 0;
  return (chunk) => {
    let n = 0;
    let at = 0;
    while (at < chunk.length) {
      if (skip) {
        const take = Math.min(skip, chunk.length - at);
        skip -= take;
        at += take;
        if (!skip) n++;
        continue;
      }
      const need = 4 - head.length;
      head = Buffer.concat([head, chunk.subarray(at, at + need)]);
      at += Math.min(need, chunk.length - at);
      if (head.length === 4) {
        skip = head.readUInt32BE(0);
        head = Buffer.alloc(0);
        if (!skip) n++;
      }
    }
    return n;
  };
}

export interface CountedWatch { events: number; close(): void }

/**
 * Opens `count` watches of `path` (or watch i of `path(i)`; each on its own HTTP/1.1 connection, or with `http2` over
 * sessions of 100 streams each) and resolves once each has its response headers. `binary`: the bodies are protobuf frames.
 */
export async function openWatches(server: TestServer, path: string | ((i: number) => string), count: number, http2: boolean, headers: Record<string, string>, binary = false): Promise<CountedWatch[]> {
  const pathOf = typeof path === 'string' ? () => path : path;
  const creds = adminCredentials(server);
  const sessions = http2 ? Array.from({ length: Math.ceil(count / 100) }, () => {
    const s = connectHttp2(server.url, { ...creds, settings: { initialWindowSize: 4 << 20 } });
    s.on('connect', () => s.setLocalWindowSize(1 << 30));
    return s;
  }) : [];
  const open = (i: number) => new Promise<CountedWatch>((resolve, reject) => {
    const count = frameCounter(binary);
    const w: CountedWatch = { events: 0, close: () => {} };
    if (http2) {
      const session = sessions[i % sessions.length]!;
      const req = session.request({ ':path': pathOf(i), ...headers });
      req.on('response', (h) => (h[':status'] === 200 ? resolve(w) : reject(new Error(`watch answered ${h[':status']}`))));
      req.on('data', (d: Buffer) => (w.events += count(d)));
      req.on('error', reject);
      w.close = () => {
        req.close();
        if (i < sessions.length) session.close();
      };
      return;
    }
    const req = httpsRequest(`${server.url}${pathOf(i)}`, { ...creds, agent: false, headers }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`watch answered ${res.statusCode}`));
      res.on('data', (d: Buffer) => (w.events += count(d)));
      resolve(w);
    });
    req.on('error', reject);
    req.end();
    w.close = () => req.destroy();
  });
  const watches: CountedWatch[] = [];
  // A few at a time: hundreds of TLS handshakes at once overrun the server's accept queue.
  for (let i = 0; i < count; i += 20) watches.push(...(await Promise.all(Array.from({ length: Math.min(20, count - i) }, (_, j) => open(i + j)))));
  return watches;
}
