/**
 * An HTTP/2 client for the profiling scripts (cpu-perf.ts `geth2`, alloc.ts `--http2-get`): one session as the admin
 * (client certificate), its requests multiplexed as streams, as kubectl and client-go send theirs.
 */
import { connect as connectHttp2 } from 'node:http2';
import type { TestServer } from '../test/support/server.ts';
import { adminCredentials } from './watch-clients.ts';

export interface Http2Getter {
  /** A GET of `path` on the session; rejects unless it answers 200. The body is read and dropped. */
  get(path: string, headers?: Record<string, string>): Promise<void>;
  close(): void;
}

export function http2Getter(server: TestServer): Http2Getter {
  const session = connectHttp2(server.url, adminCredentials(server));
  return {
    get: (path, headers = {}) =>
      new Promise<void>((resolve, reject) => {
        const req = session.request({ ':path': path, ...headers });
        req.on('response', (h) => {
          if (h[':status'] !== 200) reject(new Error(`GET ${path} answered ${h[':status']}`));
        });
        req.resume();
        req.on('end', resolve);
        req.on('error', reject);
        req.end();
      }),
    close: () => session.close(),
  };
}
