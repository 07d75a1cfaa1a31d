/**
 * CertificateSigningRequests through the real server and kubectl: create (the requester comes from the request),
 * `kubectl get csr`, `kubectl certificate approve`/`deny`, the signing controller issuing a certificate that then
 * authenticates as the request's subject, the approve/sign checks of the admission plug-ins against RBAC, the
 * system:masters restriction, and upstream's validation of requests, conditions and certificates.
 * CSRs are made by openssl, independently of the server's own parser.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { testUser, type TestUser } from '../support/users.ts';

const csrs = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const work = mkdtempSync(join(tmpdir(), 'kube-ts-csr-'));
let seq = 0;

/** A fresh key and PEM CSR from openssl: `subject` as openssl's -subj, `san` as its subjectAltName, `key` its -newkey. */
function opensslCSR(subject: string, opts: { san?: string; key?: string } = {}): { csrPem: string; keyFile: string } {
  const n = ++seq;
  const keyFile = join(work, `k${n}.key`);
  const csrFile = join(work, `r${n}.csr`);
  const args = ['req', '-new', '-nodes', '-keyout', keyFile, '-subj', subject, '-out', csrFile];
  const key = opts.key ?? 'ec';
  if (key === 'ec') args.push('-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1');
  else args.push('-newkey', key);
  if (opts.san) args.push('-addext', `subjectAltName=${opts.san}`);
  execFileSync('openssl', args, { stdio: 'ignore' });
  return { csrPem: readFileSync(csrFile, 'utf8'), keyFile };
}

function csrObject(name: string, csrPem: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: { request: Buffer.from(csrPem).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], ...spec },
  };
}

async function issued(server: TestServer, name: string): Promise<string> {
  let pem = '';
  await eventually(async () => {
    const cert = (await server.request('GET', `${csrs}/${name}`)).json?.status?.certificate;
    pem = cert ? Buffer.from(cert, 'base64').toString() : '';
    return pem !== '';
  }, `certificate of ${name}`);
  return pem;
}

