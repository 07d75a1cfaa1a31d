/**
 * Users for authorization tests: a client certificate for `name` in `groups` (CN and O), signed by the test
 * server's own CA (its data dir's pki/ca.crt and ca.key), with a kubeconfig and an HTTPS request helper.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request, type RequestOptions } from 'node:https';
import forge from 'node-forge';
import type { TestServer } from './server.ts';

export interface TestUser {
  name: string;
  kubeconfig: string;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
}

export function mintClientCertificate(dataDir: string, name: string, groups: string[]): { certPem: string; keyPem: string; caPem: string } {
  const caPem = readFileSync(join(dataDir, 'pki/ca.crt'), 'utf8');
  const ca = forge.pki.certificateFromPem(caPem);
  const caKey = forge.pki.privateKeyFromPem(readFileSync(join(dataDir, 'pki/ca.key'), 'utf8'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([...groups.map((g) => ({ shortName: 'O', value: g })), { shortName: 'CN', value: name }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey, caPem };
}

export function testUser(server: TestServer, name: string, groups: string[] = []): TestUser {
  const { certPem, keyPem, caPem } = mintClientCertificate(server.dataDir, name, groups);
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const kubeconfig = join(server.dataDir, `user-${name.replace(/[^a-z0-9-]/gi, '_')}-${randomBytes(3).toString('hex')}.kubeconfig`);
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: ${server.url}
    certificate-authority-data: ${b64(caPem)}
users:
- name: u
  user:
    client-certificate-data: ${b64(certPem)}
    client-key-data: ${b64(keyPem)}
contexts:
- name: test
  context: {cluster: test, user: u}
current-context: test
`,
  );
  const agent = new Agent({ ca: caPem, cert: certPem, key: keyPem, keepAlive: false });
  return {
    name,
    kubeconfig,
    request: (method, path, body, headers = {}) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      return call(`${server.url}${path}`, { method, agent, headers: { ...(payload ? { 'Content-Type': 'application/json' } : {}), ...headers } }, payload);
    },
  };
}

type Reply = { status: number; text: string; json: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One HTTPS request; the body read whole, and parsed as JSON where it is JSON. */
function call(url: string, options: RequestOptions, payload?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode!, text, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** An HTTPS request with no client certificate (an anonymous user). */
export function anonymousRequest(server: TestServer, method: string, path: string): Promise<Reply> {
  const caPem = readFileSync(join(server.dataDir, 'pki/ca.crt'), 'utf8');
  return call(`${server.url}${path}`, { method, ca: caPem, agent: false });
}
