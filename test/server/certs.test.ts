// Self-generated PKI and admin kubeconfig: reuse across starts, real TLS client-cert auth, and stock kubectl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { clientCertificateIdentity, ensureCertificates, loadCertificates } from '../../runtime/server/certs.ts';
import { kubeconfigServerURL, writeAdminKubeconfig } from '../../runtime/server/kubeconfig.ts';

const execFileAsync = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';
const PKI_FILES = ['ca.crt', 'ca.key', 'apiserver.crt', 'apiserver.key', 'admin.crt', 'admin.key'];

const tmp = mkdtempSync(join(tmpdir(), 'kube-ts-certs-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

function readAll(dir: string): Record<string, Buffer> {
  return Object.fromEntries(PKI_FILES.map((f) => [f, readFileSync(join(dir, 'pki', f))]));
}

test('generates a CA, serving and admin certificates, and reuses them', async () => {
  const dataDir = join(tmp, 'reuse');
  const first = await ensureCertificates(dataDir, { bindAddress: '0.0.0.0', extraSANs: ['api.example.test', '10.1.2.3'] });
  const files1 = readAll(dataDir);
  for (const f of PKI_FILES) {
    const mode = statSync(join(dataDir, 'pki', f)).mode & 0o777;
    assert.equal(mode, f.endsWith('.key') ? 0o600 : 0o644, `${f} mode`);
  }

  const second = await ensureCertificates(dataDir, { bindAddress: '0.0.0.0', extraSANs: ['api.example.test', '10.1.2.3'] });
  assert.deepEqual(second, first);
  const files2 = readAll(dataDir);
  for (const f of PKI_FILES) assert.ok(files1[f]!.equals(files2[f]!), `${f} unchanged`);

  const ca = new X509Certificate(first.caCertPem);
  const serving = new X509Certificate(first.certPem);
  const admin = new X509Certificate(first.adminCertPem);
  assert.equal(ca.ca, true);
  assert.match(ca.subject, /CN=kube-ts-ca/);
  assert.ok(ca.verify(ca.publicKey), 'CA is self-signed');
  assert.ok(serving.verify(ca.publicKey), 'serving cert signed by CA');
  assert.ok(admin.verify(ca.publicKey), 'admin cert signed by CA');
  assert.equal(serving.ca, false);
  assert.equal(first.clientCaPem, first.caCertPem);
  const caYears = (Date.parse(ca.validTo) - Date.now()) / (365 * 86400_000);
  assert.ok(caYears > 9.9 && caYears < 10.1, `CA validity ${caYears}y`);
  const leafDays = (Date.parse(serving.validTo) - Date.now()) / 86400_000;
  assert.ok(leafDays > 364 && leafDays < 366, `serving validity ${leafDays}d`);

  const sans = serving.subjectAltName ?? '';
  for (const dns of ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', hostname().toLowerCase(), 'api.example.test']) {
    assert.ok(sans.split(', ').includes(`DNS:${dns}`), `SAN DNS:${dns} in ${sans}`);
  }
  for (const ip of ['127.0.0.1', '::1', '10.1.2.3']) assert.equal(serving.checkIP(ip), ip, `SAN IP ${ip}`);
  assert.equal(serving.checkIP('0.0.0.0'), undefined, 'wildcard bind address is not a SAN');
  assert.deepEqual(serving.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'serverAuth');
  assert.deepEqual(admin.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'clientAuth');
  assert.match(admin.subject, /CN=kube-ts-admin/);
  assert.match(admin.subject, /O=system:masters/);
  assert.notEqual(serving.serialNumber, admin.serialNumber);
  assert.ok(parseInt(serving.serialNumber[0]!, 16) < 8, 'positive serial');
});

test('a newly requested SAN re-issues only the serving certificate, with the same CA', async () => {
  const dataDir = join(tmp, 'san');
  await ensureCertificates(dataDir, { bindAddress: '127.0.0.1' });
  const before = readAll(dataDir);
  const after = await ensureCertificates(dataDir, { bindAddress: '192.168.77.5', extraSANs: ['new.example.test'] });
  const files = readAll(dataDir);
  for (const f of ['ca.crt', 'ca.key', 'admin.crt', 'admin.key']) assert.ok(before[f]!.equals(files[f]!), `${f} kept`);
  assert.ok(!before['apiserver.crt']!.equals(files['apiserver.crt']!), 'serving cert re-issued');
  const serving = new X509Certificate(after.certPem);
  assert.equal(serving.checkIP('192.168.77.5'), '192.168.77.5');
  assert.equal(serving.checkHost('new.example.test'), 'new.example.test');
  assert.ok(serving.verify(new X509Certificate(after.caCertPem).publicKey));
  // A subset of the SANs needs nothing new.
  await ensureCertificates(dataDir, { bindAddress: '0.0.0.0' });
  assert.ok(files['apiserver.crt']!.equals(readFileSync(join(dataDir, 'pki', 'apiserver.crt'))));
});

test('loadCertificates reads user-provided files and rejects a mismatched key', async () => {
  const a = await ensureCertificates(join(tmp, 'load-a'), { bindAddress: '0.0.0.0' });
  const dir = join(tmp, 'load-a', 'pki');
  const loaded = loadCertificates(join(dir, 'apiserver.crt'), join(dir, 'apiserver.key'), join(dir, 'ca.crt'));
  assert.equal(loaded.certPem, a.certPem);
  assert.equal(loaded.keyPem, a.keyPem);
  assert.equal(loaded.clientCaPem, a.caCertPem);
  assert.equal(loadCertificates(join(dir, 'apiserver.crt'), join(dir, 'apiserver.key')).clientCaPem, '');
  assert.throws(() => loadCertificates(join(dir, 'apiserver.crt'), join(dir, 'admin.key')), /does not match/);
});

test('clientCertificateIdentity maps CN and O like kube-apiserver', () => {
  const cert = (subject: Record<string, unknown>) => ({ subject }) as never;
  assert.equal(clientCertificateIdentity(undefined), undefined);
  assert.equal(clientCertificateIdentity({} as never), undefined);
  assert.equal(clientCertificateIdentity(cert({ O: 'x' })), undefined);
  assert.deepEqual(clientCertificateIdentity(cert({ CN: 'alice' })), { name: 'alice', groups: [] });
  assert.deepEqual(clientCertificateIdentity(cert({ CN: 'bob', O: ['a', 'b'] })), { name: 'bob', groups: ['a', 'b'] });
});

test('real TLS: admin client certificate authenticates; kubectl uses the kubeconfig', async () => {
  const dataDir = join(tmp, 'tls');
  const pki = await ensureCertificates(dataDir, { bindAddress: '127.0.0.1' });
  const seen: Array<{ authorized: boolean; identity: ReturnType<typeof clientCertificateIdentity> }> = [];
  const server = https.createServer(
    { cert: pki.certPem, key: pki.keyPem, ca: pki.clientCaPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      seen.push({ authorized: socket.authorized, identity: clientCertificateIdentity(socket.getPeerCertificate()) });
      if (req.url === '/version') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0' }));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{}');
      }
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;

    // Node client with CA + admin cert.
    const body = await new Promise<string>((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', port, path: '/version', ca: pki.caCertPem, cert: pki.adminCertPem, key: pki.adminKeyPem },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (data += c));
          res.on('end', () => resolve(data));
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.deepEqual(JSON.parse(body), { major: '1', minor: '32', gitVersion: 'v1.32.0' });
    assert.deepEqual(seen.at(-1), { authorized: true, identity: { name: 'kube-ts-admin', groups: ['system:masters'] } });

    // Stock kubectl with the admin kubeconfig.
    const kubeconfig = join(dataDir, 'admin.conf');
    const server_ = kubeconfigServerURL('127.0.0.1', port);
    assert.equal(server_, `https://127.0.0.1:${port}`);
    writeAdminKubeconfig(kubeconfig, {
      server: server_,
      caCertPem: pki.caCertPem,
      clientCertPem: pki.adminCertPem,
      clientKeyPem: pki.adminKeyPem,
    });
    assert.equal(statSync(kubeconfig).mode & 0o777, 0o600);
    const home = join(tmp, 'home');
    const env = { ...process.env, HOME: home, KUBECONFIG: '' };
    const cache = ['--cache-dir', join(home, 'cache')];
    const view = await execFileAsync(
      KUBECTL,
      ['--kubeconfig', kubeconfig, ...cache, 'config', 'view', '--raw', '-o',
        'jsonpath={.current-context}|{.clusters[0].cluster.server}|{.users[0].name}|{.users[0].user.client-certificate-data}'],
      { env },
    );
    const [ctx, url, user, certData] = view.stdout.split('|');
    assert.equal(ctx, 'kube-ts');
    assert.equal(url, server_);
    assert.equal(user, 'kube-ts-admin');
    assert.equal(Buffer.from(certData!, 'base64').toString('utf8'), pki.adminCertPem);

    const before = seen.length;
    const version = await execFileAsync(KUBECTL, ['--kubeconfig', kubeconfig, ...cache, 'get', '--raw', '/version'], { env });
    assert.deepEqual(JSON.parse(version.stdout), { major: '1', minor: '32', gitVersion: 'v1.32.0' });
    const kubectlReqs = seen.slice(before);
    assert.ok(kubectlReqs.length >= 1);
    for (const r of kubectlReqs) {
      assert.deepEqual(r, { authorized: true, identity: { name: 'kube-ts-admin', groups: ['system:masters'] } });
    }
  } finally {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
});

test('kubeconfigServerURL', () => {
  assert.equal(kubeconfigServerURL('0.0.0.0', 6443), 'https://127.0.0.1:6443');
  assert.equal(kubeconfigServerURL('127.0.0.1', 6443), 'https://127.0.0.1:6443');
  assert.equal(kubeconfigServerURL('::', 6443), 'https://[::1]:6443');
  assert.equal(kubeconfigServerURL('10.0.0.1', 6443), 'https://10.0.0.1:6443');
  assert.equal(kubeconfigServerURL('fd00::1', 6443), 'https://[fd00::1]:6443');
  assert.equal(kubeconfigServerURL('api.example.test', 6443), 'https://api.example.test:6443');
});
