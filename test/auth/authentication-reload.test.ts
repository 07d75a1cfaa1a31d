// Certificates change on disk without a restart: the client CA bundle and the serving certificate are reloaded.
// Also anonymous access turned off (--anonymous-auth=false).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCertificates } from '../../runtime/server/certs.ts';
import { writeAdminKubeconfig } from '../../runtime/server/kubeconfig.ts';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { freePort, startServer, type TestServer } from '../support/server.ts';
import { call, clientCert, makeCA, servingCN, servingCert, whoami, writeKubeconfig, type Pair } from './support.ts';

let server: TestServer;
let dir: string;
let ca: Pair;
const newCA = makeCA('rotated-client-ca');
const newUser = clientCert(newCA, 'rotated-user', ['rotated-group']);

/** Replaces a file the way tools do: write aside, then rename over it. */
function replace(path: string, content: string) {
  writeFileSync(`${path}.new`, content);
  renameSync(`${path}.new`, path);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kube-ts-authn-reload-'));
  const dataDir = join(dir, 'data');
  const port = await freePort();
  // The generated PKI as our own files: the server gets them through flags, so nothing is generated for it.
  const certs = await ensureCertificates(dataDir, { bindAddress: '127.0.0.1' });
  ca = { certPem: certs.caCertPem, keyPem: (await import('node:fs')).readFileSync(join(dataDir, 'pki', 'ca.key'), 'utf8') };
  writeFileSync(join(dir, 'tls.crt'), certs.certPem);
  writeFileSync(join(dir, 'tls.key'), certs.keyPem);
  writeFileSync(join(dir, 'client-ca.crt'), certs.clientCaPem);
  writeAdminKubeconfig(join(dataDir, 'admin.kubeconfig'), { server: `https://127.0.0.1:${port}`, caCertPem: certs.caCertPem, clientCertPem: certs.adminCertPem, clientKeyPem: certs.adminKeyPem });
  server = await startServer({
    dataDir,
    port,
    args: ['--tls-cert-file', join(dir, 'tls.crt'), '--tls-private-key-file', join(dir, 'tls.key'), '--client-ca-file', join(dir, 'client-ca.crt'), '--anonymous-auth=false'],
  });
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('with --anonymous-auth=false, a request without credentials is 401, and so is a token with stray whitespace', async () => {
  const res = await call(server.url, { path: '/api/v1/namespaces', ca: ca.certPem });
  assert.equal(res.status, 401);
  assert.equal(res.json.message, 'Unauthorized');
  assert.equal((await call(server.url, { path: '/api', ca: ca.certPem, headers: { Authorization: 'Bearer ' } })).status, 401);
  assert.equal((await call(server.url, { path: '/api', ca: ca.certPem, headers: { Authorization: 'Bearer  x' } })).status, 401);
  assert.equal((await server.request('GET', '/api/v1/namespaces')).status, 200);
});

test('a new CA in --client-ca-file is trusted without a restart; a removed one no longer is', async () => {
  assert.equal((await whoami(server.url, { ca: ca.certPem, cert: newUser })).status, 401);
  replace(join(dir, 'client-ca.crt'), ca.certPem + newCA.certPem);
  await eventually(async () => (await whoami(server.url, { ca: ca.certPem, cert: newUser })).status === 201, 'the rotated CA to be trusted');
  assert.deepEqual((await whoami(server.url, { ca: ca.certPem, cert: newUser })).user, { username: 'rotated-user', groups: ['rotated-group', 'system:authenticated'] });
  // Go clients send their certificate only when TLS advertises its issuer among the acceptable CAs: kubectl shows
  // that the advertised list follows the bundle too.
  const k = kubectlRunner(writeKubeconfig(join(dir, 'rotated.kubeconfig'), server.url, ca.certPem, { cert: newUser }));
  const who = await k.run(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
  assert.equal(who.stdout, 'rotated-user', who.stderr);
  // Connections already open see the change too: verification is per request against the current bundle.
  replace(join(dir, 'client-ca.crt'), ca.certPem);
  await eventually(async () => (await whoami(server.url, { ca: ca.certPem, cert: newUser })).status === 401, 'the removed CA to be distrusted');
  assert.equal((await server.request('GET', '/api')).status, 200);
});

test('a bad CA file keeps the previous bundle', async () => {
  replace(join(dir, 'client-ca.crt'), 'not a certificate');
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal((await server.request('GET', '/api')).status, 200);
  replace(join(dir, 'client-ca.crt'), ca.certPem);
});

test('a new serving certificate is served to new connections without a restart', async () => {
  assert.equal(await servingCN(server.port), 'kube-apiserver');
  const next = servingCert(ca, 'kube-apiserver-rotated');
  writeFileSync(join(dir, 'tls.key'), next.keyPem);
  writeFileSync(join(dir, 'tls.crt'), next.certPem);
  await eventually(async () => (await servingCN(server.port)) === 'kube-apiserver-rotated', 'the new serving certificate');
  assert.equal((await call(server.url, { path: '/api', ca: ca.certPem, cert: clientCert(ca, 'someone') })).status, 200);
});
