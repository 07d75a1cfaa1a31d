/**
 * Test fixtures for authentication: a tiny PKI (CAs and client/serving certificates signed with node-forge, keys
 * from node's crypto), raw HTTPS requests with any client certificate and headers, and kubeconfigs for a token
 * or a certificate.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { request } from 'node:https';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import forge from 'node-forge';
import { stringify } from 'yaml';

export interface Pair {
  certPem: string;
  keyPem: string;
}

function newKey(): { pem: string; forgeKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { pem: privateKey, forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

function sign(o: { subject: forge.pki.CertificateField[]; issuer?: Pair; ca?: boolean; usage?: 'clientAuth' | 'serverAuth'; sans?: string[]; notBefore?: Date; notAfter?: Date }): Pair {
  const key = newKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = o.notBefore ?? new Date(Date.now() - 60_000);
  cert.validity.notAfter = o.notAfter ?? new Date(Date.now() + 86_400_000);
  cert.setSubject(o.subject);
  let signer = key.forgeKey;
  if (o.issuer) {
    const issuerCert = forge.pki.certificateFromPem(o.issuer.certPem);
    cert.setIssuer(issuerCert.subject.attributes);
    signer = forge.pki.privateKeyFromPem(o.issuer.keyPem) as forge.pki.rsa.PrivateKey;
  } else cert.setIssuer(o.subject);
  const ext: object[] = [];
  if (o.ca) ext.push({ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', critical: true, keyCertSign: true, digitalSignature: true, cRLSign: true });
  else {
    ext.push({ name: 'basicConstraints', cA: false }, { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true }, { name: 'extKeyUsage', [o.usage ?? 'clientAuth']: true });
    if (o.sans) ext.push({ name: 'subjectAltName', altNames: o.sans.map((s) => (/^[\d.]+$/.test(s) ? { type: 7, ip: s } : { type: 2, value: s })) });
  }
  cert.setExtensions(ext);
  cert.sign(signer, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: key.pem };
}

export function makeCA(cn: string): Pair {
  return sign({ subject: [{ shortName: 'CN', value: cn }], ca: true });
}

/** A CA signed by another CA. */
export function intermediateCA(root: Pair, cn: string): Pair {
  return sign({ subject: [{ shortName: 'CN', value: cn }], issuer: root, ca: true });
}

export function clientCert(ca: Pair, cn: string, groups: string[] = [], extra: { notAfter?: Date; notBefore?: Date; usage?: 'clientAuth' | 'serverAuth' } = {}): Pair {
  return sign({ subject: [...groups.map((g) => ({ shortName: 'O', value: g })), { shortName: 'CN', value: cn }], issuer: ca, ...extra });
}

export function servingCert(ca: Pair, cn: string): Pair {
  return sign({ subject: [{ shortName: 'CN', value: cn }], issuer: ca, usage: 'serverAuth', sans: ['127.0.0.1', 'localhost'] });
}

/** The CA (certificate-authority-data) of a kubeconfig written by the server. */
export function kubeconfigCA(kubeconfig: string): string {
  const cfg = readFileSync(kubeconfig, 'utf8');
  return Buffer.from(/certificate-authority-data: (\S+)/.exec(cfg)![1]!, 'base64').toString();
}

export interface Response {
  status: number;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/** One HTTPS request on a fresh connection; `headers` values that are arrays become repeated header lines. */
export function call(url: string, o: { method?: string; path: string; ca: string; cert?: Pair; headers?: Record<string, string | string[]>; body?: unknown }): Promise<Response> {
  return new Promise((resolve, reject) => {
    const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
    const req = request(
      `${url}${o.path}`,
      {
        method: o.method ?? (payload ? 'POST' : 'GET'),
        agent: false,
        ca: o.ca,
        ...(o.cert ? { cert: o.cert.certPem, key: o.cert.keyPem } : {}),
        headers: { ...(payload ? { 'Content-Type': 'application/json' } : {}), ...(o.headers ?? {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode!, json, text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * POSTs a SelfSubjectReview and returns status.userInfo (or the whole response when it is not 201). `name` is
 * the user the server saw, also when authorization refused the review (403 names the user).
 */
export async function whoami(url: string, o: { ca: string; cert?: Pair; headers?: Record<string, string | string[]> }) {
  const res = await call(url, { ...o, path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
  if (res.status === 201) return { status: 201, user: res.json.status.userInfo, name: res.json.status.userInfo.username as string };
  const refused = res.status === 403 ? /User "([^"]*)" cannot/.exec(res.json?.message ?? '') : null;
  return { status: res.status, user: undefined, name: refused?.[1], body: res.json };
}

/** A kubeconfig that authenticates with a bearer token, or with a client certificate. */
export function writeKubeconfig(path: string, server: string, ca: string, auth: { token: string } | { cert: Pair }): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const user = 'token' in auth ? { token: auth.token } : { 'client-certificate-data': b64(auth.cert.certPem), 'client-key-data': b64(auth.cert.keyPem) };
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server, 'certificate-authority-data': b64(ca) } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
    { mode: 0o600 },
  );
  return path;
}

/** The CN of the serving certificate a new TLS connection gets. */
export function servingCN(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const cn = s.getPeerCertificate().subject?.CN;
      s.end();
      resolve(Array.isArray(cn) ? cn[0]! : (cn ?? ''));
    });
    s.on('error', reject);
  });
}
