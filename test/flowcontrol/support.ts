/**
 * Shared pieces of the API Priority and Fairness tests: HTTPS requests as a bearer-token user (with the response
 * headers), a static token file, and a webhook that holds chosen requests so they occupy their seats as long as
 * a test wants.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { request, Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigCA } from '../auth/support.ts';
import type { TestServer } from '../support/server.ts';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A token file with one token per user: the token is `<user>-token`. */
export function tokenFile(users: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kube-ts-apf-')), 'tokens.csv');
  writeFileSync(path, users.map((u, i) => `${u}-token,${u},uid-${i},"testers"`).join('\n') + '\n');
  return path;
}

/** A client that sends requests as `user` (token `<user>-token`), each on its own connection. */
export function userClient(server: TestServer, user: string) {
  const ca = kubeconfigCA(server.kubeconfig);
  const agent = new Agent({ ca, keepAlive: false, maxSockets: Infinity });
  return (method: string, path: string, body?: unknown): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string> = { Authorization: `Bearer ${user}-token`, Accept: 'application/json', ...(payload ? { 'Content-Type': 'application/json' } : {}) };
      const req = request(`${server.url}${path}`, { method, agent, headers }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end(payload);
    });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Opens a streaming GET (a watch) as `user`; resolves once the response has begun. */
export function userWatch(server: TestServer, user: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; close(): void }> {
  const ca = kubeconfigCA(server.kubeconfig);
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: 'GET', ca, headers: { Authorization: `Bearer ${user}-token`, Accept: 'application/json' } }, (res) => {
      res.on('data', () => {});
      res.on('error', () => {});
      resolve({ status: res.statusCode!, headers: res.headers, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}
