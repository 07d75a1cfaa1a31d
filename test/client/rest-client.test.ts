/**
 * The client's pieces without the API server: kubeconfig loading (inline data, relative files, tokens,
 * contexts), RESTClient requests and errors against a scripted local HTTP server, watch decoding, and the
 * names the generator gives accessors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { groupVersionAccessor, lowerCamel, resourceAccessor } from '../../codegen/emit/client.ts';
import { APIError, isConflict } from '../../runtime/client/errors.ts';
import { loadKubeconfig } from '../../runtime/client/kubeconfig.ts';
import { ResourceClient } from '../../runtime/client/resource.ts';
import { RESTClient } from '../../runtime/client/rest.ts';

describe('loadKubeconfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-ts-client-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  writeFileSync(join(dir, 'ca.crt'), 'CA FROM FILE');
  writeFileSync(join(dir, 'token'), 'file-token\n');
  const path = join(dir, 'config');
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'inline', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64('INLINE CA') } },
        { name: 'files', cluster: { server: 'https://example.test/prefix', 'certificate-authority': 'ca.crt', 'tls-server-name': 'kubernetes' } },
      ],
      users: [
        { name: 'cert', user: { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') } },
        { name: 'token', user: { token: 'abc' } },
        { name: 'token-file', user: { tokenFile: 'token' } },
      ],
      contexts: [
        { name: 'admin', context: { cluster: 'inline', user: 'cert' } },
        { name: 'bearer', context: { cluster: 'files', user: 'token' } },
        { name: 'bearer-file', context: { cluster: 'files', user: 'token-file' } },
        { name: 'broken', context: { cluster: 'nowhere', user: 'cert' } },
      ],
      'current-context': 'admin',
    }),
  );

  it('reads the current context with inline certificate data', () => {
    assert.deepEqual(loadKubeconfig(path), { server: 'https://127.0.0.1:6443', ca: 'INLINE CA', cert: 'CERT', key: 'KEY' });
  });

  it('reads a named context with files relative to the kubeconfig and a bearer token', () => {
    assert.deepEqual(loadKubeconfig(path, { context: 'bearer' }), { server: 'https://example.test/prefix', ca: 'CA FROM FILE', token: 'abc', tlsServerName: 'kubernetes' });
    assert.equal(loadKubeconfig(path, { context: 'bearer-file' }).token, 'file-token');
  });

  it('says which context or cluster is missing', () => {
    assert.throws(() => loadKubeconfig(path, { context: 'nope' }), /no context named "nope"/);
    assert.throws(() => loadKubeconfig(path, { context: 'broken' }), /no cluster named "nowhere"/);
  });
});

describe('RESTClient and ResourceClient against a scripted server', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
  let reply: (req: IncomingMessage, res: ServerResponse, body: string) => void = () => {};
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        reply(req, res, body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const json = (code: number, body: unknown) => (_: IncomingMessage, res: ServerResponse) => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  it('builds namespaced, cluster-scoped and grouped paths with the query, and sends the token', async () => {
    const rest = new RESTClient({ server: `${base}/prefix/`, token: 'secret' });
    reply = json(200, { items: [] });
    const pods = new ResourceClient(rest, { group: '', version: 'v1', resource: 'pods', namespaced: true, namespace: 'kube-system' });
    await pods.list({ labelSelector: 'a=b,c!=d', limit: 5 });
    const roles = new ResourceClient(rest, { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false });
    await roles.create({ metadata: { name: 'x' } }, { dryRun: true, fieldManager: 'me' });
    await roles.patch('a b', { metadata: { labels: { x: 'y' } } }, 'strategic');
    await new ResourceClient(rest, { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true, namespace: '' }).list();
    await pods.delete('p', { gracePeriodSeconds: 0 });
    rest.close();

    assert.deepEqual(
      seen.splice(0).map((r) => `${r.method} ${decodeURIComponent(r.url)}`),
      [
        'GET /prefix/api/v1/namespaces/kube-system/pods?labelSelector=a=b,c!=d&limit=5',
        'POST /prefix/apis/rbac.authorization.k8s.io/v1/clusterroles?dryRun=All&fieldManager=me',
        'PATCH /prefix/apis/rbac.authorization.k8s.io/v1/clusterroles/a b',
        'GET /prefix/apis/apps/v1/deployments',
        'DELETE /prefix/api/v1/namespaces/kube-system/pods/p',
      ],
    );
  });

  it('sends JSON bodies with the patch content types and fills in apiVersion and kind', async () => {
    const rest = new RESTClient({ server: base, token: 'secret' });
    reply = json(200, {});
    const roles = new ResourceClient(rest, { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false });
    await roles.create({ metadata: { name: 'x' } });
    for (const type of ['merge', 'json', 'strategic'] as const) await roles.patch('x', type === 'json' ? [] : {}, type);
    await roles.delete('x', { propagationPolicy: 'Foreground' });
    rest.close();
    const [create, merge, jsonPatch, strategic, del] = seen.splice(0);
    assert.equal(create.headers.authorization, 'Bearer secret');
    assert.equal(create.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(create.body), { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x' } });
    assert.equal(merge.headers['content-type'], 'application/merge-patch+json');
    assert.equal(jsonPatch.headers['content-type'], 'application/json-patch+json');
    assert.equal(strategic.headers['content-type'], 'application/strategic-merge-patch+json');
    assert.deepEqual(JSON.parse(del.body), { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground' });
  });

  it('turns a failure Status into an APIError, and a non-Status failure into one as well', async () => {
    const rest = new RESTClient({ server: base });
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Conflict', code: 409, message: 'the object has been modified' };
    reply = json(409, status);
    const err = await rest.request('GET', '/api/v1/x').catch((e) => e);
    assert.ok(err instanceof APIError && isConflict(err));
    assert.deepEqual(err.status, status);
    assert.equal(err.message, 'the object has been modified');

    reply = (_, res) => {
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      res.end('upstream unavailable');
    };
    const plain = await rest.request('GET', '/api/v1/x').catch((e) => e);
    assert.ok(plain instanceof APIError);
    assert.equal(plain.code, 503);
    assert.equal(plain.reason, 'ServiceUnavailable');
    assert.equal(plain.message, 'upstream unavailable');
    rest.close();
    seen.splice(0);
  });

  it('decodes watch lines split across chunks, and fails on a line that is not JSON after the events before it', async () => {
    const rest = new RESTClient({ server: base });
    reply = (_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MOD');
      setTimeout(() => res.end('IFIED","object":{"metadata":{"name":"a"}}}\nnot json\n'), 20);
    };
    const pods = new ResourceClient(rest, { group: '', version: 'v1', resource: 'pods', namespaced: true, namespace: 'ns' });
    const watch = await pods.watch({ resourceVersion: '7' });
    assert.equal(decodeURIComponent(seen.splice(0)[0].url), '/api/v1/namespaces/ns/pods?resourceVersion=7&watch=true');
    const types: string[] = [];
    await assert.rejects(async () => {
      for await (const ev of watch) types.push(ev.type);
    }, /not JSON/);
    assert.deepEqual(types, ['ADDED', 'MODIFIED']);
    rest.close();
  });
});

describe('accessor names', () => {
  it('names kinds by their lower-camel plural, as client-gen', () => {
    assert.equal(resourceAccessor('ConfigMap', 'configmaps'), 'configMaps');
    assert.equal(resourceAccessor('Namespace', 'namespaces'), 'namespaces');
    assert.equal(resourceAccessor('Endpoints', 'endpoints'), 'endpoints');
    assert.equal(resourceAccessor('NetworkPolicy', 'networkpolicies'), 'networkPolicies');
    assert.equal(resourceAccessor('Ingress', 'ingresses'), 'ingresses');
    assert.equal(resourceAccessor('HorizontalPodAutoscaler', 'horizontalpodautoscalers'), 'horizontalPodAutoscalers');
    assert.equal(resourceAccessor('CSIDriver', 'csidrivers'), 'csiDrivers');
    assert.equal(resourceAccessor('Widget', 'gizmos'), 'widgets');
    assert.equal(lowerCamel('APIService'), 'apiService');
    assert.equal(lowerCamel('CSR'), 'csr');
  });

  it('names group versions as the Clientset methods', () => {
    assert.equal(groupVersionAccessor('', 'v1'), 'coreV1');
    assert.equal(groupVersionAccessor('apps', 'v1'), 'appsV1');
    assert.equal(groupVersionAccessor('rbac.authorization.k8s.io', 'v1'), 'rbacAuthorizationV1');
    assert.equal(groupVersionAccessor('autoscaling', 'v2'), 'autoscalingV2');
    assert.equal(groupVersionAccessor('example.dev', 'v1beta1'), 'exampleDevV1beta1');
    assert.equal(groupVersionAccessor('storage.k8s.io', 'v1', true), 'storageK8sIoV1');
  });
});