describe('CertificateSigningRequests', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => server?.stop());

  test('kubectl create, get, approve: the signer issues a certificate that authenticates as the subject', async () => {
    const { csrPem, keyFile } = opensslCSR('/CN=jane/O=devs/O=qa');
    const file = join(work, 'jane.yaml');
    // The requester's identity in the body is ignored: the server records who asks.
    writeFileSync(file, JSON.stringify(csrObject('jane', csrPem, { expirationSeconds: 7200, usages: ['digital signature', 'client auth'], username: 'forged', groups: ['system:masters'] })));
    const created = await kubectl.run(['create', '-f', file]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout.trim(), 'certificatesigningrequest.certificates.k8s.io/jane created');
    const stored = (await server.request('GET', `${csrs}/jane`)).json;
    assert.equal(stored.spec.username, 'kube-ts-admin');
    assert.deepEqual(stored.spec.groups, ['system:masters', 'system:authenticated']);
    assert.deepEqual(stored.status, {});
    assert.equal(stored.metadata.generation, undefined);

    const got = await kubectl.run(['get', 'csr']);
    assert.equal(got.code, 0, got.stderr);
    const [header, row] = got.stdout.trim().split('\n');
    assert.deepEqual(header!.split(/\s+/), ['NAME', 'AGE', 'SIGNERNAME', 'REQUESTOR', 'REQUESTEDDURATION', 'CONDITION']);
    assert.match(row!, /^jane\s+\S+\s+kubernetes\.io\/kube-apiserver-client\s+kube-ts-admin\s+120m\s+Pending$/);

    const approved = await kubectl.run(['certificate', 'approve', 'jane']);
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(approved.stdout.trim(), 'certificatesigningrequest.certificates.k8s.io/jane approved');
    const pem = await issued(server, 'jane');
    const cert = new X509Certificate(pem);
    assert.equal(cert.subject, 'CN=jane\nO=devs\nO=qa');
    assert.ok(cert.verify(new X509Certificate(readFileSync(join(server.dataDir, 'pki/ca.crt'))).publicKey), 'signed by the cluster CA');
    // 2 hours asked for (short: not backdated at the end), 5 minutes backdated at the start.
    const lifetime = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 1000;
    assert.ok(Math.abs(lifetime - (7200 + 300)) <= 2, `lifetime ${lifetime}`);
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: pem, encoding: 'utf8' });
    assert.match(text, /Key Usage: critical\s+Digital Signature\n/);
    assert.match(text, /Extended Key Usage:\s+TLS Web Client Authentication\n/);
    assert.match(text, /CA:FALSE/);

    const after = await kubectl.run(['get', 'csr', 'jane', '--no-headers']);
    assert.match(after.stdout, /Approved,Issued\s*$/);

    // The certificate and the request's key log in as the subject (x509 authentication).
    const kc = join(work, 'jane.kubeconfig');
    const ca = join(server.dataDir, 'pki/ca.crt');
    writeFileSync(join(work, 'jane.crt'), pem);
    const who = await kubectlRunner(kc).run(['--server', server.url, '--certificate-authority', ca, '--client-certificate', join(work, 'jane.crt'), '--client-key', keyFile, 'auth', 'whoami', '-o', 'json']);
    assert.equal(who.code, 0, who.stderr);
    const info = JSON.parse(who.stdout).status.userInfo;
    assert.equal(info.username, 'jane');
    assert.deepEqual(info.groups, ['devs', 'qa', 'system:authenticated']);
  });

  test('expirationSeconds is capped by --cluster-signing-duration, and RSA and Ed25519 requests are signed too', async () => {
    for (const key of ['rsa:2048', 'ed25519']) {
      const name = `long-${key.replace(/\W/g, '')}`;
      const { csrPem } = opensslCSR(`/CN=${name}`, { key });
      assert.equal((await server.request('POST', csrs, csrObject(name, csrPem, { expirationSeconds: 10 * 365 * 86400 }))).status, 201);
      assert.equal((await kubectl.run(['certificate', 'approve', name])).code, 0);
      const cert = new X509Certificate(await issued(server, name));
      const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
      assert.ok(Math.abs(days - 365) < 0.01, `${key}: ${days} days`);
    }
  });

  test('kubectl certificate deny: no certificate; approving a denied request is refused', async () => {
    const { csrPem } = opensslCSR('/CN=mallory');
    assert.equal((await server.request('POST', csrs, csrObject('mallory', csrPem))).status, 201);
    const denied = await kubectl.run(['certificate', 'deny', 'mallory']);
    assert.equal(denied.code, 0, denied.stderr);
    assert.equal(denied.stdout.trim(), 'certificatesigningrequest.certificates.k8s.io/mallory denied');
    const got = await kubectl.run(['get', 'csr', 'mallory', '--no-headers']);
    assert.match(got.stdout, /Denied\s*$/);
    const approve = await kubectl.run(['certificate', 'approve', 'mallory']);
    assert.notEqual(approve.code, 0);
    assert.match(approve.stderr, /certificate signing request "mallory" is already Denied/);
    // kubectl checks first; sent anyway, the server refuses it.
    const csr = (await server.request('GET', `${csrs}/mallory`)).json;
    const both = await server.request('PUT', `${csrs}/mallory/approval`, { ...csr, status: { conditions: [...csr.status.conditions, { type: 'Approved', status: 'True' }] } });
    assert.equal(both.status, 422);
    assert.match(both.json.message, /status\.conditions\[1\]\.type: Invalid value: "Approved": Approved and Denied conditions are mutually exclusive/);
    // Removing the denial through /approval is refused as well.
    const removed = await server.request('PUT', `${csrs}/mallory/approval`, { ...csr, status: { conditions: [] } });
    assert.equal(removed.status, 422);
    assert.match(removed.json.message, /status\.conditions: Forbidden: updates may not remove a condition of type "Denied"/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await server.request('GET', `${csrs}/mallory`)).json.status.certificate, undefined);
  });

  test('the main resource ignores status; /status cannot approve; /approval cannot set the certificate', async () => {
    const { csrPem } = opensslCSR('/CN=sub');
    assert.equal((await server.request('POST', csrs, csrObject('sub', csrPem, { signerName: 'example.com/custom' }))).status, 201);
    const csr = (await server.request('GET', `${csrs}/sub`)).json;
    const approval = { type: 'Approved', status: 'True', reason: 'Test' };
    // PUT of the resource: only metadata changes.
    const put = await server.request('PUT', `${csrs}/sub`, { ...csr, metadata: { ...csr.metadata, labels: { a: 'b' } }, spec: { ...csr.spec, usages: ['server auth'] }, status: { conditions: [approval] } });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.json.metadata.labels, { a: 'b' });
    assert.deepEqual(put.json.spec.usages, ['client auth']);
    assert.deepEqual(put.json.status, {});
    // /status may not add an approval.
    const status = await server.request('PUT', `${csrs}/sub/status`, { ...put.json, status: { conditions: [approval] } });
    assert.equal(status.status, 422);
    assert.match(status.json.message, /updates may not add a condition of type "Approved"/);
    // /approval approves; a certificate sent along is dropped.
    const signed = readFileSync(join(server.dataDir, 'pki/ca.crt'), 'utf8');
    const approved = await server.request('PUT', `${csrs}/sub/approval`, { ...put.json, status: { conditions: [approval], certificate: Buffer.from(signed).toString('base64') } });
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.json.status.certificate, undefined);
    assert.equal(approved.json.status.conditions[0].type, 'Approved');
    assert.match(approved.json.status.conditions[0].lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The custom signer's certificate goes in through /status (admin may sign); garbage is refused.
    const garbage = await server.request('PUT', `${csrs}/sub/status`, { ...approved.json, status: { ...approved.json.status, certificate: Buffer.from('not a cert').toString('base64') } });
    assert.equal(garbage.status, 422);
    assert.match(garbage.json.message, /status\.certificate: Invalid value: "<certificate data>": must contain at least one CERTIFICATE PEM block/);
    const wrongBlock = await server.request('PUT', `${csrs}/sub/status`, { ...approved.json, status: { ...approved.json.status, certificate: Buffer.from(csrPem).toString('base64') } });
    assert.match(wrongBlock.json.message, /only CERTIFICATE PEM blocks are allowed, found "CERTIFICATE REQUEST"/);
    const ok = await server.request('PUT', `${csrs}/sub/status`, { ...approved.json, status: { ...approved.json.status, certificate: Buffer.from(signed).toString('base64') } });
    assert.equal(ok.status, 200, ok.text);
    const again = await server.request('PUT', `${csrs}/sub/status`, { ...ok.json, status: { ...ok.json.status, certificate: Buffer.from(signed + signed).toString('base64') } });
    assert.equal(again.status, 422);
    assert.match(again.json.message, /updates may not modify existing certificate content/);
  });

  test('approving needs the approve verb on the signer; signing needs sign', async () => {
    const approver: TestUser = testUser(server, 'approver');
    const { csrPem } = opensslCSR('/CN=bob');
    assert.equal((await server.request('POST', csrs, csrObject('bob', csrPem))).status, 201);
    const grant = async (name: string, rules: unknown[]) => {
      assert.equal((await server.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { metadata: { name }, rules })).status, 201);
      const binding = { metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'approver' }] };
      assert.equal((await server.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', binding)).status, 201);
    };
    await grant('csr-approval-writer', [
      { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['get', 'list'] },
      { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval', 'certificatesigningrequests/status'], verbs: ['update'] },
    ]);
    const k = kubectlRunner(approver.kubeconfig);
    let refused = { code: 0, stdout: '', stderr: '' };
    await eventually(async () => (refused = await k.run(['certificate', 'approve', 'bob'])).stderr.includes('not permitted'), 'approve refused by the plug-in');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /certificatesigningrequests\.certificates\.k8s\.io "bob" is forbidden: user not permitted to approve requests with signerName "kubernetes\.io\/kube-apiserver-client"/);
    // A certificate through /status needs sign on the signer.
    const csr = (await server.request('GET', `${csrs}/bob`)).json;
    const sign = await approver.request('PUT', `${csrs}/bob/status`, { ...csr, status: { conditions: [{ type: 'Failed', status: 'True', reason: 'X' }] } });
    assert.equal(sign.status, 403);
    assert.equal(sign.json.message, 'certificatesigningrequests.certificates.k8s.io "bob" is forbidden: user not permitted to sign requests with signerName "kubernetes.io/kube-apiserver-client"');
    // approve on `<domain>/*` covers every signer of the domain.
    await grant('csr-approver', [{ apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['kubernetes.io/*'], verbs: ['approve'] }]);
    let ok = { code: 1, stdout: '', stderr: '' };
    await eventually(async () => (ok = await k.run(['certificate', 'approve', 'bob'])).code === 0, 'approve allowed');
    assert.equal(ok.stdout.trim(), 'certificatesigningrequest.certificates.k8s.io/bob approved');
  });

  test('system:masters is refused for kube-apiserver-client, allowed for other signers', async () => {
    const { csrPem } = opensslCSR('/CN=root/O=system:masters');
    const file = join(work, 'root.yaml');
    writeFileSync(file, JSON.stringify(csrObject('root', csrPem)));
    const res = await kubectl.run(['create', '-f', file]);
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /certificatesigningrequests\.certificates\.k8s\.io "root" is forbidden: use of kubernetes\.io\/kube-apiserver-client signer with system:masters group is not allowed/);
    assert.equal((await server.request('GET', `${csrs}/root`)).status, 404);
    assert.equal((await server.request('POST', csrs, csrObject('root-custom', csrPem, { signerName: 'example.com/anything' }))).status, 201);
  });

  test('a request the signer does not accept gets a Failed condition', async () => {
    const { csrPem } = opensslCSR('/CN=system:node:n1/O=devs');
    assert.equal((await server.request('POST', csrs, csrObject('node-bad', csrPem, { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] }))).status, 201);
    assert.equal((await kubectl.run(['certificate', 'approve', 'node-bad'])).code, 0);
    let failed: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    await eventually(async () => (failed = ((await server.request('GET', `${csrs}/node-bad`)).json.status.conditions ?? []).find((c: { type: string }) => c.type === 'Failed')), 'Failed condition');
    assert.equal(failed.reason, 'SignerValidationFailure');
    assert.equal(failed.message, 'subject organization is not system:nodes');
    assert.match((await kubectl.run(['get', 'csr', 'node-bad', '--no-headers'])).stdout, /Approved,Failed\s*$/);
    // A kubelet serving request with SANs is issued with them.
    const serving = opensslCSR('/CN=system:node:n1/O=system:nodes', { san: 'DNS:n1.example.com,IP:10.1.2.3' });
    assert.equal((await server.request('POST', csrs, csrObject('node-serving', serving.csrPem, { signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'] }))).status, 201);
    assert.equal((await kubectl.run(['certificate', 'approve', 'node-serving'])).code, 0);
    const cert = new X509Certificate(await issued(server, 'node-serving'));
    assert.equal(cert.subjectAltName, 'DNS:n1.example.com, IP Address:10.1.2.3');
    assert.equal(cert.checkHost('n1.example.com'), 'n1.example.com');
  });

  test('validation: the request, signer name, usages and duration, in upstream words', async () => {
    const { csrPem } = opensslCSR('/CN=v');
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['bad-pem', { request: Buffer.from('hello').toString('base64') }, /spec\.request: Invalid value: .*: PEM block type must be CERTIFICATE REQUEST/],
      ['short', { expirationSeconds: 599 }, /spec\.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds \(10 minutes\)/],
      ['usage', { usages: ['client auth', 'flying'] }, /spec\.usages\[1\]: Unsupported value: "flying": supported values: "any", "cert sign"/],
      ['dup', { usages: ['client auth', 'client auth'] }, /spec\.usages\[1\]: Duplicate value: "client auth"/],
      ['no-usages', { usages: [] }, /spec\.usages: Required value/],
      ['signer', { signerName: 'nodomain' }, /spec\.signerName: Invalid value: "nodomain": must be a fully qualified domain and path of the form 'example\.com\/signer-name'/],
      ['signer2', { signerName: 'example/x' }, /spec\.signerName: Invalid value: "example": should be a domain with at least two segments separated by dots/],
      ['legacy', { signerName: 'kubernetes.io/legacy-unknown' }, /the legacy signerName is not allowed via this API version/],
    ];
    for (const [name, spec, want] of cases) {
      const res = await server.request('POST', csrs, csrObject(name, csrPem, spec));
      assert.equal(res.status, 422, `${name}: ${res.text}`);
      assert.match(res.json.message, want, name);
    }
    // A request whose signature does not match its key is refused.
    const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 5] ^= 0xff;
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const res = await server.request('POST', csrs, csrObject('tampered', tampered));
    assert.equal(res.status, 422);
    assert.match(res.json.message, /spec\.request: Invalid value/);
    // spec is immutable through PUT; a missing signerName is required.
    const none = await server.request('POST', csrs, { ...csrObject('nosigner', csrPem), spec: { request: Buffer.from(csrPem).toString('base64'), usages: ['client auth'] } });
    assert.equal(none.status, 422);
    assert.match(none.json.message, /spec\.signerName: Required value/);
  });

  test('served: discovery lists status and approval, field selector on spec.signerName', async () => {
    const disco = (await server.request('GET', '/apis/certificates.k8s.io/v1')).json;
    const names = disco.resources.map((r: { name: string }) => r.name);
    assert.deepEqual(names.sort(), ['certificatesigningrequests', 'certificatesigningrequests/approval', 'certificatesigningrequests/status']);
    const main = disco.resources.find((r: { name: string }) => r.name === 'certificatesigningrequests');
    assert.deepEqual(main.shortNames, ['csr']);
    assert.equal(main.namespaced, false);
    const approval = disco.resources.find((r: { name: string }) => r.name === 'certificatesigningrequests/approval');
    assert.deepEqual(approval.verbs.sort(), ['get', 'patch', 'update']);
    const { csrPem } = opensslCSR('/CN=sel');
    assert.equal((await server.request('POST', csrs, csrObject('sel', csrPem, { signerName: 'example.com/select-me' }))).status, 201);
    const list = (await server.request('GET', `${csrs}?fieldSelector=${encodeURIComponent('spec.signerName=example.com/select-me')}`)).json;
    assert.deepEqual(list.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['sel']);
    const get = await kubectl.run(['get', 'csr', 'sel', '-o', 'jsonpath={.spec.signerName}']);
    assert.equal(get.stdout, 'example.com/select-me');
  });
});
