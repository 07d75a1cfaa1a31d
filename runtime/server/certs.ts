/**
 * TLS material for the API server: a self-signed CA, a serving certificate and an admin client certificate.
 *
 * Kubernetes clients (kubectl, client-go) only talk HTTPS, so a zero-configuration start needs its own PKI, the way
 * kube-apiserver generates self-signed serving certs and kubeadm writes `admin.conf`. Files live in `<dataDir>/pki/`
 * with kubeadm's names, are created once and reused on later starts; only the serving certificate is re-issued
 * (by the same CA) when a newly requested SAN is missing or it has expired, so existing kubeconfigs keep working.
 *
 * Keys come from Node's crypto (native, fast); certificates are built and signed with node-forge, which Node lacks.
 * Client identity follows kube-apiserver's x509 authenticator: CN is the user name, O values are the groups.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { generateKeyPair, randomBytes, X509Certificate, createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PeerCertificate } from 'node:tls';
import forge from 'node-forge';
import { certificateBlocks, encodePem } from '../certificates/pem.ts';

export interface ServingCertificates {
  /** CA that clients should trust for the serving certificate (kubeconfig `certificate-authority-data`). */
  caCertPem: string;
  certPem: string;
  keyPem: string;
  /** CA that signs client certificates; empty string when client-certificate authentication is not configured. */
  clientCaPem: string;
}

export type GeneratedCertificates = ServingCertificates & { adminCertPem: string; adminKeyPem: string };

const CA_CN = 'kube-ts-ca';
const ADMIN_CN = 'kube-ts-admin';
const ADMIN_GROUP = 'system:masters';
const DAY_MS = 24 * 60 * 60 * 1000;
const CA_DAYS = 3650;
const LEAF_DAYS = 365;
/** Backdate notBefore a little to tolerate clock skew between server and clients. */
const BACKDATE_MS = 5 * 60 * 1000;

const generateKeyPairAsync = promisify(generateKeyPair);

/** SANs every serving certificate carries, plus the concrete bind address, the hostname and any extras. */
export function servingSANs(bindAddress: string, extraSANs: string[] = []): string[] {
  const names = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', '127.0.0.1', '::1'];
  if (isIP(bindAddress) && bindAddress !== '0.0.0.0' && bindAddress !== '::') names.push(bindAddress);
  const host = hostname();
  if (host) names.push(host);
  names.push(...extraSANs);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    const key = isIP(name) ? name : name.toLowerCase();
    if (!name || seen.has(key)) continue;
    seen.add(key);
    out.push(key);
  }
  return out;
}

export async function ensureCertificates(
  dataDir: string,
  opts: { bindAddress: string; extraSANs?: string[] },
): Promise<GeneratedCertificates> {
  const dir = join(dataDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = (name: string) => join(dir, name);
  const sans = servingSANs(opts.bindAddress, opts.extraSANs);

  // CA: reuse if it parses, matches its key, is a CA and has not expired; otherwise everything is re-issued.
  let ca = readPair(path('ca.crt'), path('ca.key'));
  let caRenewed = false;
  if (!ca || !ca.cert.ca || expired(ca.cert)) {
    const key = await newKeyPem();
    const certPem = issueCertificate({ subject: [{ shortName: 'CN', value: CA_CN }], keyPem: key, days: CA_DAYS, ca: true });
    writeSecret(path('ca.key'), key);
    writePublic(path('ca.crt'), certPem);
    ca = readPair(path('ca.crt'), path('ca.key'));
    if (!ca) throw new Error(`failed to create CA in ${dir}`);
    caRenewed = true;
  }

  const issuedByCa = (leaf: LoadedPair) => leaf.cert.verify(ca!.cert.publicKey) && leaf.cert.issuer === ca!.cert.subject;

  // Serving certificate: re-issued when missing, mismatched, expired, not from this CA, or lacking a requested SAN.
  let serving = caRenewed ? undefined : readPair(path('apiserver.crt'), path('apiserver.key'));
  if (!serving || expired(serving.cert) || !issuedByCa(serving) || !coversSANs(serving.cert, sans)) {
    const key = await newKeyPem();
    const certPem = issueCertificate({
      subject: [{ shortName: 'CN', value: 'kube-apiserver' }],
      keyPem: key,
      days: LEAF_DAYS,
      issuer: ca,
      extKeyUsage: 'serverAuth',
      sans,
    });
    writeSecret(path('apiserver.key'), key);
    writePublic(path('apiserver.crt'), certPem);
    serving = readPair(path('apiserver.crt'), path('apiserver.key'));
    if (!serving) throw new Error(`failed to create serving certificate in ${dir}`);
  }

  // Admin client certificate (kubeadm's admin.conf identity).
  let admin = caRenewed ? undefined : readPair(path('admin.crt'), path('admin.key'));
  if (!admin || expired(admin.cert) || !issuedByCa(admin)) {
    const key = await newKeyPem();
    const certPem = issueCertificate({
      subject: [
        { shortName: 'O', value: ADMIN_GROUP },
        { shortName: 'CN', value: ADMIN_CN },
      ],
      keyPem: key,
      days: LEAF_DAYS,
      issuer: ca,
      extKeyUsage: 'clientAuth',
    });
    writeSecret(path('admin.key'), key);
    writePublic(path('admin.crt'), certPem);
    admin = readPair(path('admin.crt'), path('admin.key'));
    if (!admin) throw new Error(`failed to create admin certificate in ${dir}`);
  }

  return {
    caCertPem: ca.certPem,
    certPem: serving.certPem,
    keyPem: serving.keyPem,
    clientCaPem: ca.certPem,
    adminCertPem: admin.certPem,
    adminKeyPem: admin.keyPem,
  };
}

/**
 * Loads user-provided material (`--tls-cert-file`, `--tls-private-key-file`, `--client-ca-file`).
 * `caCertPem` is the last certificate of the cert file's chain (the certificate itself when it holds only one);
 * `clientCaPem` is empty when no client CA file is given.
 */
export function loadCertificates(certFile: string, keyFile: string, clientCaFile?: string): ServingCertificates {
  const certPem = readFileSync(certFile, 'utf8');
  const keyPem = readFileSync(keyFile, 'utf8');
  const chain = certificateBlocks(certPem);
  if (chain.length === 0) throw new Error(`${certFile}: no PEM certificate found`);
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(chain[0]!.bytes);
  } catch (err) {
    throw new Error(`${certFile}: invalid certificate: ${(err as Error).message}`);
  }
  let matches: boolean;
  try {
    matches = leaf.checkPrivateKey(createPrivateKey(keyPem));
  } catch (err) {
    throw new Error(`${keyFile}: invalid private key: ${(err as Error).message}`);
  }
  if (!matches) throw new Error(`${keyFile} does not match the certificate in ${certFile}`);
  let clientCaPem = '';
  if (clientCaFile) {
    clientCaPem = readFileSync(clientCaFile, 'utf8');
    if (certificateBlocks(clientCaPem).length === 0) throw new Error(`${clientCaFile}: no PEM certificate found`);
  }
  return { caCertPem: encodePem(chain[chain.length - 1]!), certPem, keyPem, clientCaPem };
}

