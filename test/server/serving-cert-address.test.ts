/**
 * The generated serving certificate names the advertised address and the kubernetes Service's cluster IP, as
 * kube-apiserver's self-signed one does: a client that reaches the server at the address its Endpoints name
 * verifies it with the kubeconfig's CA. A certificate cached in the data dir that lacks those names is re-issued.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { ensureCertificates } from '../../runtime/server/certs.ts';
import { hostAddress } from '../support/host-address.ts';
import { startServer } from '../support/server.ts';

/** GET `path` at host:port, trusting only `ca` (the host name checked as usual); the status and the peer's SANs. */
function get(host: string, port: number, path: string, ca: string): Promise<{ status: number; sans: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, ca, method: 'GET' }, (res) => {
      const sans = (res.socket as TLSSocket).getPeerCertificate().subjectaltname ?? '';
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, sans }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a client at the advertised address verifies the generated certificate, which also names the Service IP; an older cached one is re-issued', async (t) => {
  const advertised = hostAddress();
  const dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-cert-address-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  // A certificate made before, without the advertised address: reused only while it covers what is asked.
  const before = await ensureCertificates(dataDir, { bindAddress: '127.0.0.1' });
  assert.equal(new X509Certificate(before.certPem).checkIP(advertised), undefined);

  const server = await startServer({ dataDir, args: ['--bind-address', '0.0.0.0', '--service-cluster-ip-range', '10.96.0.0/16'] });
  t.after(() => server.stop());
  const ca = readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8');
  const kubeconfig = readFileSync(server.kubeconfig, 'utf8');
  assert.ok(kubeconfig.includes(Buffer.from(ca).toString('base64')), 'the kubeconfig trusts the CA that signed the certificate');

  const r = await get(advertised, server.port, '/version', ca);
  assert.equal(r.status, 200);
  const sans = r.sans.split(', ');
  for (const name of [`IP Address:${advertised}`, 'IP Address:10.96.0.1', 'IP Address:127.0.0.1', 'DNS:kubernetes.default.svc', 'DNS:localhost']) {
    assert.ok(sans.includes(name), `${name} in ${r.sans}`);
  }
});
