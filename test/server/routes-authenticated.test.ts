/**
 * No route skips the handler chain: every route the server registers (and any path none matches) answers an
 * anonymous client 401 when anonymous requests are not allowed, and 403 when they are but no authorizer allows them
 * (AlwaysDeny), as kube-apiserver, whose handler chain wraps every handler. The routes are the app's own list, so a
 * route added later is covered without changing this test. The server chain is the real one, built in this process
 * (SQLite store, real authenticators and authorizers); requests go to its app without a network.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseOptions } from '../../runtime/server/options.ts';
import { completeConfig } from '../../runtime/server/config.ts';
import { newServerChain } from '../../runtime/server/server-chain.ts';

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** A concrete path of a route's pattern (`:param` and `*` filled in). */
const concrete = (pattern: string) => pattern.replace(/:[^/]+/g, 'x').replace(/\*/g, 'x');

async function answers(args: string[]): Promise<Map<string, number>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-routes-'));
  const config = await completeConfig(parseOptions(['--data-dir', dataDir, ...args]), pino({ level: 'silent' }));
  try {
    const { app } = await newServerChain(config);
    const out = new Map<string, number>();
    const requests = [...app.routes.map((r) => [r.method, concrete(r.path)]), ['GET', '/no/such/path']];
    for (const [method, path] of requests) {
      for (const m of method === 'ALL' ? methods : [method]) out.set(`${m} ${path}`, (await app.request(path, { method: m })).status);
    }
    assert.ok(app.routes.length > 15, `the app's routes: ${app.routes.map((r) => r.path)}`);
    return out;
  } finally {
    await config.lifecycle.stopAll();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('without anonymous access every route answers an unauthenticated client 401', async () => {
  for (const [request, code] of await answers(['--anonymous-auth', 'false'])) assert.equal(code, 401, request);
});

test('with anonymous access and no authorizer allowing, every route answers 403', async () => {
  for (const [request, code] of await answers(['--authorization-mode', 'AlwaysDeny'])) assert.equal(code, 403, request);
});