/**
 * The user a verified client certificate authenticates as: CN -> name, O -> groups (kube-apiserver's x509
 * authenticator). Undefined without a certificate or CN. The caller must check `socket.authorized` first: this
 * only reads the subject, it does not verify the chain.
 */
export function clientCertificateIdentity(
  peerCert: PeerCertificate | undefined,
): { name: string; groups: string[] } | undefined {
  const subject = peerCert?.subject as Record<string, string | string[] | undefined> | undefined;
  if (!subject) return undefined;
  const cn = subject.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  if (!name) return undefined;
  const o = subject.O;
  const groups = o === undefined ? [] : Array.isArray(o) ? [...o] : [o];
  return { name, groups: groups.filter((g) => g !== '') };
}

// ---- internals ----

export interface LoadedPair {
  cert: X509Certificate;
  certPem: string;
  keyPem: string;
}

/** Reads a cert/key pair; undefined if either is missing, unparsable or they do not belong together. */
export function readPair(certPath: string, keyPath: string): LoadedPair | undefined {
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  try {
    const certPem = readFileSync(certPath, 'utf8');
    const keyPem = readFileSync(keyPath, 'utf8');
    const cert = new X509Certificate(certPem);
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return undefined;
    return { cert, certPem, keyPem };
  } catch {
    return undefined;
  }
}

export function expired(cert: X509Certificate): boolean {
  return Date.parse(cert.validTo) <= Date.now();
}

function coversSANs(cert: X509Certificate, sans: string[]): boolean {
  return sans.every((san) =>
    isIP(san) ? cert.checkIP(san) !== undefined : cert.checkHost(san, { subject: 'never', wildcards: false }) !== undefined,
  );
}

export async function newKeyPem(): Promise<string> {
  const { privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return privateKey;
}

/** A random positive serial number (hex, top bit clear so the DER INTEGER stays positive, never zero). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

export interface IssueOptions {
  subject: forge.pki.CertificateField[];
  keyPem: string;
  days: number;
  /** Self-signed CA when absent. */
  issuer?: LoadedPair;
  ca?: boolean;
  extKeyUsage?: 'serverAuth' | 'clientAuth';
  sans?: string[];
}

/** Signs a certificate for `keyPem`'s public key: by `issuer`, or self-signed as a CA. PEM with LF line ends. */
export function issueCertificate(o: IssueOptions): string {
  const privateKey = forge.pki.privateKeyFromPem(o.keyPem) as forge.pki.rsa.PrivateKey;
  const publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerial();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - BACKDATE_MS);
  cert.validity.notAfter = new Date(now + o.days * DAY_MS);
  cert.setSubject(o.subject);

  let signingKey = privateKey;
  const extensions: object[] = [];
  if (o.issuer) {
    const issuerCert = forge.pki.certificateFromPem(o.issuer.certPem);
    signingKey = forge.pki.privateKeyFromPem(o.issuer.keyPem) as forge.pki.rsa.PrivateKey;
    cert.setIssuer(issuerCert.subject.attributes);
    extensions.push(
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', [o.extKeyUsage ?? 'serverAuth']: true },
      { name: 'authorityKeyIdentifier', keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes() },
    );
    if (o.sans?.length) {
      extensions.push({
        name: 'subjectAltName',
        altNames: o.sans.map((san) => (isIP(san) ? { type: 7, ip: san } : { type: 2, value: san })),
      });
    }
  } else {
    cert.setIssuer(o.subject);
    extensions.push(
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true, keyCertSign: true, cRLSign: true },
    );
  }
  extensions.push({ name: 'subjectKeyIdentifier' });
  cert.setExtensions(extensions);
  cert.sign(signingKey, forge.md.sha256.create());
  // forge writes CRLF line ends; Go's encoders (and so every upstream PEM clients see) use LF.
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}

/** Atomic write (temp file + rename) so a crash never leaves a truncated key or certificate behind. */
function writeAtomic(path: string, data: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

export function writeSecret(path: string, data: string): void {
  writeAtomic(path, data, 0o600);
}

export function writePublic(path: string, data: string): void {
  writeAtomic(path, data, 0o644);
}
