/**
 * An etcd that speaks only TLS and asks every client for a certificate, as kubeadm sets one up: kube-ts reaches it
 * with kube-apiserver's flags (`--etcd-cafile`, `--etcd-certfile`, `--etcd-keyfile`), for reads and writes (our own
 * HTTP/2 channel) and watches (grpc-js) alike; without a client certificate etcd turns it away.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { issueCertificate } from '../../runtime/server/certs.ts';
import { EtcdKV } from '../../runtime/storage/etcd/kv.ts';
import { startEtcd, type EtcdServer } from '../support/etcd.ts';
import { startServer } from '../support/server.ts';

const keyPem = () => generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;

/** A CA, etcd's serving pair for 127.0.0.1 and a client pair, written as PEM files in `dir`. */
function etcdPki(dir: string) {
  const caKey = keyPem();
  const caPem = issueCertificate({ subject: [{ name: 'commonName', value: 'etcd-ca' }], keyPem: caKey, days: 1 });
  const ca = { cert: new X509Certificate(caPem), certPem: caPem, keyPem: caKey };
  const pair = (name: string, cn: string, extKeyUsage: 'serverAuth' | 'clientAuth', sans?: string[]) => {
    const key = keyPem();
    const cert = issueCertificate({ subject: [{ name: 'commonName', value: cn }], keyPem: key, days: 1, issuer: ca, extKeyUsage, sans });
    writeFileSync(join(dir, `${name}.crt`), cert);
    writeFileSync(join(dir, `${name}.key`), key);
    return { certFile: join(dir, `${name}.crt`), keyFile: join(dir, `${name}.key`) };
  };
  writeFileSync(join(dir, 'ca.crt'), ca.certPem);
  return { caFile: join(dir, 'ca.crt'), server: pair('server', 'etcd', 'serverAuth', ['127.0.0.1']), client: pair('client', 'kube-apiserver-etcd-client', 'clientAuth') };
}

describe('etcd over TLS with client certificates', () => {
  let dir: string;
  let pki: ReturnType<typeof etcdPki>;
  let etcd: EtcdServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kube-ts-etcd-tls-'));
    pki = etcdPki(dir);
    etcd = await startEtcd({ tls: { ...pki.server, caFile: pki.caFile } });
  });
  after(async () => {
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the server stores, reads and watches through --etcd-cafile, --etcd-certfile and --etcd-keyfile', async (t) => {
    assert.match(etcd.endpoint, /^https:/);
    const server = await startServer({ args: ['--etcd-servers', etcd.endpoint, '--etcd-cafile', pki.caFile, '--etcd-certfile', pki.client.certFile, '--etcd-keyfile', pki.client.keyFile], t });
    const path = '/api/v1/namespaces/default/configmaps';
    const watch = await server.watch(`${path}?watch=true&fieldSelector=metadata.name=tls`);
    try {
      const created = await server.request('POST', path, { metadata: { name: 'tls' }, data: { k: 'v' } });
      assert.equal(created.status, 201, created.text);
      const got = await server.request('GET', `${path}/tls`);
      assert.equal(got.status, 200, got.text);
      assert.deepEqual(got.json.data, { k: 'v' });
      const event = await watch.next();
      assert.equal(event.type, 'ADDED');
      assert.equal(event.object.metadata.name, 'tls');
      assert.equal(event.object.metadata.resourceVersion, created.json.metadata.resourceVersion);
    } finally {
      watch.close();
    }
    // Written where kube-apiserver would find it, in the etcd that only TLS clients reach.
    const kv = await EtcdKV.open({ endpoints: etcd.endpoint, tls: { ca: readFileSync(pki.caFile), cert: readFileSync(pki.client.certFile), key: readFileSync(pki.client.keyFile) } });
    try {
      assert.ok((await kv.get('/registry/configmaps/default/tls')).kv, 'the object is in etcd under upstream\'s key');
    } finally {
      await kv.close();
    }
  });

  it('without a client certificate etcd refuses the connection, and the error says so', async () => {
    const kv = await EtcdKV.open({ endpoints: etcd.endpoint, callTimeoutMs: 2000, tls: { ca: readFileSync(pki.caFile) } });
    try {
      await assert.rejects(kv.get('/registry/anything'), (err: Error) => /UNAVAILABLE|certificate|handshake|socket hang up|ECONNRESET/i.test(err.message));
    } finally {
      await kv.close();
    }
  });

  it('flags that cannot work are refused at start-up', async (t) => {
    await assert.rejects(startServer({ args: ['--etcd-servers', etcd.endpoint, '--etcd-certfile', pki.client.certFile], t }), /--etcd-certfile and --etcd-keyfile must be given together/);
    await assert.rejects(startServer({ args: ['--etcd-servers', etcd.endpoint, '--etcd-cafile', join(dir, 'missing.crt')], t }), /--etcd-cafile: ENOENT/);
    await assert.rejects(startServer({ args: ['--etcd-servers', 'http://127.0.0.1:2379', '--etcd-cafile', pki.caFile], t }), /--etcd-cafile and --etcd-certfile are for https --etcd-servers/);
  });
});

