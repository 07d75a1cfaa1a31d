/**
 * A second instance of this server run as an aggregated API server, as an operator would run one: its own PKI (a
 * CA, a serving certificate for `<service>.<namespace>.svc` and an admin client certificate, passed with
 * --tls-cert-file and --client-ca-file), trusting the first server's front-proxy CA as its
 * --requestheader-client-ca-file with kubeadm's header names.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { startServer, type TestServer } from '../support/server.ts';
import { stopAfter, type Teardown } from '../support/teardown.ts';

interface Issued {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  certPem: string;
  keyPem: string;
}

function issue(subject: forge.pki.CertificateField[], opts: { ca?: Issued; sans?: string[]; usage?: 'serverAuth' | 'clientAuth' } = {}): Issued {
  const keyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject(subject);
  cert.setIssuer(opts.ca ? opts.ca.cert.subject.attributes : subject);
  if (opts.ca) {
    const ext: object[] = [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', [opts.usage ?? 'serverAuth']: true },
    ];
    if (opts.sans) ext.push({ name: 'subjectAltName', altNames: opts.sans.map((n) => (/^[\d.]+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })) });
    cert.setExtensions(ext);
  } else {
    cert.setExtensions([
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true },
    ]);
  }
  cert.sign(opts.ca?.key ?? key, forge.md.sha256.create());
  return { cert, key, certPem: forge.pki.certificateToPem(cert), keyPem };
}

/** A CA of its own, for APIServices whose caBundle must not verify the aggregated server. */
export function otherCA(): string {
  return issue([{ shortName: 'CN', value: `other-ca-${randomBytes(3).toString('hex')}` }]).certPem;
}

export interface AggregatedServer {
  server: TestServer;
  /** base64 of the CA that signed its serving certificate: the APIService's caBundle. */
  caBundle: string;
}

/**
 * Starts the second server for `service` (`<name>.<namespace>`), trusting `frontProxyCAFile` for front-proxy
 * requests; `args` are added to its flags. With `t`, it is stopped and its data dir removed after that test or
 * suite; without, the caller stops it and removes `server.dataDir`.
 */
export async function startAggregatedServer(service: { name: string; namespace: string }, frontProxyCAFile: string, args: string[] = [], t?: Teardown): Promise<AggregatedServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-test-aggregated-'));
  // Our data dir, not startServer's (it keeps one it is given): removed after the server stops, stops running last added first.
  stopAfter(t, () => rmSync(dataDir, { recursive: true, force: true }));
  const pki = join(dataDir, 'test-pki');
  mkdirSync(pki);
  const ca = issue([{ shortName: 'CN', value: `aggregated-ca-${randomBytes(3).toString('hex')}` }]);
  const serving = issue([{ shortName: 'CN', value: 'aggregated-apiserver' }], { ca, sans: ['127.0.0.1', 'localhost', `${service.name}.${service.namespace}.svc`] });
  const admin = issue(
    [
      { shortName: 'O', value: 'system:masters' },
      { shortName: 'CN', value: 'aggregated-admin' },
    ],
    { ca, usage: 'clientAuth' },
  );
  const file = (name: string, content: string) => {
    writeFileSync(join(pki, name), content, { mode: 0o600 });
    return join(pki, name);
  };
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  // startServer reaches the server through the data dir's admin kubeconfig; with --tls-cert-file the server writes none.
  const port = await (await import('../support/server.ts')).freePort();
  writeFileSync(
    join(dataDir, 'admin.kubeconfig'),
    `apiVersion: v1
kind: Config
clusters:
- name: aggregated
  cluster:
    server: https://127.0.0.1:${port}
    certificate-authority-data: ${b64(ca.certPem)}
users:
- name: admin
  user:
    client-certificate-data: ${b64(admin.certPem)}
    client-key-data: ${b64(admin.keyPem)}
contexts:
- name: aggregated
  context: {cluster: aggregated, user: admin}
current-context: aggregated
`,
  );
  const server = await startServer({
    dataDir,
    port,
    args: [
      '--tls-cert-file', file('serving.crt', serving.certPem),
      '--tls-private-key-file', file('serving.key', serving.keyPem),
      '--client-ca-file', file('ca.crt', ca.certPem),
      '--requestheader-client-ca-file', frontProxyCAFile,
      '--requestheader-allowed-names', 'front-proxy-client',
      '--requestheader-username-headers', 'X-Remote-User',
      '--requestheader-group-headers', 'X-Remote-Group',
      '--requestheader-extra-headers-prefix', 'X-Remote-Extra-',
      // Reached at the host's address through its Service's Endpoints (which may not name loopback), and at
      // 127.0.0.1 by the test's own client.
      '--bind-address', '0.0.0.0',
      ...args,
    ],
    t,
  }).catch((err) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  return { server, caBundle: b64(ca.certPem) };
}
