/**
 * The server as `npm start` runs it: compiled once into dist/ (at `npm ci`, through `prepare`), started from
 * plain JavaScript with no TypeScript compiler in the process, and rebuilt first when a source is newer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type TestServer } from '../support/server.ts';
import { kubectlRunner } from '../support/kubectl.ts';

const root = new URL('../../', import.meta.url).pathname;
let server: TestServer;

before(async () => {
  server = await startServer({ entry: 'scripts/start.mjs' });
});
after(async () => {
  await server?.stop();
});

test('npm start serves the built server: kubectl works against it and tsx is not loaded', async () => {
  const entry = join(root, 'dist/kube-ts.js');
  assert.ok(existsSync(entry), 'dist/kube-ts.js was built');
  // The build is at least as new as every source it was made from.
  const runtimeMain = statSync(join(root, 'runtime/main.ts')).mtimeMs;
  assert.ok(statSync(entry).mtimeMs >= runtimeMain);
  const kubectl = kubectlRunner(server.kubeconfig);
  const ns = await kubectl.run(['get', 'namespace', 'default', '-o', 'jsonpath={.metadata.name}']);
  assert.equal(ns.code, 0, ns.stderr);
  assert.equal(ns.stdout, 'default');
  const created = await kubectl.run(['create', 'configmap', 'built', '--from-literal=k=v']);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /configmap\/built created/);
  // The serving process runs JavaScript only: started without the TypeScript loader.
  assert.doesNotMatch(readFileSync(`/proc/${server.process.pid}/cmdline`, 'utf8'), /tsx/);
});
